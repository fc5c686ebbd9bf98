#!/usr/bin/env python3
"""CTest: --precision as a user gives it. `tandem run hybrid_demo.yaml --precision tianjic|loihi|native`
states each node's precision in the JSON energy report (the readout names float32 in the file and
keeps it), reports the population's quantisation, and event and always-on record the same spikes;
the NIR paper's neuron imported with --precision loihi spikes at Loihi's steps; an unknown
precision exits 2 naming the option and the choices.

usage: precision_cli_test.py TANDEM REPOSITORY"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import h5py

TANDEM, REPO = sys.argv[1], sys.argv[2]
del sys.argv[1:3]
DEMO = os.path.join(REPO, "examples", "networks", "hybrid_demo.yaml")
NIR = os.path.join(REPO, "tests", "data", "nir")


def run(*args):
    return subprocess.run([TANDEM, *args, "-q"], capture_output=True, text=True, timeout=300)


class Precision(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.directory.cleanup()

    def path(self, name):
        return os.path.join(self.directory.name, name)

    def report(self, *extra):
        energy = self.path("energy.json")
        done = run("run", DEMO, "--energy-report", energy, "--force", *extra)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(energy) as f:
            return {node["node"]: node for node in json.load(f)["nodes"]}

    def test_each_node_states_its_precision(self):
        for precision in ("tianjic", "loihi"):
            with self.subTest(precision=precision):
                nodes = self.report("--precision", precision)
                self.assertEqual(nodes["exc"]["precision"], precision)
                self.assertIn("scale", nodes["exc"]["quantisation"])
                self.assertEqual(nodes["readout"]["precision"], "float32")  # named in the file
        nodes = self.report("--precision", "native", "--chip", "tianjic")
        self.assertEqual(nodes["exc"]["precision"], "tianjic")
        self.assertEqual(self.report()["exc"]["precision"], "float32")

    def test_event_and_always_on_record_the_same_spikes(self):
        spikes = {}
        for mode in ("event", "always-on"):
            trace = self.path(mode + ".h5")
            done = run("run", DEMO, "--precision", "tianjic", "--mode", mode, "--record", trace, "--force")
            self.assertEqual(done.returncode, 0, done.stderr)
            with h5py.File(trace, "r") as f:
                spikes[mode] = (list(f["snn/exc/spikes/tick"][:]), list(f["snn/exc/spikes/index"][:]))
        self.assertGreater(len(spikes["event"][0]), 10)
        self.assertEqual(spikes["event"], spikes["always-on"])

    def test_nir_in_loihi_precision(self):
        table = self.path("input.csv")
        with open(os.path.join(NIR, "lif_lava_loihi_fixed.csv")) as source, open(table, "w") as out:
            for line in source:
                out.write(line.split(",")[0] + "\n")
        trace = self.path("nir.h5")
        done = run("run", os.path.join(NIR, "lif_norse.nir"), "--input", "input=" + table, "--precision", "loihi",
                   "--record", trace, "--force")
        self.assertEqual(done.returncode, 0, done.stderr)
        with h5py.File(trace, "r") as f:
            self.assertEqual(list(f["snn/1/spikes/tick"][:]), [461, 511, 711, 761])

    def test_unknown_precision_exits_2(self):
        done = run("run", DEMO, "--precision", "double")
        self.assertEqual(done.returncode, 2)
        self.assertIn("--precision: unknown precision 'double'", done.stderr)
        self.assertIn("native", done.stderr)


if __name__ == "__main__":
    unittest.main()
