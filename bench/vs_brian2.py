#!/usr/bin/python3
"""Runs tandem's spiking benchmarks and their Brian2 peers side by side and checks the goals.

For each benchmark, alternates `tandem bench NAME --json` and bench/brian2/NAME.py --json
(N repeats each), takes the median of each figure, and prints a table: wall time of the
simulation loop (ratio tandem/brian2), mean rate (% difference) and bytes per synapse, with
PASS/FAIL against the goals. Exits non-zero only if a tool is missing or a run crashes.

Usage: /usr/bin/python3 bench/vs_brian2.py [--bench coba,brunel] [--tandem PATH] [--repeat N]
                                           [--duration-ms T] [--seed S] [--json]
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER_DIR = os.path.join(REPO_ROOT, "bench", "brian2")
BENCHMARKS = ("coba", "brunel")
BUILD_COMMAND = ("cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && "
                 "cmake --build build --target tandem")

# The goals (the task's acceptance criteria for the event engine).
MAX_WALL_RATIO = 0.5            # tandem's loop at most half of Brian2's, on every benchmark
MAX_COBA_RATE_DIFF = 0.10       # COBA mean rate within 10 % of Brian2's
MAX_BRUNEL_BYTES_PER_SYNAPSE = 10.0

# Random connectivity differs between the two sides' samples by well under 1 % (binomial
# spread of ~320 k synapses is ~0.2 %); beyond this the two runs are not the same network.
MAX_SYNAPSE_COUNT_DIFF = 0.05

REQUIRED_FIELDS = ("benchmark", "wall_s", "mean_rate_hz", "bytes_per_synapse", "synapses")


class ToolError(Exception):
    """A missing tool (exit 2) or a failed run (exit 1): no comparison can be made."""

    def __init__(self, message, exit_code=1):
        super().__init__(message)
        self.exit_code = exit_code


def parse_record(stdout, benchmark, source):
    """The JSON record for `benchmark` among the lines a benchmark printed.

    Lines that are not JSON objects (progress, warnings) are skipped; if several records
    name the benchmark, the last one wins.
    """
    found = None
    for line in stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and record.get("benchmark") == benchmark:
            found = record
    if found is None:
        raise ToolError(f"{source}: printed no JSON record with \"benchmark\": \"{benchmark}\"")
    missing = [field for field in REQUIRED_FIELDS if field not in found]
    if missing:
        raise ToolError(f"{source}: the {benchmark} record lacks field(s) {', '.join(missing)}")
    for field in ("wall_s", "mean_rate_hz", "bytes_per_synapse"):
        if not isinstance(found[field], (int, float)) or found[field] != found[field] \
                or found[field] < 0:
            raise ToolError(f"{source}: field {field} of the {benchmark} record is "
                            f"{found[field]!r}, not a non-negative number")
    return found


def median_record(records):
    """Field-wise median of the numeric fields; other fields are taken from the first record."""
    merged = dict(records[0])
    for field, value in records[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            merged[field] = statistics.median(r[field] for r in records)
    merged["repeats"] = len(records)
    return merged


def relative_difference(value, reference):
    """(value - reference) / reference; None when the reference is zero."""
    if reference == 0:
        return None
    return (value - reference) / reference


def compare(benchmark, tandem, brian2):
    """One table row: the figures of both sides and the verdict of each goal that applies."""
    ratio = tandem["wall_s"] / brian2["wall_s"] if brian2["wall_s"] > 0 else None
    rate_diff = relative_difference(tandem["mean_rate_hz"], brian2["mean_rate_hz"])
    goals = {"wall_ratio": ratio is not None and ratio <= MAX_WALL_RATIO}
    if benchmark == "coba":
        goals["rate"] = rate_diff is not None and abs(rate_diff) <= MAX_COBA_RATE_DIFF
    if benchmark == "brunel":
        goals["memory"] = tandem["bytes_per_synapse"] <= MAX_BRUNEL_BYTES_PER_SYNAPSE
    synapse_diff = relative_difference(tandem["synapses"], brian2["synapses"])
    warning = None
    if synapse_diff is None or abs(synapse_diff) > MAX_SYNAPSE_COUNT_DIFF:
        warning = (f"{benchmark}: tandem has {tandem['synapses']} synapses, Brian2 "
                   f"{brian2['synapses']}: not the same network size, the comparison is void")
    return {
        "benchmark": benchmark,
        "warning": warning,
        "repeats": tandem.get("repeats", 1),
        "tandem_wall_s": tandem["wall_s"],
        "brian2_wall_s": brian2["wall_s"],
        "wall_ratio": ratio,
        "tandem_rate_hz": tandem["mean_rate_hz"],
        "brian2_rate_hz": brian2["mean_rate_hz"],
        "rate_diff_pct": None if rate_diff is None else 100.0 * rate_diff,
        "tandem_bytes_per_synapse": tandem["bytes_per_synapse"],
        "brian2_bytes_per_synapse": brian2["bytes_per_synapse"],
        "tandem_synapses": tandem["synapses"],
        "brian2_synapses": brian2["synapses"],
        "goals": {name: "PASS" if ok else "FAIL" for name, ok in goals.items()},
    }


def _number(value, spec):
    return "n/a" if value is None else format(value, spec)


def format_table(rows):
    """The human-readable table, one line per benchmark."""
    header = (f"{'benchmark':<10}{'tandem s':>10}{'brian2 s':>10}{'ratio':>8}"
              f"{'tandem Hz':>11}{'brian2 Hz':>11}{'rate diff':>11}"
              f"{'tandem B/syn':>14}{'brian2 B/syn':>14}  goals")
    lines = [header, "-" * len(header)]
    for row in rows:
        goals = " ".join(f"{name}:{verdict}" for name, verdict in row["goals"].items())
        rate_diff = _number(row["rate_diff_pct"], "+.1f")
        lines.append(
            f"{row['benchmark']:<10}{row['tandem_wall_s']:>10.3f}{row['brian2_wall_s']:>10.3f}"
            f"{_number(row['wall_ratio'], '.3f'):>8}"
            f"{row['tandem_rate_hz']:>11.2f}{row['brian2_rate_hz']:>11.2f}"
            f"{rate_diff + ('%' if row['rate_diff_pct'] is not None else ''):>11}"
            f"{row['tandem_bytes_per_synapse']:>14.1f}{row['brian2_bytes_per_synapse']:>14.1f}"
            f"  {goals}")
    lines.extend(f"WARNING: {row['warning']}" for row in rows if row["warning"])
    lines.append(f"goals: wall ratio <= {MAX_WALL_RATIO}; COBA rate within "
                 f"{100 * MAX_COBA_RATE_DIFF:.0f}% of Brian2; Brunel tandem bytes/synapse <= "
                 f"{MAX_BRUNEL_BYTES_PER_SYNAPSE:g}")
    return "\n".join(lines)


def run_command(command, source):
    """Runs one benchmark process; its stdout, or a ToolError carrying its stderr."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise ToolError(f"{source}: cannot start {command[0]}: {error}") from error
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise ToolError(f"{source}: `{' '.join(command)}` exited with {done.returncode}\n{tail}")
    return done.stdout


