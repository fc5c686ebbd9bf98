#!/usr/bin/env python3
"""`tandem example digits` with 50 test images (issue #17), checked against an independent numpy
forward pass of the shipped weights on the shipped data:

- the JSON rows have exactly the issue's fields; every chip that can run a variant has one row
  per mode; chips without ANN cores (loihi) run the SNN only;
- the float32 ANN's accuracy equals numpy's, for the MLP and the CNN; int8 and tianjic stay
  within 4 points of it; the SNN at T = 64 within 4 points; the float32 hybrid equals the SNN at
  each T, its int8 and tianjic heads within 4 points of it at T = 64;
- an executed always-on run gives the same accuracies and the same always-on energy and
  latency as the event run's baseline; event energy never exceeds always-on;
- --out writes the --json rows; scripts/plot_digits.py plots them;
- bad options exit 2 naming the option.

    digits_cli_test.py TANDEM SOURCE_DIR
"""
import json
import math
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

FIELDS = {"variant", "precision", "ticks", "chip", "mode", "accuracy", "energy_j_per_inference",
          "latency_s_per_inference"}
IMAGES = 50


def run(tandem, *args, expect=0):
    proc = subprocess.run([tandem, "example", "digits", *args], capture_output=True, text=True, timeout=600)
    if proc.returncode != expect:
        sys.exit(f"tandem example digits {' '.join(args)}: exit {proc.returncode}, expected {expect}\n"
                 f"{proc.stdout}\n{proc.stderr}")
    return proc


