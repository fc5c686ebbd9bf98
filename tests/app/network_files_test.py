#!/usr/bin/env python3
"""CTest: network files as a user runs them (issue #14). examples/networks/coba.yaml and brunel.yaml
give the same spike count as `tandem bench coba|brunel` for the same seed; --record without a
probe records every population's spikes and says so; `tandem info NET.yaml` summarises long
lists; `tandem run` prints its wall time; bad input exits 2 naming the file and the key path.

usage: network_files_test.py TANDEM SOURCE_DIR"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

import h5py

TANDEM, SOURCE = sys.argv[1], sys.argv[2]
del sys.argv[1:3]
NETWORKS = os.path.join(SOURCE, "examples", "networks")
WALL = re.compile(r"wall time: ([0-9.]+) s build, ([0-9.]+) s run \((\d+) ticks, (\d+) spikes\)")


def tandem(*args, check=True):
    done = subprocess.run([TANDEM, *args], capture_output=True, text=True, timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(f"tandem {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done


def run_spikes(network, *args):
    done = tandem("run", os.path.join(NETWORKS, network), "--quiet", *args)
    match = WALL.search(done.stdout)
    if match is None:
        raise AssertionError("no wall time line in:\n" + done.stdout)
    return int(match.group(4))


def bench_spikes(benchmark, *args):
    return json.loads(tandem("bench", benchmark, "--json", *args).stdout)["spikes"]


class BenchmarksAsFiles(unittest.TestCase):
    def test_coba_file_gives_the_benchmark_spikes(self):
        for seed in ("1", "7"):
            for mode in ("event", "always-on"):
                with self.subTest(seed=seed, mode=mode):
                    expected = bench_spikes("coba", "--duration-ms", "50", "--seed", seed, "--mode", mode)
                    self.assertGreater(expected, 100)
                    self.assertEqual(run_spikes("coba.yaml", "--duration-ms", "50", "--seed", seed, "--mode", mode), expected)

    def test_brunel_file_gives_the_benchmark_spikes(self):
        # A tenth of the neurons (in-degrees kept), as `tandem bench brunel --scale 0.1`.
        scale = ["--set", "populations.exc.size=1000", "--set", "populations.inh.size=250",
                 "--set", "inputs.ext_exc.size=1000", "--set", "inputs.ext_inh.size=250"]
        for seed in ("1", "3"):
            with self.subTest(seed=seed):
                expected = bench_spikes("brunel", "--scale", "0.1", "--duration-ms", "30", "--seed", seed)
                self.assertGreater(expected, 100)
                self.assertEqual(run_spikes("brunel.yaml", "--duration-ms", "30", "--seed", seed, *scale), expected)


class RecordAndInfo(unittest.TestCase):
    def test_record_without_probes_records_every_population(self):
        with tempfile.TemporaryDirectory() as directory:
            trace = os.path.join(directory, "coba.h5")
            done = tandem("run", os.path.join(NETWORKS, "coba.yaml"), "--duration-ms", "20", "--record", trace)
            self.assertIn("recording the spikes of every population (no probe was named): exc, inh", done.stderr)
            spikes = int(WALL.search(done.stdout).group(4))
            with h5py.File(trace, "r") as f:
                recorded = len(f["/snn/exc/spikes/tick"]) + len(f["/snn/inh/spikes/tick"])
                meta = dict(f["/meta"].attrs)
            self.assertEqual(recorded, spikes)
            as_text = lambda v: v.decode() if isinstance(v, bytes) else str(v)
            self.assertIn("spikes of every population", as_text(meta["recorded"]))
            self.assertGreater(float(as_text(meta["wall_run_s"])), 0.0)
            # A long list in the resolved configuration is summarised by tandem info.
            info = tandem("info", trace).stdout
            self.assertIn("exc", info)

    def test_info_summarises_long_initial_lists(self):
        with tempfile.TemporaryDirectory() as directory:
            network = os.path.join(directory, "net.yaml")
            values = ", ".join(str(-60 + i / 400) for i in range(4000))
            with open(network, "w") as f:
                f.write("populations:\n  exc: {model: lif, size: 4000, initial: {v: [" + values + "]}}\n")
            out = tandem("info", network).stdout
            self.assertIn("exc", out)
            self.assertIn("4000 values, min -60", out)
            self.assertLess(len(out), 4000)


class BadInput(unittest.TestCase):
    def check_bad(self, yaml_text, key_path, problem):
        with tempfile.TemporaryDirectory() as directory:
            network = os.path.join(directory, "bad.yaml")
            with open(network, "w") as f:
                f.write(yaml_text)
            done = tandem("run", network, "--ticks", "5", "--quiet", check=False)
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertIn(network, done.stderr)
            self.assertIn(key_path + ": " + problem, done.stderr)

    def test_zero_delay(self):
        self.check_bad("populations:\n  a: {model: lif, size: 2}\nprojections:\n  p: {from: a, to: a, delay_ms: 0}\n",
                       "projections.p.delay_ms", "must be at least one tick")

    def test_per_neuron_parameter(self):
        self.check_bad("populations:\n  a: {model: lif, size: 2, parameters: {tau_m_ms: [10, 20]}}\n",
                       "populations.a.parameters.tau_m_ms", "one value per neuron is not supported")

    def test_initial_text(self):
        self.check_bad("populations:\n  a: {model: lif, size: 2, initial: {v: rest}}\n",
                       "populations.a.initial.v", "must be a number, a list with one per neuron")

    def test_missing_synapse_file(self):
        self.check_bad("populations:\n  a: {model: lif, size: 2}\nprojections:\n"
                       "  p: {from: a, to: a, rule: explicit, synapses: {file: nowhere.csv}}\n",
                       "projections.p.synapses.file", "file not found")


if __name__ == "__main__":
    unittest.main(verbosity=2)
