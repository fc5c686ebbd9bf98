"""The Python module `tandem` (docs/python.md) against the command line it shares its code with.

Run by ctest as: /usr/bin/python3 tandem_module_test.py TANDEM_EXECUTABLE SOURCE_DIR, with the
built package on PYTHONPATH (tests/python/CMakeLists.txt).
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

TANDEM = sys.argv[1] if len(sys.argv) > 2 else "tandem"
SOURCE = sys.argv[2] if len(sys.argv) > 2 else "."
DEMO = os.path.join(SOURCE, "examples", "networks", "hybrid_demo.yaml")

import tandem  # noqa: E402 (after the arguments, which name the build)


def cli(*args):
    return subprocess.run([TANDEM, *args], check=True, capture_output=True, text=True).stdout


class RunMatchesCommandLine(unittest.TestCase):
    """net.run gives what `tandem run` gives for the same file, seed and options."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.trace = os.path.join(cls.folder.name, "cli.h5")
        cls.report = os.path.join(cls.folder.name, "cli.json")
        cls.cli_stdout = cli("run", DEMO, "--seed", "7", "--record", cls.trace, "--energy-report", cls.report)
        with open(cls.report, encoding="utf-8") as file:
            cls.cli_energy = json.load(file)
        cls.py_trace = os.path.join(cls.folder.name, "py.h5")
        cls.py_report = os.path.join(cls.folder.name, "py.json")
        cls.result = tandem.load(DEMO).run(seed=7, record=cls.py_trace, energy_report=cls.py_report)

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_same_spikes_as_the_command_line(self):
        cli_result = tandem.read_trace(self.trace)
        ticks, indices = self.result.spikes("exc")
        self.assertGreater(len(ticks), 0)
        self.assertEqual(ticks.dtype, np.int64)
        self.assertEqual(indices.dtype, np.uint32)
        np.testing.assert_array_equal(ticks, cli_result.spikes("exc")[0])
        np.testing.assert_array_equal(indices, cli_result.spikes("exc")[1])

    def test_same_energy_as_the_command_line(self):
        energy = self.result.energy
        for key in ("total", "nodes", "static_power", "time", "mapping", "ticks", "chip", "mode", "dt_ms"):
            self.assertEqual(energy[key], self.cli_energy[key], key)
        self.assertEqual(set(energy), set(self.cli_energy))  # exactly the JSON schema
        with open(self.py_report, encoding="utf-8") as file:
            self.assertEqual(json.load(file)["total"], self.cli_energy["total"])

    def test_table_is_the_command_lines(self):
        table = self.result.energy.table()
        self.assertIn(table, self.cli_stdout)
        self.assertEqual(tandem.energy.table(self.result), table)

    def test_compare_is_the_command_lines(self):
        other = os.path.join(self.folder.name, "always_on.json")
        cli("run", DEMO, "--seed", "7", "--mode", "always-on", "--energy-report", other, "--quiet")
        expected = cli("energy", "compare", self.report, other)
        self.assertEqual(tandem.energy.compare([self.report, other]), expected)
        always_on = tandem.load(DEMO).run(seed=7, mode="always-on")
        self.assertEqual(tandem.energy.compare([self.result, always_on], labels=[self.report, other]), expected)

    def test_read_trace_equals_the_run(self):
        read = tandem.read_trace(self.py_trace, energy_report=self.py_report)
        self.assertEqual(read.datasets(), self.result.datasets())
        for path in read.datasets():
            np.testing.assert_array_equal(read.dataset(path)[0], self.result.dataset(path)[0], path)
        self.assertEqual(read.meta, self.result.meta)
        self.assertEqual(read.energy, self.result.energy)
        self.assertEqual(read.status, "complete")
        self.assertEqual(read.ticks, 500)


class Arguments(unittest.TestCase):
    """set, duration, chip, mode, precision and probes take effect."""

    def test_set_changes_spikes_and_the_same_seed_repeats(self):
        net = tandem.load(DEMO)
        a = net.run(ticks=300, seed=3)
        b = net.run(ticks=300, seed=3)
        np.testing.assert_array_equal(a.spikes("exc")[0], b.spikes("exc")[0])
        slow = tandem.load(DEMO, set={"populations.exc.parameters.tau_m_ms": 60}).run(ticks=300, seed=3)
        self.assertNotEqual(len(slow.spikes("exc")[0]), len(a.spikes("exc")[0]))

    def test_duration_and_ticks(self):
        net = tandem.load(DEMO)
        self.assertEqual(net.run(duration_ms=120).ticks, 120)
        self.assertEqual(net.run(ticks=50).energy["ticks"], 50)
        with self.assertRaisesRegex(tandem.InputError, "--ticks or --duration-ms"):
            net.run(ticks=5, duration_ms=5)

    def test_chip_and_mode(self):
        net = tandem.load(DEMO)
        loihi2 = net.run(ticks=100, chip="loihi2")
        self.assertEqual(loihi2.energy["chip"]["name"], "loihi2")
        self.assertEqual(net.run(ticks=100, mode="always-on").energy["mode"], "always-on")
        both = net.run(ticks=100, chip="tianjic,loihi2")
        self.assertEqual([r["chip"]["name"] for r in both.energies], ["tianjic", "loihi2"])
        self.assertEqual(both.energies[1]["total"], loihi2.energy["total"])

    def test_precision(self):
        net = tandem.load(DEMO)
        default = net.run(ticks=200, seed=1).state("exc", "v")  # the file's probe: units 0-2
        loihi = net.run(ticks=200, seed=1, precision="loihi").state("exc", "v")
        self.assertFalse(np.array_equal(default, loihi))
        loaded = tandem.load(DEMO, precision="loihi").run(ticks=200, seed=1).state("exc", "v")
        np.testing.assert_array_equal(loaded, loihi)
        with self.assertRaisesRegex(tandem.InputError, "float7"):
            net.run(ticks=10, precision="float7")

    def test_state_probe(self):
        # The file records exc.v of units 0-2 every tick and readout's activations every 20 ticks.
        result = tandem.load(DEMO).run(ticks=100)
        self.assertEqual(result.state("exc", "v").shape, (100, 3))
        self.assertEqual(result.activations("readout").shape[1], 2)
        steps = np.diff(result.state_ticks("exc", "v"))
        self.assertTrue(np.all(steps == 1))
        with self.assertRaisesRegex(tandem.InputError, "exc.w"):
            result.state("exc", "w")
        # A network without probes records every population's spikes and what probes= names.
        overrides = {"probes": []}
        bare = tandem.load(DEMO, set=overrides).run(ticks=100, probes=["exc.v,every=10"])
        self.assertEqual(bare.state("exc", "v").shape, (10, 8))
        np.testing.assert_array_equal(np.diff(bare.state_ticks("exc", "v")), np.full(9, 10))