def rows_of(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def numpy_accuracy(source, network):
    """The trained network's float forward pass, written here from the layer definitions
    (not tandem's code): MLP relu(W1 x) -> W2; CNN 3x3 conv, padding 1, relu, 2x2 mean, fc."""
    with h5py.File(os.path.join(source, "examples/digits/data.h5")) as f:
        x = f["test/images"][:IMAGES].astype(np.float64) / 16.0
        y = f["test/labels"][:IMAGES]
    with h5py.File(os.path.join(source, "examples/digits/weights.h5")) as f:
        w = {name: f[f"{network}/{name}/weight"][()].astype(np.float64) for name in f[network]}
    if network == "mlp":
        logits = np.maximum(x @ w["fc1"].T, 0) @ w["fc2"].T
    else:
        img = np.pad(x.reshape(-1, 8, 8), ((0, 0), (1, 1), (1, 1)))
        conv = np.zeros((len(x), 8, 8, 8))
        for o in range(8):
            for u in range(3):
                for v in range(3):
                    conv[:, o] += w["conv"][o, 0, u, v] * img[:, u:u + 8, v:v + 8]
        pooled = np.maximum(conv, 0).reshape(len(x), 8, 4, 2, 4, 2).mean(axis=(3, 5)).reshape(len(x), 128)
        logits = pooled @ w["fc"].T
    return float(np.mean(np.argmax(logits, axis=1) == y))


def find(rows, **keys):
    return [r for r in rows if all(r[k] == v for k, v in keys.items())]


def check_network(tandem, source, network):
    args = ["--network", network, "--images", str(IMAGES), "--ticks", "4,64", "--chips", "tianjic,loihi2,loihi"]
    rows = rows_of(run(tandem, *args, "--json").stdout)
    for row in rows:
        assert set(row) == FIELDS, f"row fields {sorted(row)}"
        assert row["mode"] in ("event", "always-on") and row["variant"] in ("ann", "snn", "hybrid")
        assert row["energy_j_per_inference"] > 0 and row["latency_s_per_inference"] > 0, row
    # 3 ann precisions x 2 chips + snn 2 T x 3 chips + hybrid 3 precisions x 2 T x 2 chips, x 2 modes
    assert len(rows) == 2 * (3 * 2 + 2 * 3 + 3 * 2 * 2), len(rows)
    assert not find(rows, variant="ann", chip="loihi") and find(rows, variant="snn", chip="loihi")

    reference = numpy_accuracy(source, network)
    ann = {p: find(rows, variant="ann", precision=p, chip="tianjic", mode="event")[0]["accuracy"]
           for p in ("float32", "fixed", "tianjic")}
    assert math.isclose(ann["float32"], reference, abs_tol=1e-12), (network, ann["float32"], reference)
    assert ann["fixed"] >= reference - 0.04 and ann["tianjic"] >= reference - 0.04, ann
    snn = {t: find(rows, variant="snn", ticks=t, chip="tianjic", mode="event")[0]["accuracy"] for t in (4, 64)}
    hybrid = {t: find(rows, variant="hybrid", precision="float32", ticks=t, chip="tianjic", mode="event")[0]["accuracy"]
              for t in (4, 64)}
    assert snn[64] >= reference - 0.04, (network, snn, reference)
    assert hybrid == snn, (hybrid, snn)
    for precision in ("fixed", "tianjic"):  # an integer head on the same spike counts
        head = find(rows, variant="hybrid", precision=precision, ticks=64, chip="tianjic", mode="event")[0]["accuracy"]
        assert head >= snn[64] - 0.04, (network, precision, head, snn)
    for row in find(rows, mode="event"):
        twin = find(rows, variant=row["variant"], precision=row["precision"], ticks=row["ticks"], chip=row["chip"],
                    mode="always-on")[0]
        assert row["energy_j_per_inference"] <= twin["energy_j_per_inference"] * (1 + 1e-12), (row, twin)

    # Executed always-on: the same decisions, and the baseline the event run reported.
    always = rows_of(run(tandem, *args, "--json", "--mode", "always-on").stdout)
    assert len(always) == len(rows) // 2 and all(r["mode"] == "always-on" for r in always)
    for row in always:
        twin = find(rows, variant=row["variant"], precision=row["precision"], ticks=row["ticks"], chip=row["chip"],
                    mode="always-on")[0]
        assert row["accuracy"] == twin["accuracy"], (row, twin)
        for key in ("energy_j_per_inference", "latency_s_per_inference"):
            assert math.isclose(row[key], twin[key], rel_tol=1e-9), (key, row, twin)
    print(f"{network}: numpy {reference:.3f}, ann {ann}, snn {snn}, hybrid {hybrid}")
    return rows


def main():
    tandem, source = sys.argv[1], sys.argv[2]
    rows = check_network(tandem, source, "mlp")
    check_network(tandem, source, "cnn")

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "digits.jsonl")
        text = run(tandem, "--images", "10", "--ticks", "2", "--chips", "loihi2", "--out", out).stdout
        assert "goals" in text and "int8 ANN >= 95 %" in text, text
        again = rows_of(run(tandem, "--images", "10", "--ticks", "2", "--chips", "loihi2", "--json").stdout)
        with open(out) as f:
            assert rows_of(f.read()) == again
        png = os.path.join(tmp, "digits.png")
        subprocess.run([sys.executable, os.path.join(source, "scripts/plot_digits.py"), out, "-o", png], check=True,
                       capture_output=True)
        assert os.path.getsize(png) > 10000

    for args, expected in ((["--ticks", "0"], "--ticks"), (["--ticks", "4,x"], "--ticks"), (["--ticks", ""], "--ticks"),
                           (["--network", "rnn"], "--network 'rnn'"), (["--images", "-1"], "--images"),
                           (["--variants", "ann,cnn"], "unknown variant 'cnn'"), (["--chips", "nochip"], "nochip"),
                           (["--percentile", "0"], "--percentile"), (["--mode", "sometimes"], "sometimes"),
                           (["--chips", "loihi", "--variants", "ann"], "no chip"),
                           (["--weights", "/nonexistent/w.h5"], "/nonexistent/w.h5"),
                           (["--out", "/nonexistent/dir/rows.jsonl"], "--out"), (["--bogus"], "bogus")):
        proc = run(tandem, *args, expect=2)
        assert expected in proc.stderr, (args, proc.stderr)
    print(f"ok ({len(rows)} rows for the MLP)")


if __name__ == "__main__":
    main()
