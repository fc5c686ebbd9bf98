#!/usr/bin/env python3
"""Plot `tandem example digits` rows: test accuracy against energy per inference, one curve per
variant (ann: one point per precision; snn and hybrid: one point per T, labelled; the hybrid once
per precision of its head), one panel per chip, event-driven (solid) and always-on (dashed). Reads the JSON rows of `--out` or `--json`.

    build/app/tandem example digits --out out/digits.jsonl
    /usr/bin/python3 scripts/plot_digits.py out/digits.jsonl -o out/digits.png [--chips tianjic,loihi2]
"""
import argparse
import json
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display needed (CI, ssh)
import matplotlib.pyplot as plt  # noqa: E402

FIELDS = {"variant", "precision", "ticks", "chip", "mode", "accuracy", "energy_j_per_inference",
          "latency_s_per_inference"}
# One curve per variant; the hybrid's head runs in three precisions, so one curve per precision.
CURVES = (("ann", None, "tab:blue"), ("snn", None, "tab:orange"), ("hybrid", "float32", "tab:green"),
          ("hybrid", "fixed", "tab:olive"), ("hybrid", "tianjic", "tab:cyan"))


def read_rows(path):
    rows = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            missing = FIELDS - set(row)
            if missing:
                sys.exit(f"{path}:{number}: row lacks {', '.join(sorted(missing))}")
            rows.append(row)
    if not rows:
        sys.exit(f"{path}: no rows")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", help="JSON rows from tandem example digits --out FILE (or --json)")
    parser.add_argument("-o", "--output", default="digits.png")
    parser.add_argument("--chips", help="comma-separated chips to plot (default: every chip in the rows)")
    args = parser.parse_args()
    rows = read_rows(args.rows)
    chips = args.chips.split(",") if args.chips else sorted({r["chip"] for r in rows})
    unknown = [c for c in chips if c not in {r["chip"] for r in rows}]
    if unknown:
        sys.exit(f"{args.rows}: no rows for chip(s) {', '.join(unknown)}")
    columns = min(len(chips), 3)
    lines = (len(chips) + columns - 1) // columns
    fig, axes = plt.subplots(lines, columns, figsize=(5.2 * columns, 4.0 * lines), squeeze=False)
    for ax, chip in zip(axes.flat, chips):
        for variant, precision, colour in CURVES:
            for mode, style in (("event", "-o"), ("always-on", "--x")):
                points = [r for r in rows if r["chip"] == chip and r["variant"] == variant and r["mode"] == mode
                          and precision in (None, r["precision"])]
                if not points:
                    continue
                points.sort(key=lambda r: (r["ticks"] or 0, r["precision"]))
                xs = [r["energy_j_per_inference"] for r in points]
                ys = [100.0 * r["accuracy"] for r in points]
                name = variant if variant != "hybrid" else f"hybrid ({precision} head)"
                ax.plot(xs, ys, style, color=colour, label=f"{name} {mode}", markersize=4,
                        alpha=1.0 if mode == "event" else 0.5)
                if mode == "event" and precision in (None, "float32"):
                    for r, x, y in zip(points, xs, ys):
                        label = f"T={r['ticks']}" if r["ticks"] is not None else r["precision"]
                        ax.annotate(label, (x, y), textcoords="offset points", xytext=(3, -9), fontsize=6)
        ax.set_xscale("log")
        ax.set_title(chip)
        ax.set_xlabel("energy per inference (J)")
        ax.set_ylabel("test accuracy (%)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6, loc="lower right")
    for ax in list(axes.flat)[len(chips):]:
        ax.set_visible(False)
    fig.suptitle("tandem example digits: accuracy against energy per inference")
    fig.tight_layout()
    fig.savefig(args.output, dpi=120)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
