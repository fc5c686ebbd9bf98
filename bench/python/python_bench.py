"""The cost of driving tandem from Python, side by side with the same work without Python.

1. Stepping: the cart-pole controller of examples/python/cartpole.py stepped 20 ticks per control
   step with an observation each step, (a) by a C++ loop inside the module (send, run, read the
   policy: Simulation._bench_cpp_steps) and (b) by a Python loop calling Simulation.step(). The
   difference per step is what calling from Python adds (goal: <= 20 us). Unrecorded runs.
2. Reading: a run that records 10 million spikes, read back with tandem.read_trace into numpy
   arrays (goal: well under a second), beside h5py reading the same datasets.

    /usr/bin/python3 bench/python/python_bench.py [--steps 20000] [--repeat 5] [--spikes 10000000] [--json]

Run with the package built (PYTHONPATH=build/python, or the README's set-up).
"""

import argparse
import json
import math
import os
import sys
import tempfile
import time

import numpy as np

import tandem

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "python"))
import cartpole  # noqa: E402 (the example's controller)


def observations(steps):
    """A moving observation (x, x_dot, theta, theta_dot) that makes the delta encoder spike."""
    k = np.arange(steps, dtype=float)
    return np.column_stack([0.5 * np.sin(0.05 * k), 0.4 * np.cos(0.07 * k),
                            0.05 * np.sin(0.11 * k), 0.3 * np.cos(0.13 * k)])


def time_stepping(steps, mode):
    net = cartpole.controller()
    table = observations(steps)
    rows = list(table)  # one numpy row per step, as an environment would hand them over
    # (a) the C++ loop
    sim = net.start(ticks_per_step=20, record=False, mode=mode)
    sim.step(inputs={"cartpole": rows[0]})  # warm: the first step maps buffers
    started = time.perf_counter()
    cpp_out = sim._bench_cpp_steps({"cartpole": table})
    cpp_s = time.perf_counter() - started
    sim.finish()
    # (b) the Python loop
    sim = net.start(ticks_per_step=20, record=False, mode=mode)
    sim.step(inputs={"cartpole": rows[0]})
    step = sim.step
    started = time.perf_counter()
    for row in rows:
        out = step(inputs={"cartpole": row})
    py_s = time.perf_counter() - started
    sim.finish()
    assert out["policy"] is not None and cpp_out["policy"] is not None
    return cpp_s, py_s


def time_reading(spikes):
    # 1,000 LIF neurons driven by a bias current strong enough to fire every tick.
    neurons = 1000
    ticks = int(math.ceil(spikes / neurons))
    net = tandem.Network(dt_ms=1.0, name="spike source")
    net.add_population("busy", "lif", neurons, parameters={"tau_m_ms": 10.0, "v_threshold_mv": 1.0,
                                                           "v_reset_mv": 0.0, "refractory_ms": 0.0,
                                                           "r_mohm": 1.0, "bias_na": 100.0})
    with tempfile.TemporaryDirectory() as folder:
        trace = os.path.join(folder, "spikes.h5")
        net.run(ticks=ticks, record=trace, chip="tianjic")
        started = time.perf_counter()
        result = tandem.read_trace(trace)
        ticks_array, indices = result.spikes("busy")
        tandem_s = time.perf_counter() - started
        h5py_s = None
        try:
            import h5py
            started = time.perf_counter()
            with h5py.File(trace, "r") as file:
                file["/snn/busy/spikes/tick"][...]
                file["/snn/busy/spikes/index"][...]
            h5py_s = time.perf_counter() - started
        except ImportError:
            pass
    return len(ticks_array), tandem_s, h5py_s, ticks_array.dtype.name, indices.dtype.name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--spikes", type=int, default=10_000_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    for mode in ("event", "always-on"):
        best_cpp, best_py = float("inf"), float("inf")
        for _ in range(args.repeat):
            cpp_s, py_s = time_stepping(args.steps, mode)
            best_cpp, best_py = min(best_cpp, cpp_s), min(best_py, py_s)
        rows.append({"benchmark": "python_step", "mode": mode, "steps": args.steps, "ticks_per_step": 20,
                     "cpp_us_per_step": 1e6 * best_cpp / args.steps, "python_us_per_step": 1e6 * best_py / args.steps,
                     "added_us_per_step": 1e6 * (best_py - best_cpp) / args.steps})
    count, tandem_s, h5py_s, tick_type, index_type = time_reading(args.spikes)
    rows.append({"benchmark": "python_read_spikes", "spikes": count, "read_trace_s": tandem_s, "h5py_s": h5py_s,
                 "dtypes": [tick_type, index_type]})
    for row in rows:
        if args.json:
            print(json.dumps(row))
        elif row["benchmark"] == "python_step":
            print(f"step {row['mode']:9s}  C++ loop {row['cpp_us_per_step']:.2f} us/step, Python loop "
                  f"{row['python_us_per_step']:.2f} us/step: Python adds {row['added_us_per_step']:.2f} us per "
                  f"control step (best of {args.repeat} x {args.steps} steps)")
        else:
            h5py_text = f", h5py {row['h5py_s']:.3f} s" if row["h5py_s"] is not None else ""
            print(f"read {row['spikes']:,} spikes into numpy ({'/'.join(row['dtypes'])}): read_trace "
                  f"{row['read_trace_s']:.3f} s{h5py_text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
