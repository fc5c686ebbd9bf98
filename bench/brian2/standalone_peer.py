"""Shared plumbing of the Brian2 peer benchmarks (coba.py, brunel.py).

Sets up Brian2's C++ standalone device on one thread, builds and runs the project, measures
the standalone process's peak RSS, and prints the result record with the same fields as
`tandem bench NAME --json`.
"""

import argparse
import json
import os
import sys
import tempfile
import time

# The standalone binary is started through this wrapper so that its own peak RSS can be read:
# getrusage(RUSAGE_CHILDREN) of the wrapper covers exactly the one child, ./main, and not the
# compiler processes that the benchmark script itself has spawned.
_RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "with open('results/peak_rss_bytes.txt', 'w') as f:\n"
    "    f.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024))\n"
    "sys.exit(code)\n"
)


def parse_args(benchmark, description):
    """The options every peer script takes (the same spelling as `tandem bench`)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--duration-ms", type=float, default=1000.0,
                        help="simulated time in ms (default 1000)")
    parser.add_argument("--dt-ms", type=float, default=0.1, help="time step in ms (default 0.1)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object instead of a human-readable summary")
    parser.add_argument("--build-dir", default=None,
                        help="standalone project directory (default: a per-user directory in "
                             "the system temp dir, reused so that repeated runs recompile only "
                             "what changed)")
    args = parser.parse_args()
    if not args.duration_ms > 0 or not args.dt_ms > 0:
        parser.error("--duration-ms and --dt-ms must be positive numbers")
    if args.seed < 0:
        parser.error("--seed must be a non-negative integer")
    if args.duration_ms < args.dt_ms:
        parser.error("--duration-ms must be at least one time step (--dt-ms)")
    if args.build_dir is None:
        args.build_dir = os.path.join(tempfile.gettempdir(),
                                      f"tandem-brian2-{benchmark}-{os.getuid()}")
    return args


def setup_device(brian2, build_dir, dt_ms, seed):
    """Selects C++ standalone, one thread, and the RSS-measuring run command."""
    brian2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
    prefs = brian2.prefs
    prefs.devices.cpp_standalone.openmp_threads = 0      # 0 = no OpenMP: one thread
    prefs.devices.cpp_standalone.extra_make_args_unix = ["-j2"]   # the machine has 2 cores
    prefs.devices.cpp_standalone.run_cmd_unix = [sys.executable, "-c", _RSS_WRAPPER, "./main"]
    brian2.defaultclock.dt = dt_ms * brian2.ms
    brian2.seed(seed)


def build_and_run(brian2, build_dir):
    """Generates, compiles and runs the project; returns the timing and memory figures."""
    device = brian2.device
    start = time.perf_counter()
    device.build(directory=build_dir, compile=True, run=True, with_output=False)
    total_s = time.perf_counter() - start
    process_s = float(device.timers["run_binary"])
    rss_path = os.path.join(build_dir, "results", "peak_rss_bytes.txt")
    with open(rss_path) as f:
        peak_rss_bytes = int(f.read().strip())
    # Network::_last_run_time of the standalone binary: the simulation loop of run() only,
    # without loading static arrays or creating synapses (Brian2 exposes it as
    # device._last_run_time, read from results/last_run_info.txt).
    wall_s = float(device._last_run_time)
    compile_s = total_s - process_s          # code generation + make (small when cached)
    setup_s = max(process_s - wall_s, 0.0)   # in the binary: loading arrays, creating synapses
    return {
        "wall_s": wall_s,
        # Everything but the loop, to compare with tandem's network construction time.
        "build_s": compile_s + setup_s,
        "compile_s": compile_s,
        "setup_s": setup_s,
        "peak_rss_bytes": peak_rss_bytes,
    }


def fan_out_events(spike_counts, presynaptic_indices, n_sources):
    """Synaptic events delivered: each source's spike count times its number of synapses."""
    import numpy as np
    fan_out = np.bincount(np.asarray(presynaptic_indices, dtype=np.int64), minlength=n_sources)
    return int(np.dot(np.asarray(spike_counts, dtype=np.int64)[:n_sources], fan_out))


def make_record(benchmark, args, neurons, synapses, spikes, synaptic_events, figures):
    """The result record, field for field as `tandem bench NAME --json` prints it."""
    return {
        "benchmark": benchmark,
        "mode": "brian2-standalone",
        "wall_s": figures["wall_s"],
        "build_s": figures["build_s"],
        "simulated_ms": args.duration_ms,
        "dt_ms": args.dt_ms,
        "neurons": int(neurons),
        "synapses": int(synapses),
        "spikes": int(spikes),
        "synaptic_events": int(synaptic_events),
        "mean_rate_hz": spikes / neurons / (args.duration_ms / 1000.0),
        "peak_rss_bytes": figures["peak_rss_bytes"],
        # Same definition as tandem's: peak RSS of the simulating process / synapses.
        "bytes_per_synapse": figures["peak_rss_bytes"] / synapses if synapses else 0.0,
        "seed": args.seed,
        "compile_s": figures["compile_s"],
        "setup_s": figures["setup_s"],
    }


def print_record(record, as_json):
    if as_json:
        print(json.dumps(record), flush=True)
        return
    width = max(len(key) for key in record)
    for key, value in record.items():
        text = f"{value:.6g}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {text}")
