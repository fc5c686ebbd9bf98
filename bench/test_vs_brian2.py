"""Tests of bench/vs_brian2.py's parsing, medians, ratios and goals; never runs Brian2.

Run: /usr/bin/python3 -m unittest discover -s bench -p "test_*.py"
"""

import contextlib
import io
import json
import os
import stat
import sys
import tempfile
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vs_brian2  # noqa: E402


def record(benchmark="coba", wall_s=1.0, rate=20.0, bytes_per_synapse=30.0, **extra):
    fields = {"benchmark": benchmark, "mode": "event", "wall_s": wall_s, "build_s": 0.1,
              "simulated_ms": 1000.0, "dt_ms": 0.1, "neurons": 4000, "synapses": 320000,
              "spikes": 80000, "synaptic_events": 6400000, "mean_rate_hz": rate,
              "peak_rss_bytes": 9600000, "bytes_per_synapse": bytes_per_synapse, "seed": 1}
    fields.update(extra)
    return fields


class ParseRecordTest(unittest.TestCase):
    def test_skips_noise_and_other_benchmarks(self):
        stdout = "\n".join(["progress 50%", "{not json", json.dumps(record("brunel", 9.0)),
                            json.dumps(record("coba", 2.5)), "done"])
        self.assertEqual(vs_brian2.parse_record(stdout, "coba", "t")["wall_s"], 2.5)

    def test_no_record_is_an_error_naming_the_source(self):
        with self.assertRaisesRegex(vs_brian2.ToolError, "fake: .*coba"):
            vs_brian2.parse_record(json.dumps(record("brunel")), "coba", "fake")

    def test_missing_field_is_named(self):
        incomplete = record()
        del incomplete["bytes_per_synapse"]
        with self.assertRaisesRegex(vs_brian2.ToolError, "bytes_per_synapse"):
            vs_brian2.parse_record(json.dumps(incomplete), "coba", "t")

    def test_nan_and_negative_figures_are_rejected(self):
        # json.dumps writes NaN as the bare token NaN, which json.loads accepts.
        for bad in (float("nan"), -1.0, "fast"):
            with self.subTest(bad=bad), self.assertRaises(vs_brian2.ToolError):
                vs_brian2.parse_record(json.dumps(record(wall_s=bad)), "coba", "t")


class MedianAndCompareTest(unittest.TestCase):
    def test_median_is_taken_per_field(self):
        merged = vs_brian2.median_record([record(wall_s=3.0, rate=10.0),
                                          record(wall_s=1.0, rate=30.0),
                                          record(wall_s=2.0, rate=20.0)])
        self.assertEqual((merged["wall_s"], merged["mean_rate_hz"], merged["repeats"]),
                         (2.0, 20.0, 3))
        self.assertEqual(merged["benchmark"], "coba")

    def test_even_count_median_averages_the_middle_pair(self):
        merged = vs_brian2.median_record([record(wall_s=1.0), record(wall_s=4.0),
                                          record(wall_s=2.0), record(wall_s=3.0)])
        self.assertEqual(merged["wall_s"], 2.5)

    def test_coba_ratio_and_rate_difference(self):
        row = vs_brian2.compare("coba", record(wall_s=0.25, rate=22.0),
                                record(wall_s=1.0, rate=20.0))
        self.assertAlmostEqual(row["wall_ratio"], 0.25)
        self.assertAlmostEqual(row["rate_diff_pct"], 10.0)   # (22 - 20) / 20
        self.assertEqual(row["goals"], {"wall_ratio": "PASS", "rate": "PASS"})
        self.assertNotIn("memory", row["goals"])

    def test_coba_goals_fail_just_past_their_limits(self):
        row = vs_brian2.compare("coba", record(wall_s=0.51, rate=17.9),
                                record(wall_s=1.0, rate=20.0))
        self.assertEqual(row["goals"], {"wall_ratio": "FAIL", "rate": "FAIL"})

    def test_brunel_memory_goal_uses_tandem_bytes_per_synapse(self):
        passing = vs_brian2.compare("brunel", record("brunel", 1.0, bytes_per_synapse=10.0),
                                    record("brunel", 2.0, bytes_per_synapse=33.0))
        failing = vs_brian2.compare("brunel", record("brunel", 1.0, bytes_per_synapse=10.5),
                                    record("brunel", 2.0, bytes_per_synapse=5.0))
        self.assertEqual(passing["goals"], {"wall_ratio": "PASS", "memory": "PASS"})
        self.assertEqual(failing["goals"], {"wall_ratio": "PASS", "memory": "FAIL"})

    def test_different_network_sizes_are_flagged(self):
        same = vs_brian2.compare("coba", record(synapses=321000), record(synapses=319000))
        different = vs_brian2.compare("coba", record(synapses=400000), record(synapses=319000))
        self.assertIsNone(same["warning"])
        self.assertIn("400000", different["warning"])
        self.assertIn("WARNING: coba", vs_brian2.format_table([different]))

    def test_zero_reference_gives_no_ratio_and_fails(self):
        row = vs_brian2.compare("coba", record(wall_s=1.0, rate=0.0),
                                record(wall_s=0.0, rate=0.0))
        self.assertIsNone(row["wall_ratio"])
        self.assertIsNone(row["rate_diff_pct"])
        self.assertEqual(row["goals"], {"wall_ratio": "FAIL", "rate": "FAIL"})
        self.assertIn("n/a", vs_brian2.format_table([row]))