class Errors(unittest.TestCase):
    def test_bad_file_names_the_file(self):
        with tempfile.TemporaryDirectory() as folder:
            bad = os.path.join(folder, "bad_net.yaml")
            with open(bad, "w", encoding="utf-8") as file:
                file.write("populations:\n  exc: {model: lif, size: 3}\nsimulation: {dt_ms: -1}\n")
            with self.assertRaises(tandem.InputError) as caught:
                tandem.load(bad)
            self.assertIn("bad_net.yaml", str(caught.exception))
            self.assertIsInstance(caught.exception, ValueError)
            with open(bad, "w", encoding="utf-8") as file:
                file.write("simulation: {ticks: 10}\npopulations:\n  exc: {model: nosuchmodel, size: 3}\n")
            with self.assertRaisesRegex(tandem.InputError, "bad_net.yaml.*nosuchmodel"):
                tandem.load(bad).run()
        with self.assertRaisesRegex(tandem.InputError, "missing.yaml"):
            tandem.load("missing.yaml")
        with self.assertRaisesRegex(tandem.InputError, "no_trace.h5"):
            tandem.read_trace("no_trace.h5")

    def test_bad_override_and_chip(self):
        with self.assertRaises(tandem.InputError):
            tandem.load(DEMO, set={"populations.nosuch.size": 3})
        with self.assertRaisesRegex(tandem.InputError, "nochip"):
            tandem.load(DEMO).run(ticks=10, chip="nochip")
        self.assertTrue(issubclass(tandem.RunError, RuntimeError))

    def test_existing_record_needs_force(self):
        with tempfile.TemporaryDirectory() as folder:
            trace = os.path.join(folder, "run.h5")
            tandem.load(DEMO).run(ticks=10, record=trace)
            with self.assertRaises(tandem.InputError):
                tandem.load(DEMO).run(ticks=10, record=trace)
            self.assertEqual(tandem.load(DEMO).run(ticks=20, record=trace, force=True).ticks, 20)


class CtrlC(unittest.TestCase):
    """SIGINT during a run stops it cleanly: Interrupted carries the partial result, the trace
    says "interrupted", and Python goes on."""

    SCRIPT = """
import sys, tandem
net = tandem.load(sys.argv[1])
print("ready", flush=True)
try:
    net.run(ticks=200_000_000, record=sys.argv[2])
except tandem.Interrupted as stop:
    print("interrupted:", stop, "|", stop.result.status, stop.result.ticks, stop.result.energy["status"], flush=True)
print("after", flush=True)
"""

    def test_sigint_keeps_what_was_recorded(self):
        import signal
        import time
        with tempfile.TemporaryDirectory() as folder:
            trace = os.path.join(folder, "long.h5")
            process = subprocess.Popen([sys.executable, "-c", self.SCRIPT, DEMO, trace], stdout=subprocess.PIPE,
                                       text=True, env=os.environ)
            self.assertEqual(process.stdout.readline().strip(), "ready")
            time.sleep(1.5)
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=120)
            self.assertEqual(process.returncode, 0, output)
            self.assertRegex(output, r"interrupted: interrupted by SIGINT after \d+ ticks \| interrupted [1-9]\d* interrupted")
            self.assertIn("after", output)
            read = tandem.read_trace(trace)
            self.assertEqual(read.status, "interrupted")
            self.assertGreater(len(read.spikes("exc")[0]), 0)


class Chips(unittest.TestCase):
    def test_chips_list_presets_with_costs(self):
        chips = {c["name"]: c for c in tandem.chips()}
        self.assertIn("tianjic", chips)
        self.assertIn("loihi2", chips)
        self.assertIn("synaptic_ops", chips["loihi"]["costs_pj"])
        self.assertEqual(tandem.chip("tianjic")["name"], "tianjic")


class Documentation(unittest.TestCase):
    def test_every_public_function_has_a_docstring(self):
        for name in tandem.__all__:
            item = getattr(tandem, name)
            if callable(item) or isinstance(item, type):
                self.assertTrue(item.__doc__, name)
        for method in ("run",):
            self.assertTrue(getattr(tandem.Network, method).__doc__)
        for name in ("spikes", "state", "activations", "datasets", "dataset"):
            self.assertTrue(getattr(tandem.Result, name).__doc__, name)
        for name in tandem.energy.__all__:
            self.assertTrue(getattr(tandem.energy, name).__doc__, name)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]])
