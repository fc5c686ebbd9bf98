"""Tests of the Brian2 peer scripts' connectivity and counting helpers; never runs Brian2.

Run: /usr/bin/python3 -m unittest discover -s bench -p "test_*.py"
"""

import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "brian2"))
import brunel  # noqa: E402
import standalone_peer  # noqa: E402


class FixedInDegreeTest(unittest.TestCase):
    def test_every_target_gets_exactly_its_in_degree_and_never_itself(self):
        rng = np.random.default_rng(7)
        # Excitatory-like sources 0..49 onto targets 0..59 (targets 0..49 are members).
        sources, targets = brunel.fixed_in_degree_sources(rng, 0, 50, 20, 60)
        self.assertEqual(sources.size, 60 * 20)
        np.testing.assert_array_equal(np.bincount(targets, minlength=60), np.full(60, 20))
        self.assertFalse(np.any(sources == targets))
        self.assertTrue(np.all((sources >= 0) & (sources < 50)))

    def test_offset_source_range_excludes_the_target_itself(self):
        rng = np.random.default_rng(3)
        # Inhibitory-like sources 40..49 (10 of them) onto targets 0..49.
        sources, targets = brunel.fixed_in_degree_sources(rng, 40, 10, 200, 50)
        self.assertTrue(np.all((sources >= 40) & (sources < 50)))
        self.assertFalse(np.any(sources == targets))
        # Target 45 may draw each of the 9 other sources; with 200 draws all of them occur.
        drawn = set(sources[targets == 45].tolist())
        self.assertEqual(drawn, set(range(40, 50)) - {45})

    def test_draws_are_uniform_over_the_allowed_sources(self):
        rng = np.random.default_rng(11)
        sources, targets = brunel.fixed_in_degree_sources(rng, 0, 5, 50000, 1)
        # Target 0 draws from sources 1..4 with probability 1/4 each (binomial sd ~ 97).
        counts = np.bincount(sources[targets == 0], minlength=5)
        self.assertEqual(counts[0], 0)
        for count in counts[1:]:
            self.assertLess(abs(count - 12500), 600)

    def test_same_seed_gives_the_same_network(self):
        first = brunel.fixed_in_degree_sources(np.random.default_rng(5), 0, 100, 10, 120)
        second = brunel.fixed_in_degree_sources(np.random.default_rng(5), 0, 100, 10, 120)
        np.testing.assert_array_equal(first[0], second[0])


class FanOutEventsTest(unittest.TestCase):
    def test_events_are_spikes_times_out_degree(self):
        # Source 0 has 2 synapses and spiked 3 times; source 1 has 1 and spiked 4 times;
        # source 2 has none: 3*2 + 4*1 + 5*0 = 10.
        self.assertEqual(standalone_peer.fan_out_events([3, 4, 5], [0, 1, 0], 3), 10)

    def test_record_derives_rate_and_bytes_per_synapse(self):
        class Args:
            duration_ms = 500.0
            dt_ms = 0.1
            seed = 9
        figures = {"wall_s": 1.5, "build_s": 2.0, "compile_s": 1.5,
                   "setup_s": 0.5, "peak_rss_bytes": 4000}
        result = standalone_peer.make_record("coba", Args, 100, 200, 150, 300, figures)
        self.assertAlmostEqual(result["mean_rate_hz"], 3.0)     # 150 / 100 / 0.5 s
        self.assertAlmostEqual(result["bytes_per_synapse"], 20.0)
        self.assertEqual(result["mode"], "brian2-standalone")


if __name__ == "__main__":
    unittest.main()
