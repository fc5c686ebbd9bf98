#!/usr/bin/env python3
"""Plot a tandem trace (HDF5): spike raster, chosen state traces, energy over time and
environment signals — only the panels the file has data for. Layout: docs/traces.md.

    scripts/plot_trace.py run.h5 [-o run.png] [--state POP/VAR ...] [--units N]
                          [--from-ms T0] [--to-ms T1] [--episode N]

A long closed-loop run (100 episodes are 10^6 ms) plots as one solid band; --from-ms/--to-ms or
--episode N (the index in /env/<name>/episode, from 0) show a window of it, where a burst after
a push can be seen.
"""
import argparse
import sys

import h5py
import matplotlib

matplotlib.use("Agg")  # files only, no display needed (CI, ssh)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def dt_ms_of(trace):
    meta = trace.get("meta")
    return float(meta.attrs.get("dt_ms", 1.0)) if meta is not None else 1.0


def spike_panels(trace):
    """(population, ticks, indices) for every /snn/<pop>/spikes group with data."""
    found = []
    for pop, group in trace.get("snn", {}).items():
        spikes = group.get("spikes")
        if spikes is None or "tick" not in spikes or "index" not in spikes:
            continue
        if spikes["tick"].shape[0] > 0:
            found.append((pop, spikes["tick"][:], spikes["index"][:]))
    return found


def state_dataset(trace, name):
    """POP/VAR -> /snn/POP/state/VAR, or a full dataset path."""
    path = name if name.startswith("/") else "/snn/%s/state/%s" % tuple(name.split("/", 1))
    if path not in trace:
        raise SystemExit("plot_trace: no state dataset %s in %s" % (path, trace.filename))
    return path, trace[path]


def sample_times_ms(dataset, dt_ms):
    every = int(dataset.attrs.get("every_ticks", 1))
    first = int(dataset.attrs.get("first_tick", 0))
    dt = float(dataset.attrs.get("dt_ms", dt_ms))
    return (first + every * np.arange(dataset.shape[0])) * dt


def series_under(trace, root):
    """Every 1-D float dataset under /root, as (path, dataset)."""
    found = []
    if root not in trace:
        return found

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and obj.ndim == 1 and obj.dtype.kind == "f" and obj.shape[0] > 0:
            found.append(("/%s/%s" % (root, name), obj))

    trace[root].visititems(visit)
    return found


def series_panel(path, dataset, dt_ms):
    """A step plot of one 1-D series sampled every `window_ticks`/`every_ticks` ticks."""
    values = dataset[:]
    if "step_ms" in dataset.attrs:  # environment signals: one sample per environment step
        times = np.arange(values.shape[0]) * float(dataset.attrs["step_ms"])
    else:
        window = int(dataset.attrs.get("window_ticks", dataset.attrs.get("every_ticks", 1)))
        times = np.arange(values.shape[0]) * window * dt_ms
    unit = text(dataset.attrs.get("unit", ""))
    return (path, lambda ax, x=times, y=values, u=unit: (ax.step(x, y, where="post"), ax.set_ylabel(u)))


def energy_panels(trace, dt_ms):
    """The energy ledger's layout (docs/energy.md) gives two panels: total energy per window,
    event-driven vs always-on, and energy per window of every node that spent any. Other series
    under /energy (written by other tools) get a panel each."""
    if "energy" not in trace:
        return []
    energy = trace["energy"]
    if "total" not in energy or "energy_j" not in energy["total"]:
        return [series_panel(path, dataset, dt_ms) for path, dataset in series_under(trace, "energy")]
    if "window_end_tick" in energy:
        times = energy["window_end_tick"][:] * dt_ms
    else:
        times = np.arange(energy["total/energy_j"].shape[0]) * dt_ms
    totals = [("event-driven", energy["total/energy_j"][:])]
    if "always_on/total/energy_j" in energy:
        totals.append(("always-on", energy["always_on/total/energy_j"][:]))
    nodes = []
    for node, group in energy.items():
        if node in ("total", "always_on") or not isinstance(group, h5py.Group) or "energy_j" not in group:
            continue
        values = group["energy_j"][:]
        if values.any():
            nodes.append((node, values))

    def draw_lines(ax, series, x=times):
        for label, values in series:
            ax.step(x, values, where="post", label=label, linewidth=0.9)
        ax.set_ylabel("J per window")
        ax.legend(fontsize=7, loc="upper right")

    panels = [("energy per window: event-driven vs always-on", lambda ax: draw_lines(ax, totals))]
    if nodes:
        panels.append(("energy per window by node (event-driven)", lambda ax: draw_lines(ax, nodes)))
    return panels