class RunnerEndToEndTest(unittest.TestCase):
    """main() against fake tandem and Brian2 scripts that print fixed records."""

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def fake(self, name, walls):
        """An executable that prints, on successive calls, records with the given wall times."""
        counter = os.path.join(self.directory.name, name + ".count")
        path = os.path.join(self.directory.name, name)
        with open(path, "w") as f:
            f.write(f"#!{sys.executable}\n"
                    "import json, os, sys\n"
                    f"counter = {counter!r}\n"
                    "n = int(open(counter).read()) if os.path.exists(counter) else 0\n"
                    "open(counter, 'w').write(str(n + 1))\n"
                    f"walls = {walls!r}\n"
                    "bench = sys.argv[sys.argv.index('bench') + 1] if 'bench' in sys.argv "
                    "else 'coba'\n"
                    "print('some banner')\n"
                    f"print(json.dumps(dict({record()!r}, benchmark=bench, "
                    "wall_s=walls[n % len(walls)])))\n")
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    def run_main(self, argv, brian2_script):
        out, err = io.StringIO(), io.StringIO()
        with mock.patch.object(vs_brian2, "brian2_command",
                               lambda benchmark, args: [brian2_script, "bench", benchmark]), \
                mock.patch.object(vs_brian2.importlib.util, "find_spec", lambda name: object()), \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = vs_brian2.main(argv)
        return code, out.getvalue(), err.getvalue()

    def test_medians_of_alternating_runs_give_the_ratio(self):
        tandem = self.fake("tandem", [0.9, 0.1, 0.3])   # median 0.3
        brian2 = self.fake("brian2", [1.0, 5.0, 2.0])   # median 2.0
        code, out, _ = self.run_main(["--bench", "coba", "--tandem", tandem, "--repeat", "3",
                                      "--json"], brian2)
        self.assertEqual(code, 0)
        rows = json.loads(out)
        self.assertEqual(len(rows), 1)
        self.assertAlmostEqual(rows[0]["wall_ratio"], 0.15)
        self.assertEqual(rows[0]["repeats"], 3)

    def test_table_output_names_both_benchmarks(self):
        tandem = self.fake("tandem", [1.0])
        brian2 = self.fake("brian2", [1.0])
        code, out, _ = self.run_main(["--tandem", tandem, "--repeat", "1"], brian2)
        self.assertEqual(code, 0)   # FAIL goals do not make the runner fail
        self.assertRegex(out, r"(?m)^coba .*wall_ratio:FAIL")
        self.assertRegex(out, r"(?m)^brunel .*memory:FAIL")

    def test_missing_binary_says_how_to_build_it(self):
        missing = os.path.join(self.directory.name, "no-such-tandem")
        code, _, err = self.run_main(["--tandem", missing], self.fake("brian2", [1.0]))
        self.assertEqual(code, 2)
        self.assertIn(missing, err)
        self.assertIn("cmake --build build --target tandem", err)

    def test_missing_brian2_says_to_run_setup(self):
        tandem = self.fake("tandem", [1.0])
        err = io.StringIO()
        with mock.patch.object(vs_brian2.importlib.util, "find_spec", lambda name: None), \
                contextlib.redirect_stderr(err):
            code = vs_brian2.main(["--tandem", tandem])
        self.assertEqual(code, 2)
        self.assertIn("bash scripts/setup", err.getvalue())

    def test_crashing_benchmark_is_a_nonzero_exit_with_its_stderr(self):
        crash = os.path.join(self.directory.name, "crash")
        with open(crash, "w") as f:
            f.write(f"#!{sys.executable}\nimport sys\nsys.exit('segfault-like failure')\n")
        os.chmod(crash, 0o755)
        code, _, err = self.run_main(["--tandem", crash, "--bench", "coba"],
                                     self.fake("brian2", [1.0]))
        self.assertEqual(code, 1)
        self.assertIn("segfault-like failure", err)

    def test_unknown_benchmark_is_rejected(self):
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            vs_brian2.parse_args(["--bench", "coba,hh"])


if __name__ == "__main__":
    unittest.main()
