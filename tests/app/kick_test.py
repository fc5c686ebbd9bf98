#!/usr/bin/env python3
"""CTest: the first wave's failure case as a user runs it. 100 lif neurons, one 2 mV kick at
5 ms, 3,000 ticks of 1 ms on --chip loihi: every neuron must go quiet again after the kick, so
the active neuron updates are at most the closed form's count and every other update is
skipped (and priced at Loihi's idle access cost); with rest_tolerance_mv=0 (the old behaviour) they
are not.

usage: kick_test.py TANDEM NETWORK.yaml"""
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

TANDEM, NETWORK = sys.argv[1], sys.argv[2]
del sys.argv[1:3]

NEURONS, TICKS = 100, 3000
TAU_M_MS, DT_MS, KICK_MV, TOLERANCE_MV = 20.0, 1.0, 2.0, 1e-3
# Active ticks per neuron: the kick tick, then k ticks until 2 mV * exp(-k dt / tau) <= 1 uV.
CLOSED_FORM_PER_NEURON = 1 + math.ceil(math.log(KICK_MV / TOLERANCE_MV) * TAU_M_MS / DT_MS)


def cells_counts(*extra):
    with tempfile.TemporaryDirectory() as directory:
        report = os.path.join(directory, "kick.json")
        done = subprocess.run([TANDEM, "run", NETWORK, "--chip", "loihi", "--energy-report", report, *extra],
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise AssertionError(done.stderr)
        with open(report) as f:
            nodes = {node["node"]: node for node in json.load(f)["nodes"]}
    return nodes["cells"]


class KickedNetworkGoesQuiet(unittest.TestCase):
    def test_active_updates_stay_within_the_closed_form(self):
        cells = cells_counts()
        active = cells["executed"]["neuron_updates"]
        skipped = cells["executed"]["neuron_updates_skipped"]
        self.assertLessEqual(active, NEURONS * CLOSED_FORM_PER_NEURON)
        # float32 rounding may cross the tolerance one tick early, never more.
        self.assertGreaterEqual(active, NEURONS * (CLOSED_FORM_PER_NEURON - 1))
        self.assertEqual(active + skipped, NEURONS * TICKS)
        self.assertEqual(cells["always_on"]["neuron_updates"], NEURONS * TICKS)
        # Dynamic energy: an idle neuron costs Loihi's access only (51.2 pJ), an active one access
        # and update (72.8 pJ); the static share is the same leak either way.
        expected_j = (active * 72.8 + skipped * 51.2) * 1e-12
        self.assertAlmostEqual(cells["energy_j"]["dynamic"], expected_j, delta=1e-3 * expected_j)
        self.assertLess(cells["energy_j"]["dynamic"] / cells["always_on_energy_j"]["dynamic"], 0.72)

    def test_without_the_snap_the_neurons_never_rest(self):
        cells = cells_counts("--set", "populations.cells.parameters.rest_tolerance_mv=0")
        self.assertGreater(cells["executed"]["neuron_updates"], 0.99 * NEURONS * (TICKS - 6))


if __name__ == "__main__":
    unittest.main(verbosity=2)
