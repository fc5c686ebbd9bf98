#!/usr/bin/python3
"""Measures what the integer precisions change (docs/precision.md "Measured on the examples").

Runs examples/networks/hybrid_demo.yaml with --precision float32, tianjic and loihi (its lif
population changes precision; its readout layer names float32) and compares each run's
spikes and readout with the float32 run's: spike count, spikes of the float32 run matched by a
spike of the same neuron within 0 / 1 / 2 ticks, largest membrane difference on the probed
neurons (mV), largest readout difference. Then the cart-pole example in each precision
(balanced episodes, and the quantisation lines the run prints).

Usage: /usr/bin/python3 bench/precision/compare.py [--tandem build/app/tandem] [--out DIR]
           [--episodes 100]
"""

import argparse
import os
import subprocess
import sys

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(tandem, args):
    done = subprocess.run([tandem] + args, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"compare.py: {' '.join([tandem] + args)} failed:\n{done.stderr}")
    return done.stdout


def spikes_by_neuron(trace):
    with h5py.File(trace, "r") as f:
        ticks = f["snn/exc/spikes/tick"][:]
        index = f["snn/exc/spikes/index"][:]
        v = f["snn/exc/state/v"][:]
        readout = f["ann/readout/activations"][:]
    by = {}
    for t, i in zip(ticks, index):
        by.setdefault(int(i), []).append(int(t))
    return len(ticks), by, v, readout


def matched(reference, other, window):
    hits = 0
    for neuron, ticks in reference.items():
        theirs = np.array(other.get(neuron, []))
        for t in ticks:
            if theirs.size and np.min(np.abs(theirs - t)) <= window:
                hits += 1
    return hits


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tandem", default=os.path.join(ROOT, "build/app/tandem"))
    parser.add_argument("--out", default="/tmp/tandem-precision")
    parser.add_argument("--episodes", type=int, default=100)
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)
    network = os.path.join(ROOT, "examples/networks/hybrid_demo.yaml")

    results = {}
    for precision in ("float32", "tianjic", "loihi"):
        trace = os.path.join(options.out, f"demo-{precision}.h5")
        run(options.tandem, ["run", network, "--precision", precision, "--record", trace, "--force", "--quiet"])
        results[precision] = spikes_by_neuron(trace)

    count0, by0, v0, readout0 = results["float32"]
    print("hybrid_demo.yaml (exc: 8 lif neurons, 500 ticks; membrane probed on 3), against float32:")
    print(f"{'precision':<10}{'spikes':>8}{'same tick':>11}{'±1 tick':>9}{'±2 ticks':>10}{'max |dv| mV':>13}{'max |d readout|':>17}")
    for precision, (count, by, v, readout) in results.items():
        print(f"{precision:<10}{count:>8}{matched(by0, by, 0) / count0:>11.1%}{matched(by0, by, 1) / count0:>9.1%}"
              f"{matched(by0, by, 2) / count0:>10.1%}{np.max(np.abs(v - v0)):>13.3f}{np.max(np.abs(readout - readout0)):>17.4f}")

    print(f"\ncart-pole, {options.episodes} pushed episodes:")
    for precision in ("float32", "fixed", "tianjic", "loihi"):
        out = run(options.tandem, ["example", "cartpole", "--precision", precision, "--episodes", str(options.episodes), "--quiet"])
        balanced = next(line for line in out.splitlines() if line.startswith("balanced"))
        print(f"  {precision:<8} {balanced.split(' (')[0]}")
        for line in out.splitlines():
            if line.startswith("quantisation: policy"):
                print(f"           {line}")


if __name__ == "__main__":
    main()
