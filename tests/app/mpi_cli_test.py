#!/usr/bin/env python3
"""CTest: `mpirun -np K tandem run NET.yaml` (docs/mpi.md) gives the results of one process, bit for
bit: every dataset of the trace (spikes, state, energy windows) and the energy report, for K = 2 and
3 (and threads inside the processes), on a seeded random network of four models with per-synapse
delays (event and always-on), on hybrid_demo.yaml (bridge and dense layer) and on Brunel scaled down.
A signal to mpirun, or a process killed, ends every process with a non-zero exit and a trace that
says "interrupted" and holds whole epochs; bad input exits 2 with a message, never hangs.

usage: mpi_cli_test.py TANDEM SOURCE_DIR MPIRUN"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import numpy

from run_comparison import datasets, without_timing

TANDEM, SOURCE, MPIRUN = sys.argv[1], sys.argv[2], sys.argv[3]
del sys.argv[1:4]
NETWORKS = os.path.join(SOURCE, "examples", "networks")
RANDOM_NETWORK = os.path.join(SOURCE, "tests", "app", "data", "mpi_random_network.yaml")
# Brunel at a fifth of its size (2,000 + 500 neurons, in-degrees unchanged) for 30 ms.
BRUNEL_SMALL = [os.path.join(NETWORKS, "brunel.yaml"), "--duration-ms", "30",
                "--set", "populations.exc.size=2000", "--set", "populations.inh.size=500",
                "--set", "inputs.ext_exc.size=2000", "--set", "inputs.ext_inh.size=500"]
# The sanitizer build runs several times slower (tests/app/CMakeLists.txt sets this factor for it).
SLOWDOWN = float(os.environ.get("TANDEM_TEST_SLOWDOWN", "1"))
TIMEOUT_S = 120 * SLOWDOWN  # a run that hangs fails here instead of holding up CI


def mpirun(processes):
    return [MPIRUN, "--allow-run-as-root", "--oversubscribe", "-np", str(processes)]


def tandem(*args, processes=1, check=True):
    """`tandem ARGS` alone (processes=1: no mpirun at all, the reference) or under mpirun -np K."""
    command = [TANDEM, *args] if processes == 1 else [*mpirun(processes), TANDEM, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


class SameResultsForAnyProcessCount(unittest.TestCase):
    def compare(self, network_args, label, runs=((2, 1), (3, 1), (2, 2)), check_log=None):
        """Runs network_args in one process, then under mpirun for each (processes, threads);
        check_log(rank 0's log, one process's energy report, processes), when given, reads the log
        (the run is then not --quiet)."""
        with tempfile.TemporaryDirectory() as tmp:
            def run(processes, threads):
                trace = os.path.join(tmp, f"{processes}-{threads}.h5")
                report = os.path.join(tmp, f"{processes}-{threads}.json")
                done = tandem("run", *network_args, "--record", trace, "--energy-report", report, "--force",
                              *([] if check_log else ["--quiet"]), "--threads", str(threads), processes=processes)
                with open(report, encoding="utf-8") as f:
                    energy = without_timing(json.load(f))
                data, meta = datasets(trace)
                self.assertEqual(int(meta["processes"]), processes)
                return data, energy, done.stderr

            data_one, energy_one, _ = run(1, 1)
            spikes = sum(len(v) for name, v in data_one.items() if name.endswith("spikes/tick"))
            self.assertGreater(spikes, 100, f"{label}: too few spikes for the comparison to mean anything")
            for processes, threads in runs:
                data, energy, log = run(processes, threads)
                with self.subTest(label=label, processes=processes, threads=threads):
                    self.assertEqual(sorted(data), sorted(data_one))
                    for name in data_one:
                        self.assertTrue(numpy.array_equal(data[name], data_one[name], equal_nan=True), f"{label}: {name}")
                    self.assertEqual(energy, energy_one)
                    if check_log:
                        check_log(log, energy_one, processes)

    def test_random_network_event(self):
        probes = ["--probe", "lif_pop.spikes", "--probe", "izh_pop.spikes", "--probe", "coba_pop.spikes",
                  "--probe", "alif_pop.spikes", "--probe", "izh_pop.v", "--probe", "coba_pop.g_exc",
                  "--probe", "lif_pop.v,units=0-5;150-202"]
        self.compare([RANDOM_NETWORK, *probes], "random network, event")

    def test_random_network_always_on(self):
        probes = ["--probe", "lif_pop.spikes", "--probe", "alif_pop.spikes", "--probe", "alif_pop.v,every=7"]
        self.compare([RANDOM_NETWORK, "--mode", "always-on", *probes], "random network, always-on", runs=((3, 1),))

    def test_hybrid_demo(self):
        self.compare([os.path.join(NETWORKS, "hybrid_demo.yaml")], "hybrid_demo.yaml", runs=((2, 1), (3, 1)))

    def test_brunel_scaled_down(self):
        self.compare([*BRUNEL_SMALL, "--probe", "exc.spikes", "--probe", "inh.spikes", "--probe", "inh.v,every=10"],
                     "Brunel / 5", runs=((2, 1), (3, 2)))

    def test_another_seed_gives_another_run(self):
        """The comparison can fail: a different seed changes the spikes under mpirun too."""
        with tempfile.TemporaryDirectory() as tmp:
            a, b = os.path.join(tmp, "a.h5"), os.path.join(tmp, "b.h5")
            tandem("run", RANDOM_NETWORK, "--record", a, "--quiet", processes=1)
            tandem("run", RANDOM_NETWORK, "--record", b, "--quiet", "--seed", "8", processes=2)
            self.assertFalse(numpy.array_equal(datasets(a)[0]["snn/lif_pop/spikes/index"],
                                               datasets(b)[0]["snn/lif_pop/spikes/index"]))


def logged_blocks(log):
    """Rank 0's log of the blocks each process's engines own: {population: [(begin, end) per rank]}."""
    blocks = {}
    for line in log.splitlines():
        found = re.match(r"  (\w+) \((\d+)\):((?: rank \d+(?: \(chip \d+,\d+\))? \[\d+, \d+\))+)$", line)
        if found:
            ranks = re.findall(r"rank (\d+)(?: \(chip \d+,\d+\))? \[(\d+), (\d+)\)", found.group(3))
            assert [int(r) for r, _, _ in ranks] == list(range(len(ranks))), line
            blocks[found.group(1)] = [(int(b), int(e)) for _, b, e in ranks]
    return blocks


def mapped_blocks(report, chips_x, chips):
    """From the energy report's mapping (which cores, on which chip, hold how many units of each
    node), the neurons of each neuron population on each chip, in the order the cores were taken:
    chip r's block follows the units on chips 0..r-1. Chips numbered row-major on the board."""
    spiking = {node["node"] for node in report["nodes"] if node["kind"] == "spiking"}
    units = {name: [0] * chips for name in spiking}
    last_chip = dict.fromkeys(spiking, 0)
    for core in report["mapping"]["cores"]:
        chip = core["chip"][0] + core["chip"][1] * chips_x
        for node, count in zip(core["nodes"], core["node_units"]):
            if node in spiking:
                assert chip >= last_chip[node], f"{node}: its cores visit the chips out of order"
                last_chip[node] = chip
                units[node][chip] += count
    blocks = {}
    for name, per_chip in units.items():
        first, blocks[name] = 0, []
        for count in per_chip:
            blocks[name].append((first, first + count))
            first += count
    return blocks


