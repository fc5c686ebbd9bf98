#!/usr/bin/env python3
"""Energy per window around pushes, from a closed-loop example's HDF5 trace.

Usage: scripts/energy_bursts.py TRACE.h5 [--env cartpole] [--after-ms 200] [--quiet-ms 1000]

Reads the per-window energy (/energy/<node>/energy_j, /energy/window_end_tick) and the push
signal (/env/<env>/push, one row per control step). A window is "after a push" when it ends
within --after-ms of a push's step tick, "quiet" when no push happened in the --quiet-ms before
its end. Prints, per node and for the total, the mean energy per window in both groups, their
ratio (the burst) and the largest window, event-driven beside always-on. Record the trace with
one window per control step for a sharp picture, e.g.

  tandem example cartpole --continuous --record out/bursts.h5 --energy-window-ticks 20
  scripts/energy_bursts.py out/bursts.h5

Exit status 2 with a message naming the file when a dataset is missing.
"""
import argparse
import sys

import h5py
import numpy as np


def fail(message):
    print(f"energy_bursts.py: {message}", file=sys.stderr)
    sys.exit(2)


def dataset(trace, path, name):
    if path not in trace:
        fail(f"{name}: no dataset {path} (record with --record, and for pushes run the cart-pole)")
    return trace[path]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trace")
    parser.add_argument("--env", default="cartpole", help="environment name under /env (default cartpole)")
    parser.add_argument("--after-ms", type=float, default=200.0, help="burst horizon after a push (ms)")
    parser.add_argument("--quiet-ms", type=float, default=1000.0, help="push-free time before a quiet window (ms)")
    args = parser.parse_args()
    try:
        trace = h5py.File(args.trace, "r")
    except OSError as error:
        fail(f"{args.trace}: cannot open: {error}")

    with trace:
        meta_dt = trace["meta"].attrs.get("dt_ms") if "meta" in trace else None
        push = dataset(trace, f"/env/{args.env}/push", args.trace)
        step_ms = float(push.attrs.get("step_ms", 0))
        if step_ms <= 0 or meta_dt is None:
            fail(f"{args.trace}: /env/{args.env}/push has no step_ms attribute or /meta no dt_ms")
        dt_ms = float(meta_dt)
        ticks_per_step = round(step_ms / dt_ms)
        push_ticks = np.flatnonzero(np.asarray(push) != 0) * ticks_per_step
        ends = np.asarray(dataset(trace, "/energy/window_end_tick", args.trace))
        if push_ticks.size == 0:
            fail(f"{args.trace}: no push in /env/{args.env}/push (run with pushes)")

        # For each window end, the tick of the latest push at or before it.
        index = np.searchsorted(push_ticks, ends, side="right") - 1
        since = np.where(index >= 0, ends - push_ticks[np.maximum(index, 0)], np.iinfo(np.int64).max)
        after = since <= args.after_ms / dt_ms
        quiet = since > args.quiet_ms / dt_ms
        window_ticks = int(np.median(np.diff(ends))) if ends.size > 1 else int(ends[0])
        print(f"{args.trace}: {ends.size} windows of {window_ticks * dt_ms:g} ms, {push_ticks.size} pushes; "
              f"{after.sum()} windows within {args.after_ms:g} ms after a push, "
              f"{quiet.sum()} quiet (no push for {args.quiet_ms:g} ms)")
        if not after.any() or not quiet.any():
            fail(f"{args.trace}: need windows of both kinds (longer run or other --after-ms/--quiet-ms)")

        nodes = sorted(k for k in trace["energy"].keys()
                       if isinstance(trace["energy"][k], h5py.Group) and "energy_j" in trace["energy"][k]
                       and k != "always_on")
        print(f"{'node':<18}{'quiet pJ/win':>14}{'after pJ/win':>14}{'burst':>8}{'max pJ/win':>12}"
              f"{'always-on pJ/win':>18}")
        for node in nodes:
            energy = np.asarray(trace["energy"][node]["energy_j"]) * 1e12
            always_on_path = f"/energy/always_on/{node}/energy_j"
            always_on = np.asarray(trace[always_on_path]) * 1e12 if always_on_path in trace else None
            quiet_mean = energy[quiet].mean()
            after_mean = energy[after].mean()
            if energy.max() == 0 and (always_on is None or always_on.max() == 0):
                continue  # unpriced on this chip
            burst = f"{after_mean / quiet_mean:.1f}x" if quiet_mean > 0 else "-"
            baseline = f"{always_on.mean():.2f}" if always_on is not None else "-"
            print(f"{node:<18}{quiet_mean:>14.3f}{after_mean:>14.3f}{burst:>8}{energy.max():>12.3f}{baseline:>18}")


if __name__ == "__main__":
    main()