def tandem_command(tandem, benchmark, args):
    return [tandem, "bench", benchmark, "--json", "--mode", "event",
            "--duration-ms", str(args.duration_ms), "--seed", str(args.seed)]


def brian2_command(benchmark, args):
    return [sys.executable, os.path.join(PEER_DIR, f"{benchmark}.py"), "--json",
            "--duration-ms", str(args.duration_ms), "--seed", str(args.seed)]


def check_tools(tandem):
    if not (os.path.isfile(tandem) and os.access(tandem, os.X_OK)):
        raise ToolError(f"tandem binary not found (or not executable) at {tandem}; build it "
                        f"from the repository root with: {BUILD_COMMAND} "
                        f"(or pass --tandem PATH)", exit_code=2)
    if importlib.util.find_spec("brian2") is None:
        raise ToolError(f"Brian2 is not installed for {sys.executable}; install it with: "
                        f"bash scripts/setup (Debian package python3-brian)", exit_code=2)


def parse_benchmarks(text):
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in BENCHMARKS]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown benchmark(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(BENCHMARKS)}")
    return names


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=parse_benchmarks, default=list(BENCHMARKS),
                        help="comma-separated benchmarks (default coba,brunel)")
    parser.add_argument("--tandem", default=os.path.join(REPO_ROOT, "build", "app", "tandem"),
                        help="the tandem binary (default build/app/tandem in the repository)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each side per benchmark; the median is reported (default 3)")
    parser.add_argument("--duration-ms", type=float, default=1000.0,
                        help="simulated time in ms (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for both sides")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.duration_ms > 0:
        parser.error("--duration-ms must be a positive number")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        check_tools(args.tandem)
        rows = []
        for benchmark in args.bench:
            tandem_runs, brian2_runs = [], []
            for repeat in range(args.repeat):
                print(f"vs_brian2: {benchmark} run {repeat + 1}/{args.repeat}", file=sys.stderr,
                      flush=True)
                stdout = run_command(tandem_command(args.tandem, benchmark, args), "tandem")
                tandem_runs.append(parse_record(stdout, benchmark, "tandem"))
                stdout = run_command(brian2_command(benchmark, args), "brian2")
                brian2_runs.append(parse_record(stdout, benchmark, "brian2"))
            rows.append(compare(benchmark, median_record(tandem_runs),
                                median_record(brian2_runs)))
    except ToolError as error:
        print(f"vs_brian2: error: {error}", file=sys.stderr)
        return error.exit_code
    print(json.dumps(rows, indent=2) if args.json else format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