class AProcessPerChip(unittest.TestCase):
    """--board WxH under mpirun -np W*H (docs/mpi.md "A process per chip"): process r owns the neurons
    the mapping places on chip r, and the run is one process's with the same board, bit for bit. The
    random network on chips of six cores in a row at few neurons per core spans the chips: some
    populations straddle two chips, others lie on one, leaving the other processes empty blocks."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        with open(os.path.join(SOURCE, "presets", "loihi2.yaml"), encoding="utf-8") as f:
            text = f.read().replace("name: loihi2", "name: loihi2_six_cores")
        text = text.replace("  width: 8 ", "  width: 6 ").replace("  height: 16 ", "  height: 1 ")
        cls.chip = os.path.join(cls.tmp.name, "loihi2_six_cores.yaml")
        with open(cls.chip, "w", encoding="utf-8") as f:
            f.write(text)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    PROBES = ["--probe", "lif_pop.spikes", "--probe", "izh_pop.spikes", "--probe", "coba_pop.spikes",
              "--probe", "alif_pop.spikes", "--probe", "izh_pop.v", "--probe", "coba_pop.g_exc",
              "--probe", "lif_pop.v,units=0-5;150-202"]

    def check_chips(self, board, neurons_per_core, runs):
        chips_x, chips_y = (int(n) for n in board.split("x"))
        chips = chips_x * chips_y

        def owns_its_chip(log, report, processes):
            self.assertIn(f"a process per chip of the {board} board", log)
            logged = logged_blocks(log)
            mapped = mapped_blocks(report, chips_x, chips)
            self.assertEqual(logged, mapped)
            # The network really spans the chips: each owns neurons, some population is cut between
            # two chips, and some process owns none of some population.
            for rank in range(processes):
                self.assertGreater(sum(e - b for blocks in logged.values() for b, e in [blocks[rank]]), 0, rank)
            self.assertTrue(any(sum(e > b for b, e in blocks) > 1 for blocks in logged.values()), logged)
            self.assertTrue(any(e == b for blocks in logged.values() for b, e in blocks), logged)

        self.compare = SameResultsForAnyProcessCount.compare.__get__(self)
        self.compare([RANDOM_NETWORK, "--chip", self.chip, "--board", board, "--neurons-per-core", str(neurons_per_core),
                      *self.PROBES], f"random network, board {board}", runs=runs, check_log=owns_its_chip)

    def test_two_chips_two_processes(self):
        self.check_chips("2x1", 90, runs=((2, 1), (2, 2)))

    def test_three_chips_three_processes(self):
        self.check_chips("1x3", 50, runs=((3, 1),))

    def test_other_process_counts_keep_neuron_blocks(self):
        done = tandem("run", RANDOM_NETWORK, "--chip", self.chip, "--board", "2x1", "--neurons-per-core", "90",
                      "--ticks", "10", processes=3)
        self.assertIn("--board 2x1 has 2 chips but 3 processes run", done.stderr)
        self.assertEqual(logged_blocks(done.stderr)["lif_pop"], [(0, 67), (67, 135), (135, 203)])

    def test_populations_out_of_chip_order_are_refused(self):
        # min-hops places pieces on the free core nearest their neighbours, in any chip order.
        done = tandem("run", RANDOM_NETWORK, "--chip", self.chip, "--board", "1x3", "--neurons-per-core", "50",
                      "--placement", "min-hops", processes=3, check=False)
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertRegex(done.stderr, r"a process per chip: population '\w+' is placed on chips [\d, ]+ in neuron order")


class Faults(unittest.TestCase):
    LONG = [BRUNEL_SMALL[0], "--duration-ms", "100000", *BRUNEL_SMALL[3:], "--probe", "exc.spikes", "--force"]

    def start_long_run(self, trace, processes=2):
        run = subprocess.Popen([*mpirun(processes), TANDEM, "run", *self.LONG, "--record", trace],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3.0 * SLOWDOWN)  # built and running
        self.assertIsNone(run.poll(), "the run ended before it was stopped")
        return run

    def check_interrupted_trace(self, trace):
        """Whole epochs only, and the spikes of those epochs are those of one process."""
        data, meta = datasets(trace)
        self.assertEqual(meta["status"], "interrupted")
        ticks = int(meta["ticks_completed"])
        self.assertGreater(ticks, 0)
        self.assertLessEqual(int(data["snn/exc/spikes/tick"][-1]), ticks - 1)
        with tempfile.TemporaryDirectory() as tmp:
            reference = os.path.join(tmp, "one.h5")
            tandem("run", BRUNEL_SMALL[0], "--ticks", str(ticks), *BRUNEL_SMALL[3:], "--probe", "exc.spikes",
                   "--record", reference, "--quiet")
            one, _ = datasets(reference)
        for name in ("snn/exc/spikes/tick", "snn/exc/spikes/index"):
            self.assertTrue(numpy.array_equal(data[name], one[name]), name)

    def test_signal_to_mpirun_stops_every_process_after_the_same_epoch(self):
        with tempfile.TemporaryDirectory() as tmp:
            trace = os.path.join(tmp, "run.h5")
            run = self.start_long_run(trace)
            run.send_signal(signal.SIGINT)
            _, err = run.communicate(timeout=TIMEOUT_S)
            self.assertNotEqual(run.returncode, 0)
            # mpirun may drop a process's last lines as it tears the job down: the trace says why.
            self.assertTrue(datasets(trace)[1]["stop_reason"].startswith("interrupted by SIGTERM"), err)
            self.check_interrupted_trace(trace)

    def test_a_killed_process_ends_the_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            trace = os.path.join(tmp, "run.h5")
            run = self.start_long_run(trace)
            ranks = subprocess.run(["pgrep", "-P", str(run.pid)], capture_output=True, text=True).stdout.split()
            self.assertEqual(len(ranks), 2, ranks)
            os.kill(int(sorted(ranks, key=int)[-1]), signal.SIGKILL)
            _, err = run.communicate(timeout=TIMEOUT_S)
            self.assertNotEqual(run.returncode, 0)
            data, meta = datasets(trace)
            self.assertEqual(meta["status"], "interrupted")
            self.assertIn("another process of the run, which is gone", meta["stop_reason"], err)
            self.assertLessEqual(int(data["snn/exc/spikes/tick"][-1]), int(meta["ticks_completed"]) - 1)

    def test_bad_input_exits_2_on_rank_0(self):
        hybrid = os.path.join(NETWORKS, "hybrid_demo.yaml")
        for args, processes, message in [
            (["run", hybrid, "--bogus"], 2, "unrecognised option '--bogus'"),
            (["run", hybrid], 9, "8 neurons to share among 9 processes"),
            (["run", hybrid, "--precision", "tianjic"], 2, "only float32 is supported with several processes"),
            (["bench", "coba"], 2, "'tandem bench' runs in one process"),
        ]:
            with self.subTest(args=args, processes=processes):
                done = tandem(*args, processes=processes, check=False)
                self.assertEqual(done.returncode, 2, done.stderr)
                # Rank 0 says it; the others wait 3 s before they would (app/main.cpp), and are ended first.
                self.assertGreaterEqual(done.stderr.count(message), 1, done.stderr)


if __name__ == "__main__":
    unittest.main()
