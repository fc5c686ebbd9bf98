#!/usr/bin/env python3
"""CTest: `tandem bench conv` (issue #14) as a user runs it, on a few ticks. Every row's event and
always-on runs agree (the bench refuses otherwise, exit 1), the dense reference (an independent
im2col implementation of the same graph) gives the same output spikes, event mode updates fewer
neurons at 1 % input than always-on, and bad options or a missing model exit 2 naming the problem.

usage: bench_conv_test.py TANDEM"""
import json
import subprocess
import sys
import unittest

TANDEM = sys.argv[1]
del sys.argv[1:2]


def bench(*args):
    return subprocess.run([TANDEM, "bench", "conv", *args], capture_output=True, text=True, timeout=300)


class BenchConvTest(unittest.TestCase):
    def test_rows_agree_with_the_dense_reference(self):
        result = bench("--ticks", "40", "--repeats", "1", "--active-percent", "1,10", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual([row["input_active"] for row in rows], [0.01, 0.1])
        for row in rows:
            for key in ("event_cpu_us_per_tick", "always_on_cpu_us_per_tick", "dense_reference_cpu_us_per_tick"):
                self.assertGreater(row[key], 0.0, key)
            self.assertGreater(row["synaptic_events"], 0)
            self.assertEqual(row["output_spikes"], row["dense_output_spikes"], row)
            self.assertEqual(row["neuron_updates_always_on"], 40 * (4096 + 4096 + 512 + 256 + 10))
        self.assertLess(rows[0]["neuron_updates_event"], 0.6 * rows[0]["neuron_updates_always_on"])
        self.assertLess(rows[0]["neuron_updates_event"], rows[1]["neuron_updates_event"])

    def test_bad_input_exits_2(self):
        for args, words in ((["--active-percent", "0"], "percentage"), (["--ticks", "0"], "--ticks"),
                            (["--model", "/nonexistent/cnn.nir"], "/nonexistent/cnn.nir"), (["--bogus"], "bogus")):
            result = bench(*args)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertIn(words, result.stderr)


if __name__ == "__main__":
    unittest.main()
