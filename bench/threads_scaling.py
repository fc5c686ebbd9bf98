#!/usr/bin/env python3
"""Thread scaling of `tandem bench coba|brunel` (docs/performance.md#threads): runs each benchmark
with every thread count in turn, alternating (1, 2, 1, 2, ...) so that a change of load on a shared
machine hits every count alike, and prints per benchmark and thread count the median wall time,
its spread, the speed-up over one thread and the load average seen around the runs. It also checks
that every thread count gave the same spikes and synaptic events (the runs must be the same run),
and how many cores the machine gave us before and after (two single-threaded runs side by side).

usage: threads_scaling.py [--tandem build/app/tandem] [--bench coba,brunel] [--threads 1,2]
                          [--repeat 5] [--json] [-- extra bench options, e.g. --duration-ms 100]
Exit codes: 0 ok, 1 a run failed or the thread counts disagreed, 2 bad usage / no binary."""
import argparse
import json
import os
import statistics
import subprocess
import sys


def load_average():
    with open("/proc/loadavg", encoding="ascii") as f:
        return float(f.read().split()[0])


def run_once(tandem, bench, threads, extra):
    done = subprocess.run([tandem, "bench", bench, "--json", "--threads", str(threads), *extra],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"tandem bench {bench} --threads {threads} exited {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_cores(tandem):
    """How many cores the machine gives us now: two single-threaded COBA runs side by side take as
    long as one alone on two free cores, twice as long on one (other work on a shared machine)."""
    alone = run_once(tandem, "coba", 1, ["--duration-ms", "300"])["wall_s"]
    pair = [subprocess.Popen([tandem, "bench", "coba", "--json", "--duration-ms", "300"], stdout=subprocess.PIPE, text=True)
            for _ in range(2)]
    together = [json.loads(p.communicate()[0].strip().splitlines()[-1])["wall_s"] for p in pair]
    return round(2 * alone / statistics.mean(together), 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tandem", default="build/app/tandem")
    parser.add_argument("--bench", default="coba,brunel")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="one JSON object per benchmark and thread count")
    parser.add_argument("extra", nargs="*", help="options passed to every `tandem bench` run (after --)")
    args = parser.parse_args()
    if not os.access(args.tandem, os.X_OK):
        print(f"threads_scaling.py: no tandem binary at {args.tandem} (build it: cmake --build build --target tandem)",
              file=sys.stderr)
        return 2
    counts = [int(t) for t in args.threads.split(",")]
    if args.repeat < 1 or not counts or min(counts) < 1:
        print("threads_scaling.py: --repeat and --threads must be >= 1", file=sys.stderr)
        return 2
    failed = False
    cores_before = free_cores(args.tandem)
    for bench in args.bench.split(","):
        walls = {t: [] for t in counts}
        results = {}
        loads = [load_average()]
        try:
            for _ in range(args.repeat):
                for threads in counts:
                    row = run_once(args.tandem, bench, threads, args.extra)
                    walls[threads].append(row["wall_s"])
                    results.setdefault(threads, (row["spikes"], row["synaptic_events"]))
                    loads.append(load_average())
        except RuntimeError as error:
            print(f"threads_scaling.py: {error}", file=sys.stderr)
            return 1
        same = len(set(results.values())) == 1
        failed = failed or not same
        base = statistics.median(walls[counts[0]])
        for threads in counts:
            median = statistics.median(walls[threads])
            row = {"benchmark": bench, "threads": threads, "median_wall_s": round(median, 4),
                   "min_wall_s": round(min(walls[threads]), 4), "max_wall_s": round(max(walls[threads]), 4),
                   "speedup": round(base / median, 3), "repeats": args.repeat,
                   "load_min": min(loads), "load_max": max(loads), "spikes": results[threads][0],
                   "synaptic_events": results[threads][1], "same_as_first": results[threads] == results[counts[0]]}
            if args.json:
                print(json.dumps(row))
            else:
                print(f"{bench:8s} threads {threads:3d}: median {median:8.3f} s (min {row['min_wall_s']:.3f}, "
                      f"max {row['max_wall_s']:.3f}), speed-up {row['speedup']:.2f}x, load {min(loads):.2f}-{max(loads):.2f}, "
                      f"spikes {results[threads][0]}{'' if row['same_as_first'] else '  DIFFERENT RUN'}")
    cores = f"free cores (2 x one COBA run / two side by side): {cores_before} before, {free_cores(args.tandem)} after"
    print(json.dumps({"free_cores": cores}) if args.json else cores)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