def episode_window_ms(trace, episode):
    """[start, end) in ms of episode `episode` from /env/<name>/episode (one sample per step)."""
    for group in trace.get("env", {}).values():
        dataset = group.get("episode") if isinstance(group, h5py.Group) else None
        if dataset is None or "step_ms" not in dataset.attrs:
            continue
        samples = np.flatnonzero(dataset[:] == episode)
        if samples.size == 0:
            last = int(dataset[:].max()) if dataset.shape[0] else -1
            raise SystemExit("plot_trace: %s has no episode %d (episodes 0 ... %d)" % (trace.filename, episode, last))
        step_ms = float(dataset.attrs["step_ms"])
        return samples[0] * step_ms, (samples[-1] + 1) * step_ms
    raise SystemExit("plot_trace: %s records no episodes (no /env/<name>/episode)" % trace.filename)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace", help="trace file written by tandem --record")
    parser.add_argument("-o", "--output", help="image file (default: TRACE with .png)")
    parser.add_argument("--state", nargs="*", default=[], metavar="POP/VAR",
                        help="state traces to plot, e.g. exc/v (default: none)")
    parser.add_argument("--units", type=int, default=5, help="units per state trace (default 5)")
    parser.add_argument("--from-ms", type=float, help="start of the time window shown (ms)")
    parser.add_argument("--to-ms", type=float, help="end of the time window shown (ms)")
    parser.add_argument("--episode", type=int, help="show episode N only (index in /env/<name>/episode, from 0)")
    args = parser.parse_args(argv)
    if args.episode is not None and (args.from_ms is not None or args.to_ms is not None):
        parser.error("give --episode or --from-ms/--to-ms, not both")
    if args.from_ms is not None and args.to_ms is not None and args.to_ms <= args.from_ms:
        parser.error("--to-ms must be after --from-ms")
    output = args.output or (args.trace.rsplit(".", 1)[0] + ".png")

    try:
        trace = h5py.File(args.trace, "r")
    except OSError as error:
        print("plot_trace: cannot open %s: %s" % (args.trace, error), file=sys.stderr)
        return 2
    with trace:
        dt_ms = dt_ms_of(trace)
        window = (args.from_ms, args.to_ms)
        if args.episode is not None:
            window = episode_window_ms(trace, args.episode)
        panels = []  # (title, draw(axis))
        for pop, ticks, index in spike_panels(trace):
            # Only the spikes inside the window: a long run's raster is millions of marks.
            keep = np.ones(ticks.shape[0], dtype=bool)
            if window[0] is not None:
                keep &= ticks * dt_ms >= window[0]
            if window[1] is not None:
                keep &= ticks * dt_ms < window[1]
            ticks, index = ticks[keep], index[keep]
            panels.append(("spikes: %s" % pop,
                           lambda ax, t=ticks, i=index: (ax.plot(t * dt_ms, i, "|", markersize=3),
                                                         ax.set_ylabel("unit"))))
        for name in args.state:
            path, dataset = state_dataset(trace, name)
            values = dataset[:]
            if values.ndim == 1:
                values = values[:, None]
            times = sample_times_ms(dataset, dt_ms)
            unit = text(dataset.attrs.get("unit", ""))
            panels.append((path, lambda ax, x=times, y=values[:, :args.units], u=unit:
                           (ax.plot(x, y, linewidth=0.8), ax.set_ylabel(u))))
        panels.extend(energy_panels(trace, dt_ms))
        for path, dataset in series_under(trace, "env"):
            panels.append(series_panel(path, dataset, dt_ms))
        if not panels:
            print("plot_trace: %s has no spikes, chosen states, energy or env data to plot"
                  % args.trace, file=sys.stderr)
            return 2
        figure, axes = plt.subplots(len(panels), 1, sharex=True, squeeze=False,
                                    figsize=(9, 1.0 + 2.0 * len(panels)))
        for axis, (title, draw) in zip(axes[:, 0], panels):
            draw(axis)
            axis.set_title(title, fontsize=9, loc="left")
        if window != (None, None):
            axes[-1, 0].set_xlim(left=window[0], right=window[1])  # shared by every panel
        axes[-1, 0].set_xlabel("time (ms)" + ("" if args.episode is None else ", episode %d" % args.episode))
        status = text(trace["meta"].attrs.get("status", "")) if "meta" in trace else ""
        figure.suptitle("%s%s" % (args.trace, " (%s)" % status if status else ""), fontsize=10)
        figure.tight_layout()
        figure.savefig(output, dpi=100)
    print("plot_trace: wrote %s (%d panels)" % (output, len(panels)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
