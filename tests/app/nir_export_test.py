#!/usr/bin/env python3
"""CTest: `tandem export NET.yaml -o NET.nir` as a user runs it. The file read with h5py has NIR's
documented layout (/version, /node of type NIRGraph, nodes/<name>/type with each node type's
parameters and their shapes, edges (E, 2) naming existing nodes, dt in /node/metadata); running it
with the `tandem run` line the export prints records the same output spikes as running the network
file; refusals, an existing output and a missing -o exit 2 naming the problem.

usage: nir_export_test.py TANDEM"""
import os
import shlex
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

TANDEM = sys.argv[1]
del sys.argv[1:2]

NETWORK = """
simulation: {dt_ms: 0.1, seed: 3, ticks: 300}
inputs:
  stim: {kind: spike_times, size: 4, times_ms: [[0.5, 3.0, 7.1], [1.0, 1.1, 12.0], [2.2, 9.9], [4.0, 4.1, 4.2, 15.0]]}
populations:
  rec: {model: lif, size: 6, parameters: {tau_m_ms: 4.0, v_threshold_mv: 1.0}}
  out: {model: cuba_lif, size: 2, parameters: {tau_mem_ms: 6.0, tau_syn_ms: 2.0, v_threshold_mv: 0.3}}
projections:
  drive: {from: stim, to: rec, weight: 1.2}
  loop: {from: rec, to: rec, rule: fixed_probability, p: 0.4, weight: 0.3}
  onward: {from: rec, to: out, weight: 0.9, delay_ms: 0.2}
"""

# NIR's parameters of each node type this export writes (nir/ir/*.py): name -> shape rule.
NEURON_PARAMETERS = {
    "LIF": ["tau", "r", "v_leak", "v_threshold", "v_reset"],
    "CubaLIF": ["tau_mem", "tau_syn", "r", "v_leak", "v_threshold", "v_reset", "w_in"],
}


def tandem(*args):
    return subprocess.run([TANDEM, *args], capture_output=True, text=True, timeout=300)


def text(dataset):
    value = dataset[()]
    return value.decode() if isinstance(value, bytes) else str(value)


class Export(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.yaml = self.path("net.yaml")
        with open(self.yaml, "w") as f:
            f.write(NETWORK)

    def tearDown(self):
        self.directory.cleanup()

    def path(self, name):
        return os.path.join(self.directory.name, name)

    def export(self, *extra):
        done = tandem("export", self.yaml, "-o", self.path("net.nir"), *extra)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    def test_layout_is_nir_documented(self):
        self.export()
        with h5py.File(self.path("net.nir"), "r") as f:
            self.assertIn("version", f)
            self.assertEqual(text(f["node/type"]), "NIRGraph")
            nodes = f["node/nodes"]
            types = {name: text(nodes[name]["type"]) for name in nodes}
            self.assertEqual(types["stim"], "Input")
            self.assertEqual(types["rec"], "LIF")
            self.assertEqual(types["out"], "CubaLIF")
            self.assertEqual(types["drive"], "Linear")
            self.assertEqual(types["onward"], "Linear")
            self.assertEqual(types["output"], "Output")
            self.assertEqual(list(nodes["stim/shape"][()]), [4])
            self.assertEqual(list(nodes["output/shape"][()]), [2])
            sizes = {"rec": 6, "out": 2}
            for name, size in sizes.items():
                for parameter in NEURON_PARAMETERS[types[name]]:
                    self.assertEqual(nodes[name][parameter].shape, (size,), f"{name}.{parameter}")
            # Linear weights are [out, in].
            self.assertEqual(nodes["drive/weight"].shape, (6, 4))
            self.assertEqual(nodes["loop/weight"].shape, (6, 6))
            self.assertEqual(nodes["onward/weight"].shape, (2, 6))
            # Delay nodes hold seconds per unit of their input.
            for name, kind in types.items():
                if kind == "Delay":
                    delay = nodes[name]["delay"][()]
                    self.assertTrue(np.all(delay >= 0))
                    self.assertTrue(np.allclose(delay / 1e-4, np.round(delay / 1e-4)))
            # The exact-integration τ becomes the forward-Euler τ with the same decay per tick.
            tau = nodes["rec/tau"][0]
            self.assertAlmostEqual(1 - 1e-4 / tau, np.exp(-0.1 / 4.0), places=7)
            edges = f["node/edges"]
            self.assertEqual(edges.shape[1], 2)
            for source, target in edges[()]:
                self.assertIn(source.decode(), types)
                self.assertIn(target.decode(), types)
            self.assertAlmostEqual(f["node/metadata/dt"][()], 1e-4)

    def test_running_the_export_gives_the_network_spikes(self):
        stdout = self.export()
        command = next(line for line in stdout.splitlines() if line.startswith("run it with: "))
        args = shlex.split(command[len("run it with: "):])
        self.assertEqual(args[:2], ["tandem", "run"])
        nir_trace, yaml_trace = self.path("nir.h5"), self.path("yaml.h5")
        done = tandem(*args[1:], "--record", nir_trace, "-q")
        self.assertEqual(done.returncode, 0, done.stderr)
        done = tandem("run", self.yaml, "--record", yaml_trace, "-q")
        self.assertEqual(done.returncode, 0, done.stderr)
        with h5py.File(nir_trace, "r") as a, h5py.File(yaml_trace, "r") as b:
            for key in ("tick", "index"):
                imported = a[f"snn/out/spikes/{key}"][()]
                direct = b[f"snn/out/spikes/{key}"][()]
                self.assertGreater(len(direct), 0)
                np.testing.assert_array_equal(imported, direct)

    def test_refusals_and_bad_input_exit_2(self):
        with open(self.path("bad.yaml"), "w") as f:
            f.write(NETWORK.replace("model: cuba_lif", "model: izhikevich").replace(
                ", parameters: {tau_mem_ms: 6.0, tau_syn_ms: 2.0, v_threshold_mv: 0.3}", ""))
        done = tandem("export", self.path("bad.yaml"), "-o", self.path("bad.nir"))
        self.assertEqual(done.returncode, 2)
        self.assertIn("populations.out.model: model 'izhikevich' has no NIR equivalent", done.stderr)
        self.assertFalse(os.path.exists(self.path("bad.nir")))
        self.export()
        done = tandem("export", self.yaml, "-o", self.path("net.nir"))
        self.assertEqual(done.returncode, 2)
        self.assertIn("exists; pass --force", done.stderr)
        self.export("--force")
        done = tandem("export", self.yaml)
        self.assertEqual(done.returncode, 2)
        self.assertIn("-o FILE.nir", done.stderr)
        done = tandem("export", "--help")
        self.assertEqual(done.returncode, 0)
        self.assertIn("tandem export NETWORK.yaml -o NETWORK.nir", done.stdout)


if __name__ == "__main__":
    unittest.main()
