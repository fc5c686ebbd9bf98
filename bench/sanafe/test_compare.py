"""Tests of bench/sanafe/compare.py that need no SANA-FE: the network, SANA-FE's file and summary
formats, its energy formula, and a short tandem-only run when tandem is built.

Run: /usr/bin/python3 -m unittest discover -s bench -p "test_*.py"
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402

# SANA-FE's run summary for seed 1, 1000 steps (commit 8951ab07, -t simple), as it prints it.
SUMMARY = """build_git_version: ''
timesteps_executed: 1000
total_spikes: 5211557
total_messages_sent: 260268
total_neurons_updated: 4000000
total_neurons_fired: 65067
sim_time: 1.137580e-02
energy:
  synapse:1.850103e-04
  dendrite:0.000000e+00
  soma:2.957091e-04
  network: 2.888975e-05
  total: 5.096092e-04
wall_time:
  neuron_processing: 0.237214
  message_processing: 0.728316
  scheduler: 0.002838
  setup: 9223361909210.814453
  energy: 0.005273
"""

# The figures of SANA-FE's arch/loihi.yaml the formula reads (read_arch's shape).
ARCH = {
    "soma": {"energy_access_neuron": 51.2e-12, "energy_update_neuron": 21.6e-12,
             "energy_spike_out": 69.3e-12},
    "synapse": {"energy_process_spike": 35.5e-12},
    "axon_in": {"energy_message_in": 0.0},
    "axon_out": {"energy_message_out": 111.0e-12},
    "tile": {"energy_east_hop": 3.0e-12, "energy_north_hop": 4.2e-12},
}


class NetworkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.net = compare.make_network(1)

    def test_seed_one_is_the_issues_network(self):
        self.assertEqual(self.net["n"], 4000)
        self.assertEqual(len(self.net["pre"]), 320933)
        self.assertFalse((self.net["pre"] == self.net["post"]).any())
        blocks = compare.projection_blocks(self.net)
        self.assertEqual(sum(len(pre) for pre, _, _ in blocks.values()), 320933)
        self.assertEqual(blocks[("inh", "exc")][2], -compare.G_INH * compare.J_EXC_MV)

    def test_bias_drives_towards_v_inf(self):
        # SANA-FE's fixed point bias / (1 - decay) is tandem's v_inf, in units of 1/64 mV.
        v_inf = self.net["bias_units"] / (1 - self.net["decay"]) / compare.SANAFE_UNITS_PER_MV
        self.assertTrue(((v_inf - self.net["v_inf_mv"]) ** 2).max() < 1e-18)
        self.assertTrue((self.net["v_inf_mv"] >= 0.9 * compare.THRESHOLD_MV).all())

    def test_biased_fraction_keeps_the_rest_of_the_network(self):
        half = compare.make_network(1, 0.5)
        self.assertTrue((half["pre"] == self.net["pre"]).all())
        self.assertTrue((half["v0_units"] == self.net["v0_units"]).all())
        unbiased = (half["v_inf_mv"] == 0).mean()
        self.assertGreater(unbiased, 0.45)
        self.assertLess(unbiased, 0.55)

    def test_core_slices_split_evenly_in_order(self):
        self.assertEqual(compare.core_slices(3200),
                         [(0, 0, 800), (1, 800, 1600), (2, 1600, 2400), (3, 2400, 3200)])
        self.assertEqual(compare.core_slices(10), [(0, 0, 3), (1, 3, 6), (2, 6, 8), (3, 8, 10)])

    def test_sanafe_file(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "net.yaml")
            compare.write_sanafe_network(self.net, path)
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        neurons = [line for line in lines if line.startswith("        - ") and "soma" in line]
        self.assertEqual(len(neurons), 4000)
        pairs = sum(line.count("], [") + 1 for line in lines
                    if "source_target_pairs" in line)
        self.assertEqual(pairs, 320933)
        mapping = lines[lines.index("mappings:") + 1:]
        self.assertEqual(mapping[0], "  - exc.0..799: [core: 0.0]")
        self.assertEqual(mapping[-1], "  - inh.600..799: [core: 0.3]")


class SummaryAndFormulaTest(unittest.TestCase):
    def test_summary_parse(self):
        s = compare.parse_sanafe_summary(SUMMARY)
        self.assertEqual(s["total_spikes"], 5211557)
        self.assertEqual(s["energy.synapse"], 1.850103e-04)
        self.assertEqual(s["energy.total"], 5.096092e-04)
        self.assertEqual(s["wall_time.neuron_processing"], 0.237214)

    def test_summary_missing_fields_is_an_error(self):
        with self.assertRaises(compare.ToolError):
            compare.parse_sanafe_summary("Run finished.\n")

    def test_formula_reproduces_sanafe(self):
        counts = {"neuron_updates": 4000000, "spikes": 65067, "synaptic_events": 5211557,
                  "messages": 260268}
        terms = compare.sanafe_energy_terms(ARCH, counts, 4000, 1000)
        self.assertAlmostEqual(sum(terms.values()) / 5.096092e-04, 1.0, places=6)
        self.assertAlmostEqual(terms["access (every neuron, every step)"], 204.8e-6)


class CommandLineTest(unittest.TestCase):
    def test_missing_sanafe_exits_2(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), tempfile.TemporaryDirectory() as folder:
            code = compare.main(["--sanafe", os.path.join(folder, "nowhere"), "--out", folder])
        self.assertEqual(code, 2)
        self.assertIn("compare.py:", err.getvalue())

    @unittest.skipUnless(os.path.isfile(os.path.join(compare.REPO_ROOT, "build", "tandem")),
                         "tandem is not built")
    def test_tandem_side_only(self):
        out, err = io.StringIO(), io.StringIO()
        with tempfile.TemporaryDirectory() as folder:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = compare.main(["--steps", "50", "--out", folder])
            self.assertEqual(code, 0, err.getvalue())
            with open(os.path.join(folder, "compare.json"), encoding="utf-8") as f:
                result = json.load(f)
        self.assertIn("tandem side only", err.getvalue())
        self.assertEqual(result["network"]["synapses"], 320933)
        tandem = result["tandem"]
        self.assertEqual(tandem["steps"], 50)
        self.assertGreater(tandem["neuron_spikes"], 0)
        self.assertEqual(tandem["neuron_updates"], 4000 * 50)
        self.assertNotIn("sanafe", result)


if __name__ == "__main__":
    unittest.main()
