#!/usr/bin/env python3
"""CTest: --threads as a user gives it (docs/threads.md). hybrid_demo.yaml (trace and energy report),
`tandem example cartpole` and `tandem bench coba|brunel` give the same results with 1, 2 and 3
threads; COBA's counts are those the single-threaded engine gave before threads existed; the
thread count is in /meta and in --json rows; bad values exit 2 naming the option or key.

usage: threads_cli_test.py TANDEM SOURCE_DIR"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy

from run_comparison import datasets, without_timing

TANDEM, SOURCE = sys.argv[1], sys.argv[2]
del sys.argv[1:3]
HYBRID_DEMO = os.path.join(SOURCE, "examples", "networks", "hybrid_demo.yaml")

# `tandem bench coba --json --duration-ms 200 --seed 3` before threads existed (commit 3f74bf0):
# COBA has no Poisson input, so its numbers did not change.
COBA_BEFORE = {"spikes": 18909, "synaptic_events": 1514496}


def tandem(*args, check=True):
    done = subprocess.run([TANDEM, *args], capture_output=True, text=True, timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(f"tandem {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done


class SameResultsForAnyThreadCount(unittest.TestCase):
    def compare_runs(self, command, label):
        """Runs `command` (a list, with {trace} and {report} placeholders) with --threads 1, 2, 3."""
        with tempfile.TemporaryDirectory() as tmp:
            runs = []
            for threads in (1, 2, 3):
                trace = os.path.join(tmp, f"{threads}.h5")
                report = os.path.join(tmp, f"{threads}.json")
                args = [a.format(trace=trace, report=report) for a in command]
                tandem(*args, "--threads", str(threads), "--quiet")
                with open(report, encoding="utf-8") as f:
                    energy = json.load(f)
                data, meta = datasets(trace)
                self.assertEqual(int(meta["threads"]), threads)
                runs.append((data, without_timing(energy)))
            data_one, energy_one = runs[0]
            self.assertTrue(any(name.endswith("spikes/tick") and len(values) > 0 for name, values in data_one.items()),
                            f"{label}: no spikes recorded, the comparison would mean nothing")
            for threads, (data, energy) in zip((2, 3), runs[1:]):
                with self.subTest(label=label, threads=threads):
                    self.assertEqual(sorted(data), sorted(data_one))
                    for name in data_one:
                        self.assertTrue(numpy.array_equal(data[name], data_one[name], equal_nan=True), f"{label}: {name}")
                    self.assertEqual(energy, energy_one)

    def test_hybrid_demo(self):
        self.compare_runs(["run", HYBRID_DEMO, "--record", "{trace}", "--energy-report", "{report}", "--force"],
                          "hybrid_demo.yaml")

    def test_cartpole_example(self):
        self.compare_runs(["example", "cartpole", "--episodes", "3", "--record", "{trace}", "--energy-report", "{report}",
                           "--force"], "example cartpole")

    def test_benchmarks(self):
        def bench(name, threads, *args):
            row = json.loads(tandem("bench", name, "--json", "--threads", str(threads), *args).stdout)
            self.assertEqual(row["threads"], threads)
            return row["spikes"], row["synaptic_events"]
        coba = [bench("coba", threads, "--duration-ms", "200", "--seed", "3") for threads in (1, 2, 3)]
        self.assertEqual(coba, [(COBA_BEFORE["spikes"], COBA_BEFORE["synaptic_events"])] * 3)
        brunel = [bench("brunel", threads, "--duration-ms", "30", "--seed", "3", "--scale", "0.4") for threads in (1, 2, 3)]
        self.assertGreater(brunel[0][0], 0)
        self.assertEqual(brunel, [brunel[0]] * 3)


class BadThreadCounts(unittest.TestCase):
    def test_command_line(self):
        for command in (["run", HYBRID_DEMO, "--quiet"], ["bench", "coba", "--duration-ms", "1"],
                        ["example", "cartpole", "--episodes", "1", "--quiet"]):
            for value in ("0", "-1", "1025"):
                with self.subTest(command=command[0], value=value):
                    done = tandem(*command, f"--threads={value}", check=False)
                    self.assertEqual(done.returncode, 2, done.stderr)
                    self.assertIn("--threads", done.stderr)
                    self.assertIn("1024", done.stderr)

    def test_network_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            def network_with(threads):
                network = os.path.join(tmp, "net.yaml")
                with open(HYBRID_DEMO, encoding="utf-8") as f:
                    text = f.read().replace("  seed: 42\n", f"  seed: 42\n  threads: {threads}\n")
                with open(network, "w", encoding="utf-8") as f:
                    f.write(text)
                return network
            for bad in ("0", "-3", "2000", "two"):
                with self.subTest(threads=bad):
                    done = tandem("run", network_with(bad), "--quiet", check=False)
                    self.assertEqual(done.returncode, 2, done.stderr)
                    self.assertIn("simulation.threads", done.stderr)
                    self.assertIn("net.yaml", done.stderr)
            # The file's count is the run's, unless the command line gives another.
            trace = os.path.join(tmp, "run.h5")
            for extra, expected in (([], 3), (["--threads", "1"], 1)):
                tandem("run", network_with(3), "--quiet", "--ticks", "20", "--record", trace, "--force", *extra)
                self.assertEqual(int(datasets(trace)[1]["threads"]), expected)


if __name__ == "__main__":
    unittest.main()
