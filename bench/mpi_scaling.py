#!/usr/bin/env python3
"""Process scaling of Brunel's network (docs/performance.md#processes, docs/mpi.md): runs
examples/networks/brunel.yaml scaled by --scale (neurons x scale, in-degrees unchanged: x4 is
50,000 neurons and 62.5 M synapses) with `tandem run` in one process and under
`mpirun -np K` for every K of --processes, alternating the counts --repeat times so that a change
of load on a shared machine hits each alike, and prints side by side per count: the build and run
wall times (median over the repeats, rank 0's), the peak resident memory of each process, the spike
count (the same for every count, or the script fails) and the load average around the runs.

usage: mpi_scaling.py [--tandem build/app/tandem] [--mpirun mpirun] [--scale 4] [--processes 1,2]
                      [--duration-ms 200] [--repeat 3] [--json]
Exit codes: 0 ok, 1 a run failed or the counts disagreed, 2 bad usage / no binary."""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

from threads_scaling import load_average  # this directory: the scripts run from bench/

BRUNEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "networks", "brunel.yaml")
WALL = re.compile(r"wall time: ([0-9.]+) s build, ([0-9.]+) s run \((\d+) ticks, (\d+) spikes\)")
PEAK = re.compile(r"peak memory per process \(MB\):((?: [0-9.]+)+)")  # printed by rank 0 under mpirun
ONE_PEAK = re.compile(r"one process peak kB (\d+)")


def network_options(scale, duration_ms):
    exc, inh = 10000 * scale, 2500 * scale
    # Loihi 2 holds the 1x network on one chip; a board of `scale` chips holds the larger ones.
    return [BRUNEL, "--duration-ms", str(duration_ms), "--board", f"{scale}x1", "--force",
            "--set", f"populations.exc.size={exc}", "--set", f"populations.inh.size={inh}",
            "--set", f"inputs.ext_exc.size={exc}", "--set", f"inputs.ext_inh.size={inh}"]


def run_once(tandem, mpirun, processes, options):
    """One run: (build s, run s, spikes, [peak MB per process])."""
    command = [tandem, "run", *options]
    if processes > 1:
        command = [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", str(processes), *command]
    else:
        command = ["/usr/bin/time", "-f", "one process peak kB %M", *command]  # GNU time: the process's peak RSS
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    wall = WALL.search(done.stdout)
    if wall is None:
        raise RuntimeError(f"no wall time line in the output of {' '.join(command)}")
    peak = PEAK.search(done.stdout)
    one = ONE_PEAK.search(done.stderr)
    memory = [float(v) for v in peak.group(1).split()] if peak else [int(one.group(1)) / 1e3] if one else []
    return float(wall.group(1)), float(wall.group(2)), int(wall.group(4)), memory


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tandem", default="build/app/tandem")
    parser.add_argument("--mpirun", default="mpirun")
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--duration-ms", type=float, default=200.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="one JSON object per process count")
    args = parser.parse_args()
    if not os.access(args.tandem, os.X_OK):
        print(f"mpi_scaling.py: no tandem binary at {args.tandem} (build it: cmake --build build --target tandem)",
              file=sys.stderr)
        return 2
    counts = [int(k) for k in args.processes.split(",")]
    if args.repeat < 1 or args.scale < 1 or not counts or min(counts) < 1 or counts[0] != 1:
        print("mpi_scaling.py: --repeat and --scale must be >= 1, and --processes must start with 1", file=sys.stderr)
        return 2
    options = network_options(args.scale, args.duration_ms)
    results = {k: [] for k in counts}
    load = [load_average()]
    try:
        for _ in range(args.repeat):
            for k in counts:
                results[k].append(run_once(args.tandem, args.mpirun, k, options))
                load.append(load_average())
    except RuntimeError as error:
        print(f"mpi_scaling.py: {error}", file=sys.stderr)
        return 1
    spikes = {run[2] for runs in results.values() for run in runs}
    neurons = 12500 * args.scale
    synapses = neurons * 1250
    rows = []
    base_run = statistics.median(run[1] for run in results[1])
    for k in counts:
        build = statistics.median(run[0] for run in results[k])
        run_s = statistics.median(run[1] for run in results[k])
        memory = [max(run[3][r] for run in results[k]) for r in range(len(results[k][0][3]))]
        rows.append({"processes": k, "neurons": neurons, "synapses": synapses, "duration_ms": args.duration_ms,
                     "build_s": build, "run_s": run_s, "run_speedup": round(base_run / run_s, 2),
                     "peak_mb_per_process": memory, "spikes": results[k][0][2],
                     "load_average": [min(load), max(load)]})
    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        print(f"Brunel x{args.scale}: {neurons} neurons, {synapses / 1e6:g} M synapses, {args.duration_ms:g} ms, "
              f"median of {args.repeat}; load average {min(load):.1f}-{max(load):.1f} on {os.cpu_count()} cores")
        print(f"{'processes':>9}  {'build_s':>8}  {'run_s':>7}  {'speed-up':>8}  {'spikes':>8}  peak MB per process")
        for row in rows:
            print(f"{row['processes']:>9}  {row['build_s']:>8.2f}  {row['run_s']:>7.2f}  {row['run_speedup']:>8.2f}  "
                  f"{row['spikes']:>8}  {' '.join(f'{m:.0f}' for m in row['peak_mb_per_process'])}")
    if len(spikes) != 1:
        print(f"mpi_scaling.py: the process counts disagree on the spike count: {sorted(spikes)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
