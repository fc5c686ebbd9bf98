#!/usr/bin/env python3
"""CTest: the fixture trace (trace_writer FILE 200 --units 4 --every 2 --extras) read with
plain h5py matches the closed forms the C++ PatternEngine follows:
unit i spikes at tick t iff (t + 3 i) mod 7 == 0; v(t, i) = 0.25 (t mod 1000) + i.
usage: h5py_roundtrip_test.py TRACE"""
import sys
import unittest

import h5py
import numpy as np

TRACE = sys.argv.pop(1)
TICKS, UNITS, EVERY = 200, 4, 2


class FixtureTrace(unittest.TestCase):
    def setUp(self):
        self.trace = h5py.File(TRACE, "r")

    def tearDown(self):
        self.trace.close()

    def test_spikes_match_the_pattern(self):
        tick = self.trace["/snn/pop/spikes/tick"]
        index = self.trace["/snn/pop/spikes/index"]
        self.assertEqual(tick.dtype, np.int64)
        self.assertEqual(index.dtype, np.uint32)
        expected = [(t, i) for t in range(TICKS) for i in range(UNITS) if (t + 3 * i) % 7 == 0]
        self.assertEqual(list(zip(tick[:].tolist(), index[:].tolist())), expected)

    def test_state_matches_the_pattern(self):
        v = self.trace["/snn/pop/state/v"]
        self.assertEqual(v.dtype, np.float32)
        self.assertEqual(v.shape, (TICKS // EVERY, UNITS))
        ticks = np.arange(0, TICKS, EVERY)
        expected = (0.25 * (ticks % 1000))[:, None] + np.arange(UNITS)[None, :]
        np.testing.assert_array_equal(v[:], expected.astype(np.float32))

    def test_attributes_keep_their_types(self):
        v = self.trace["/snn/pop/state/v"]
        self.assertEqual(v.attrs["unit"], "mV")             # a str, not bytes
        self.assertEqual(v.attrs["units"], "all")
        self.assertEqual(float(v.attrs["dt_ms"]), 0.5)      # numeric
        self.assertEqual(int(v.attrs["every_ticks"]), EVERY)
        self.assertIsInstance(v.attrs["unit"], str)

    def test_datasets_are_chunked_and_compressed(self):
        v = self.trace["/snn/pop/state/v"]
        self.assertIsNotNone(v.chunks)
        self.assertEqual(v.compression, "gzip")
        self.assertTrue(v.shuffle)
        self.assertEqual(v.maxshape, (None, UNITS))

    def test_meta(self):
        meta = self.trace["/meta"].attrs
        self.assertEqual(meta["status"], "complete")
        self.assertEqual(int(meta["ticks_completed"]), TICKS)
        self.assertEqual(float(meta["dt_ms"]), 0.5)
        self.assertEqual(int(meta["seed"]), 42)
        self.assertEqual(meta["mode"], "event")
        self.assertEqual(meta["chip"], "test-chip")
        self.assertIn("units: 4", meta["config"])
        self.assertIn("tandem_version", meta)

    def test_energy_per_window(self):
        energy = self.trace["/energy/pop/spikes_pj"][:]
        self.assertEqual(energy.shape, (TICKS // 10,))  # one value per 10-tick epoch
        # 114 spikes in 200 ticks (by hand: residues 0..3 occur 29 times, 4..6 28 times).
        self.assertAlmostEqual(float(energy.sum()), 2.5 * 114)


if __name__ == "__main__":
    unittest.main()
