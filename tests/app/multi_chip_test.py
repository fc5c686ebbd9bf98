#!/usr/bin/env python3
"""CTest: one run priced on several chips (`--chip a,b`, `--chip all`) gives, per chip, exactly
the report of a separate run on that chip alone: the activity is the chip's business only
through mapping, hops and costs, so one simulation serves every chip.

usage: multi_chip_test.py TANDEM NETWORK.yaml"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

TANDEM, NETWORK = sys.argv[1], sys.argv[2]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
del sys.argv[1:3]


def run(*args):
    return subprocess.run([TANDEM, "run", NETWORK, "--ticks", "300", *args], capture_output=True, text=True, timeout=120)


def load(path):
    with open(path) as f:
        report = json.load(f)
    report.pop("tandem_version")
    return report


class OneRunEveryChip(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.dir = self.directory.name

    def tearDown(self):
        self.directory.cleanup()

    def test_each_chip_report_equals_a_run_on_that_chip_alone(self):
        both = run("--chip", "tianjic,loihi2", "--energy-report", os.path.join(self.dir, "r.json"))
        self.assertEqual(both.returncode, 0, both.stderr)
        self.assertIn("one run on 2 chips", both.stdout)
        for chip in ("tianjic", "loihi2"):
            alone = run("--chip", chip, "--energy-report", os.path.join(self.dir, chip + ".json"))
            self.assertEqual(alone.returncode, 0, alone.stderr)
            self.assertEqual(load(os.path.join(self.dir, "r-" + chip + ".json")),
                             load(os.path.join(self.dir, chip + ".json")), chip)
        # Same activity, different chips: the executed counts agree, the joules do not.
        tianjic = load(os.path.join(self.dir, "r-tianjic.json"))
        loihi2 = load(os.path.join(self.dir, "r-loihi2.json"))
        self.assertEqual(tianjic["total"]["executed"]["neuron_updates"], loihi2["total"]["executed"]["neuron_updates"])
        self.assertNotEqual(tianjic["total"]["energy_j"]["total"], loihi2["total"]["energy_j"]["total"])

    def test_all_leaves_out_the_chips_the_network_does_not_map_onto(self):
        done = run("--chip", "all", "--energy-report", os.path.join(self.dir, "r.json"))
        self.assertEqual(done.returncode, 0, done.stderr)
        # The demo has a dense layer: Loihi 1 has no ANN cores.
        self.assertIn("chip 'loihi' left out", done.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "r-loihi.json")))
        self.assertTrue(os.path.exists(os.path.join(self.dir, "r-tianjic.json")))

    def test_neurons_per_core_and_placement_shape_the_mapping(self):
        report = os.path.join(self.dir, "p.json")
        done = run("--chip", "tianjic", "--neurons-per-core", "3", "--placement", "balance", "--energy-report", report)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(report) as f:
            cores = json.load(f)["mapping"]["cores"]
        # exc (8 neurons) at 3 per core, balanced: 3, 3, 2 on three cores of its own.
        self.assertEqual([c["neurons"] for c in cores if c["nodes"] == ["exc"]], [3, 3, 2])
        self.assertTrue(all(c["neurons"] <= 3 for c in cores))
        too_many = run("--chip", "tianjic", "--neurons-per-core", "300")
        self.assertEqual(too_many.returncode, 2)
        self.assertIn("holds at most 256", too_many.stderr)

    def test_the_chip_file_mapping_block_sets_defaults_the_command_line_overrides(self):
        with open(os.path.join(REPO, "presets", "tianjic.yaml")) as f:
            text = f.read().replace("name: tianjic", "name: tianjic_small_cores")
        chip = os.path.join(self.dir, "tianjic_small_cores.yaml")
        with open(chip, "w") as f:
            f.write(text + "mapping: {neurons_per_core: 3, placement: balance}\n")
        report = os.path.join(self.dir, "m.json")
        done = run("--chip", chip, "--energy-report", report)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(report) as f:
            cores = json.load(f)["mapping"]["cores"]
        self.assertEqual([c["neurons"] for c in cores if c["nodes"] == ["exc"]], [3, 3, 2])
        done = run("--chip", chip, "--placement", "fill", "--neurons-per-core", "4", "--energy-report", report,
                   "--force")
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(report) as f:
            cores = json.load(f)["mapping"]["cores"]
        self.assertEqual([c["neurons"] for c in cores if c["nodes"] == ["exc"]], [4, 4])
        with open(chip, "w") as f:
            f.write(text + "mapping: {neurons_per_core: 300}\n")
        done = run("--chip", chip)
        self.assertEqual(done.returncode, 2)
        self.assertIn("mapping.neurons_per_core", done.stderr)

    def test_a_network_on_two_chips_prices_its_crossings_as_inter_chip_links(self):
        # A Tianjic of one core; at 20 units per core the hybrid demo takes three: drive, then exc
        # with its bridge, then the readout, each on its own chip, so drive -> exc and
        # exc_rate -> readout cross a chip boundary.
        with open(os.path.join(REPO, "presets", "tianjic.yaml")) as f:
            text = f.read().replace("name: tianjic", "name: tianjic_one_core")
        text = text.replace("  width: 12 ", "  width: 1 ").replace("  height: 13 ", "  height: 1 ")
        chip = os.path.join(self.dir, "tianjic_one_core.yaml")
        with open(chip, "w") as f:
            f.write(text)
        report_path = os.path.join(self.dir, "board.json")
        done = run("--chip", chip, "--board", "3x1", "--neurons-per-core", "20", "--energy-report", report_path)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(report_path) as f:
            report = json.load(f)
        link = report["inter_chip_link"]
        self.assertEqual([c["chip"] for c in report["mapping"]["cores"]], [[0, 0], [1, 0], [2, 0]])
        self.assertEqual(link["energy_pj_per_crossing"], 320)  # tianjic.yaml: 10 pJ/bit x 32 bits
        self.assertTrue(link["source"].startswith("assumed:"), link["source"])
        for column in ("executed", "always_on"):
            traffic = link[column]
            self.assertGreater(traffic["crossings"], 0, column)
            self.assertEqual(traffic["crossings"], report["total"]["routing"][column]["inter_chip"], column)
            self.assertAlmostEqual(traffic["energy_j"], traffic["crossings"] * 320e-12, delta=1e-18)
            self.assertGreater(traffic["time_s"], 0.0, column)
        self.assertIn("inter-chip links: %d crossings" % link["executed"]["crossings"], done.stdout)
        self.assertIn("source: assumed:", done.stdout)
        # The same network on one whole Tianjic sends nothing across a chip boundary.
        one = os.path.join(self.dir, "one.json")
        done = run("--chip", "tianjic", "--board", "3x1", "--neurons-per-core", "20", "--energy-report", one)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(one) as f:
            link = json.load(f)["inter_chip_link"]
        self.assertEqual((link["executed"]["crossings"], link["always_on"]["crossings"]), (0, 0))
        self.assertEqual(link["always_on"]["energy_j"], 0.0)

    def test_bad_chip_lists_are_refused(self):
        for chips, message in (("tianjic,tianjic", "given twice"), ("tianjic,", "empty chip name"),
                               ("tianjic,loihi", "pricing on chip 'loihi'"), ("tianjic,nosuchchip", "nosuchchip")):
            done = run("--chip", chips)
            self.assertEqual(done.returncode, 2, chips)
            self.assertIn(message, done.stderr, chips)


if __name__ == "__main__":
    unittest.main(verbosity=2)
