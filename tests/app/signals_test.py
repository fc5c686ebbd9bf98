#!/usr/bin/env python3
"""CTest: SIGINT and SIGTERM stop every kind of `tandem` command with its outputs closed.

Each case starts the real CLI as a child process (default dispositions, as from a terminal),
signals it at a chosen or random moment, and checks: the exit code (128 + signal), that it
ended within a bound after the signal, and that the HDF5 trace opens in h5py with /meta status
`interrupted` and holds every tick before `ticks_completed` -- compared with an uninterrupted
reference run of the same seed, dataset by dataset. The random cases draw their moments from a
seeded generator; a failure prints the seed, command and delay, so it can be replayed.

usage: signals_test.py TANDEM SOURCE_DIR [--random N] [--seed S]
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("tandem")
parser.add_argument("source_dir")
parser.add_argument("--random", type=int, default=20, help="signals at random moments")
parser.add_argument("--seed", type=int, default=None, help="seed of the random moments (default: time)")
ARGS, rest = parser.parse_known_args()
sys.argv = [sys.argv[0]] + rest
TANDEM = ARGS.tandem
SEED = ARGS.seed if ARGS.seed is not None else int(time.time())

# How long a stopped command may take after the (last) signal: one epoch, closing the trace
# and printing the energy table take milliseconds; the bound leaves room for a loaded machine.
STOP_BOUND_S = 5.0

# Commands that would run for minutes; each records a trace where it can.
HYBRID_DEMO = os.path.join(ARGS.source_dir, "examples/networks/hybrid_demo.yaml")
KINDS = {
    "run": ["run", HYBRID_DEMO, "--ticks", "1000000000"],
    "cartpole": ["example", "cartpole", "--episodes", "1000000"],
    "bicycle": ["example", "bicycle", "--episodes", "1000000"],
    "bench": ["bench", "coba", "--duration-ms", "10000000"],
}
RECORDS = {"run": True, "cartpole": True, "bicycle": True, "bench": False}


class Child:
    """The CLI started in `directory`, its output collected, signalled from the test."""

    def __init__(self, kind, directory, ignore_sigint=False):
        self.kind = kind
        self.trace = os.path.join(directory, kind + ".h5")
        self.report = os.path.join(directory, kind + ".json")
        args = [TANDEM] + KINDS[kind]
        if RECORDS[kind]:
            args += ["--record", self.trace, "--energy-report", self.report, "--force"]
        self.args = args
        self.started = time.monotonic()
        preexec = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        preexec_fn=preexec)
        self.last_signal_at = None

    def send(self, signal_number):
        self.process.send_signal(signal_number)
        self.last_signal_at = time.monotonic()

    def finish(self, timeout=30.0):
        out, err = self.process.communicate(timeout=timeout)
        self.stdout = out.decode(errors="replace")
        self.stderr = err.decode(errors="replace")
        self.stop_s = time.monotonic() - self.last_signal_at
        return self.process.returncode

    def describe(self):
        return (f"seed {SEED}: {' '.join(self.args)}\nexit {self.process.returncode}\n"
                f"stderr: {self.stderr[-2000:]}\nstdout tail: {self.stdout[-800:]}")


def meta_of(trace):
    with h5py.File(trace, "r") as f:
        return {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f["/meta"].attrs.items()}


def datasets_of(trace):
    found = {}
    with h5py.File(trace, "r") as f:
        def visit(name, item):
            if isinstance(item, h5py.Dataset):
                found[name] = (item[()], dict(item.attrs))
        f.visititems(visit)
    return found


def reference_command(kind, trace, ticks_completed):
    """The same command, uninterrupted, long enough to cover `ticks_completed` ticks."""
    if kind == "run":
        return [TANDEM, "run", HYBRID_DEMO, "--ticks", str(ticks_completed)]
    # Closed loops: as many episodes as the interrupted run had begun (same seeds, same ticks).
    with h5py.File(trace, "r") as f:
        group = f["/env/" + ("cartpole" if kind == "cartpole" else "bicycle")]
        episodes = int(group["episode"][-1]) + 1 if group["episode"].shape[0] else 1
    return [TANDEM] + KINDS[kind][:2] + ["--episodes", str(episodes)]


class SignalCase(unittest.TestCase):
    maxDiff = 4000

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.directory.cleanup()

    def start(self, kind, **kwargs):
        return Child(kind, self.directory.name, **kwargs)

    def check_stopped(self, child, signal_number, started_up=True, twice=False):
        """Exit code, time bound, stderr message; the trace and report when there are any."""
        code = child.finish()
        info = child.describe()
        self.assertLess(child.stop_s, STOP_BOUND_S, info)
        if not started_up and code == -signal_number:
            # The signal beat the guard (dynamic loading, before main): the default action, and
            # nothing was written yet.
            self.assertFalse(os.path.exists(child.trace), info)
            return None
        name = "SIGINT" if signal_number == signal.SIGINT else "SIGTERM"
        self.assertIn("interrupted by " + name, child.stderr, info)
        if twice and code == -signal_number:
            # The first signal had already stopped the command and its guard was gone when the
            # second one came: the default action ended a process whose outputs were closed.
            self.assertIn("outputs closed", child.stderr, info)
        else:
            self.assertEqual(code, 128 + signal_number, info)
        self.assertNotIn("Traceback", child.stderr, info)
        if not RECORDS[child.kind] or not os.path.exists(child.trace):
            return None
        meta = meta_of(child.trace)  # opens in h5py: closed and unlocked
        self.assertEqual(meta["status"], "interrupted", info)
        self.assertIn(name, meta["stop_reason"], info)
        ticks = int(meta["ticks_completed"])
        if os.path.exists(child.report):
            with open(child.report) as f:
                report = json.load(f)
            self.assertEqual(report["status"], "interrupted", info)
            self.assertEqual(report["ticks"], ticks, info)
        return ticks

    def check_against_reference(self, child, ticks):
        """Every dataset of the interrupted trace is the start of the uninterrupted run's."""
        reference = os.path.join(self.directory.name, "reference.h5")
        command = reference_command(child.kind, child.trace, ticks)
        done = subprocess.run(command + ["--record", reference, "--force"], capture_output=True, timeout=300)
        self.assertEqual(done.returncode, 0, done.stderr.decode())
        got, want = datasets_of(child.trace), datasets_of(reference)
        self.assertEqual(sorted(got), sorted(want))
        window = next(int(a["window_ticks"]) for _, a in got.values() if "window_ticks" in a)
        for name, (values, attrs) in got.items():
            expected = want[name][0]
            where = f"{child.describe()}\ndataset {name}, ticks_completed {ticks}"
            if "every_ticks" in attrs and "/spikes/" not in name:
                every = int(attrs["every_ticks"])
                self.assertEqual(values.shape[0], -(-ticks // every), where)  # ticks 0, E, 2E, … < N
            if name.startswith("energy/"):
                # Whole energy windows are identical; a last partial window covers fewer ticks.
                whole = ticks // window
                self.assertIn(values.shape[0], (whole, -(-ticks // window)), where)
                np.testing.assert_array_equal(values[:whole], expected[:whole], err_msg=where)
                continue
            if name.endswith("spikes/tick"):
                self.assertTrue(values.size == 0 or values.max() < ticks, where)
                self.assertEqual(values.shape[0], int(np.count_nonzero(expected < ticks)), where)
            np.testing.assert_array_equal(values, expected[: values.shape[0]], err_msg=where)

    # --- fixed moments, every command kind -------------------------------------------------

    def mid_run(self, kind, signal_number, compare=False):
        child = self.start(kind)
        time.sleep(1.0)
        child.send(signal_number)
        ticks = self.check_stopped(child, signal_number)
        if RECORDS[kind]:
            self.assertGreater(ticks, 0, child.describe())
            if compare:
                self.check_against_reference(child, ticks)

    def test_run_sigint_mid_run_keeps_every_tick(self):
        self.mid_run("run", signal.SIGINT, compare=True)

    def test_cartpole_sigint_mid_run_keeps_every_tick(self):
        self.mid_run("cartpole", signal.SIGINT, compare=True)

    def test_bicycle_sigterm_mid_run_keeps_every_tick(self):
        self.mid_run("bicycle", signal.SIGTERM, compare=True)

    def test_bench_sigint_and_sigterm_mid_run(self):
        self.mid_run("bench", signal.SIGINT)
        self.mid_run("bench", signal.SIGTERM)

    def test_run_and_examples_sigterm_mid_run(self):
        for kind in ("run", "cartpole"):
            self.mid_run(kind, signal.SIGTERM)
        self.mid_run("bicycle", signal.SIGINT)

    def test_every_kind_signalled_during_start_up(self):
        for kind in KINDS:
            for delay in (0.0, 0.005, 0.03):
                child = self.start(kind)
                time.sleep(delay)
                child.send(signal.SIGINT)
                self.check_stopped(child, signal.SIGINT, started_up=False)

    def test_every_kind_signalled_twice_in_a_row(self):
        for kind in KINDS:
            child = self.start(kind)
            time.sleep(0.5)
            child.send(signal.SIGINT)
            time.sleep(0.002)
            child.send(signal.SIGINT)
            self.check_stopped(child, signal.SIGINT, twice=True)

    def test_an_inherited_ignored_sigint_stays_ignored_and_sigterm_still_stops(self):
        child = self.start("cartpole", ignore_sigint=True)
        time.sleep(0.5)
        child.send(signal.SIGINT)
        time.sleep(1.0)
        self.assertIsNone(child.process.poll(), "SIGINT was ignored by the parent: the run goes on")
        child.send(signal.SIGTERM)
        self.assertGreater(self.check_stopped(child, signal.SIGTERM), 0)

    def test_training_stops_and_writes_no_weights(self):
        weights = os.path.join(self.directory.name, "weights.h5")
        args = [TANDEM, "example", "cartpole", "--train", "--train-iterations", "100000", "--weights", weights]
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(1.0)
        process.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        _, err = process.communicate(timeout=30)
        self.assertLess(time.monotonic() - sent, STOP_BOUND_S)
        self.assertEqual(process.returncode, 128 + signal.SIGTERM, err.decode())
        self.assertIn("interrupted by SIGTERM", err.decode())
        self.assertFalse(os.path.exists(weights), "an interrupted training must not leave weights behind")

    # --- random moments, to catch races ------------------------------------------------------

    def test_signals_at_random_moments(self):
        rng = random.Random(SEED)
        kinds = list(KINDS)
        for k in range(ARGS.random):
            kind = kinds[k % len(kinds)]
            signal_number = rng.choice([signal.SIGINT, signal.SIGTERM])
            delay = rng.uniform(0.0, 1.2)
            twice = rng.random() < 0.3
            with self.subTest(kind=kind, delay=delay, signal=signal_number, twice=twice, seed=SEED):
                child = self.start(kind)
                time.sleep(delay)
                child.send(signal_number)
                if twice:
                    time.sleep(rng.uniform(0.0, 0.05))
                    child.send(signal_number)
                self.check_stopped(child, signal_number, started_up=delay > 0.3, twice=twice)
                if os.path.exists(child.trace):
                    os.remove(child.trace)
                if os.path.exists(child.report):
                    os.remove(child.report)


if __name__ == "__main__":
    print(f"signals_test: random moments seeded with {SEED}")
    unittest.main(verbosity=2)
