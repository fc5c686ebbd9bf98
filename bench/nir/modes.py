#!/usr/bin/env python3
"""NIR graphs on tandem's event engine: event vs always-on run time and energy, in one process run.

Usage: /usr/bin/python3 bench/nir/modes.py [--tandem build/app/tandem] [--chip loihi2] [--density P]

For each graph (a Braille RNN at dt 0.1 ms, the NIR paper's CNN at dt 1 s) it writes seeded
random input events (probability --density per input unit and tick), runs `tandem run` in both
modes with the same input, and prints wall time per tick and the energy report's totals.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GRAPHS = [  # file, dt_ms, input width, ticks (the RNN is small: many ticks make its time measurable)
    ("tests/data/nir/norse_braille.nir", 0.1, 12, 20000),
    ("tests/data/nir/cnn_sinabs.nir", 1000.0, 2 * 34 * 34, 300),
]


def run(tandem, graph, dt_ms, table, ticks, mode, chip, report):
    command = [tandem, "run", os.path.join(ROOT, graph), "--dt-ms", str(dt_ms), "--input", "input=" + table,
               "--ticks", str(ticks), "--mode", mode, "--chip", chip, "--energy-report", report, "--force"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    wall = re.search(r"wall time: ([0-9.]+) s build, ([0-9.]+) s run", out)
    with open(report) as f:
        total = json.load(f)["total"]
    return float(wall.group(2)), total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tandem", default=os.path.join(ROOT, "build/app/tandem"))
    parser.add_argument("--density", type=float, default=0.05, help="input events per unit and tick")
    parser.add_argument("--chip", default="loihi2")
    args = parser.parse_args()
    rng = random.Random(1)
    print("| graph | ticks | event µs/tick | always-on µs/tick | time event/always-on | dynamic energy event/always-on |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for graph, dt_ms, width, ticks in GRAPHS:
            table = os.path.join(tmp, "input.csv")
            with open(table, "w") as f:
                for _ in range(ticks):
                    f.write(",".join("1" if rng.random() < args.density else "0" for _ in range(width)) + "\n")
            report = os.path.join(tmp, "report.json")
            event_s, event = run(args.tandem, graph, dt_ms, table, ticks, "event", args.chip, report)
            always_s, always = run(args.tandem, graph, dt_ms, table, ticks, "always-on", args.chip, report)
            dynamic = event["energy_j"]["dynamic"] / always["always_on_energy_j"]["dynamic"]
            print(f"| {os.path.basename(graph)} | {ticks} | {1e6 * event_s / ticks:.1f} | {1e6 * always_s / ticks:.1f} | "
                  f"{event_s / max(always_s, 1e-9):.2f} | {dynamic:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
