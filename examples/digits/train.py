#!/usr/bin/python3
"""Trains the digits example's networks and writes what `tandem example digits` ships.

The 8 x 8 handwritten digits that scikit-learn ships (1,797 images, pixel values 0..16; nothing
is downloaded) are split once, stratified and seeded (80 % train, 20 % test = 360 images), and two
bias-free ReLU networks are trained on the training split with plain numpy (fixed seeds, one BLAS
thread, so the same machine writes the same bytes):

  mlp: 64 -> 64 (ReLU) -> 10
  cnn: 1x8x8 -> conv 3x3, 8 channels, padding 1 (ReLU) -> average pool 2x2 -> 128 -> 10

Bias-free because the spiking conversion then needs no constant currents: a neuron whose inputs
are silent stays silent, which is what event-driven execution saves (docs/digits.md).

Writes (defaults: next to this script):
  data.h5     /train/images, /test/images (uint8 [N x 64], row-major 8 x 8, values 0..16),
              /train/labels, /test/labels (uint8); attributes split_seed, test_fraction, source
  weights.h5  /mlp/fc1/weight [64 x 64], /mlp/fc2/weight [10 x 64],
              /cnn/conv/weight [8 x 1 x 3 x 3], /cnn/fc/weight [10 x 128] (NIR layout: [out x in]),
              attributes with the training settings and the float test accuracy numpy measured.

`--check` trains again in memory and compares with the shipped files instead of writing them
(exit 1 on a difference): data bit for bit, weights within 1e-5, accuracies equal.
"""
import argparse
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one summation order for matmul, run to run
os.environ.setdefault("OMP_NUM_THREADS", "1")

import h5py  # noqa: E402
import numpy as np  # noqa: E402

SPLIT_SEED = 2026
TEST_FRACTION = 0.2
TRAIN_SEED = 7
EPOCHS = 60
BATCH = 32
LEARNING_RATE = 1e-3
PIXEL_MAX = 16.0  # the data set's pixel range is 0..16; networks see pixel / 16 in [0, 1]


def load_split():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = digits.data.astype(np.uint8)
    labels = digits.target.astype(np.uint8)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=TEST_FRACTION, random_state=SPLIT_SEED, stratify=labels)
    return x_train, y_train, x_test, y_test


# ---- layers (forward and backward), bias-free --------------------------------------------------

def im2col(x):
    """x [N, 1, 8, 8] -> patches [N, 64, 9] for a 3x3 kernel with padding 1 (tap order u*3+v)."""
    padded = np.pad(x[:, 0], ((0, 0), (1, 1), (1, 1)))
    cols = np.empty((x.shape[0], 64, 9), dtype=x.dtype)
    for u in range(3):
        for v in range(3):
            cols[:, :, u * 3 + v] = padded[:, u:u + 8, v:v + 8].reshape(x.shape[0], 64)
    return cols


def avg_pool(a):
    """a [N, C, 8, 8] -> [N, C, 4, 4]"""
    n, c = a.shape[:2]
    return a.reshape(n, c, 4, 2, 4, 2).mean(axis=(3, 5))


def mlp_forward(params, x):
    h = np.maximum(x @ params["fc1"].T, 0.0)
    return h @ params["fc2"].T, h


def cnn_forward(params, x):
    n = x.shape[0]
    cols = im2col(x.reshape(n, 1, 8, 8))
    conv = np.einsum("npk,ok->nop", cols, params["conv"].reshape(8, 9)).reshape(n, 8, 8, 8)
    act = np.maximum(conv, 0.0)
    pooled = avg_pool(act).reshape(n, 128)  # C x H x W flattened row-major, as NIR and tandem
    return pooled @ params["fc"].T, (cols, conv, pooled)


def softmax_grad(logits, y):
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p / len(y)


def mlp_grads(params, x, y):
    logits, h = mlp_forward(params, x)
    d = softmax_grad(logits, y)
    g2 = d.T @ h
    dh = (d @ params["fc2"]) * (h > 0)
    return {"fc1": dh.T @ x, "fc2": g2}


def cnn_grads(params, x, y):
    n = x.shape[0]
    logits, (cols, conv, pooled) = cnn_forward(params, x)
    d = softmax_grad(logits, y)
    g_fc = d.T @ pooled
    dpool = (d @ params["fc"]).reshape(n, 8, 4, 1, 4, 1) / 4.0
    dact = np.broadcast_to(dpool, (n, 8, 4, 2, 4, 2)).reshape(n, 8, 8, 8)
    dconv = (dact * (conv > 0)).reshape(n, 8, 64)
    g_conv = np.einsum("nop,npk->ok", dconv, cols).reshape(8, 1, 3, 3)
    return {"conv": g_conv, "fc": g_fc}


def he(rng, shape, fan_in):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


def train(kind, x, y):
    """Adam on cross-entropy, minibatches in a seeded order, float64 throughout."""
    rng = np.random.default_rng(TRAIN_SEED)
    if kind == "mlp":
        params = {"fc1": he(rng, (64, 64), 64), "fc2": he(rng, (10, 64), 64)}
        grads_of = mlp_grads
    else:
        params = {"conv": he(rng, (8, 1, 3, 3), 9), "fc": he(rng, (10, 128), 128)}
        grads_of = cnn_grads
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v2 = {k: np.zeros_like(v) for k, v in params.items()}
    step = 0
    for _ in range(EPOCHS):
        order = rng.permutation(len(x))
        for start in range(0, len(x), BATCH):
            idx = order[start:start + BATCH]
            grads = grads_of(params, x[idx], y[idx])
            step += 1
            for k in params:
                m[k] = 0.9 * m[k] + 0.1 * grads[k]
                v2[k] = 0.999 * v2[k] + 0.001 * grads[k] ** 2
                mhat = m[k] / (1 - 0.9 ** step)
                vhat = v2[k] / (1 - 0.999 ** step)
                params[k] -= LEARNING_RATE * mhat / (np.sqrt(vhat) + 1e-8)
    return {k: v.astype(np.float32) for k, v in params.items()}


def accuracy(kind, params, x, y):
    logits = (mlp_forward if kind == "mlp" else cnn_forward)(
        {k: v.astype(np.float64) for k, v in params.items()}, x)[0]
    return float(np.mean(np.argmax(logits, axis=1) == y))


def build():
    x_train, y_train, x_test, y_test = load_split()
    xf_train = x_train.astype(np.float64) / PIXEL_MAX
    xf_test = x_test.astype(np.float64) / PIXEL_MAX
    nets = {}
    for kind in ("mlp", "cnn"):
        params = train(kind, xf_train, y_train.astype(np.int64))
        nets[kind] = (params, accuracy(kind, params, xf_test, y_test), accuracy(kind, params, xf_train, y_train))
    return (x_train, y_train, x_test, y_test), nets


LAYERS = {"mlp": {"fc1": "fc1", "fc2": "fc2"}, "cnn": {"conv": "conv", "fc": "fc"}}


def write(data, nets, data_path, weights_path):
    x_train, y_train, x_test, y_test = data
    with h5py.File(data_path, "w") as f:
        for split, xs, ys in (("train", x_train, y_train), ("test", x_test, y_test)):
            f.create_dataset(f"{split}/images", data=xs)
            f.create_dataset(f"{split}/labels", data=ys)
        f.attrs["source"] = "sklearn.datasets.load_digits (UCI optdigits test set, 1,797 images, 8x8, 0..16)"
        f.attrs["split"] = (f"sklearn.model_selection.train_test_split(test_size={TEST_FRACTION}, "
                            f"random_state={SPLIT_SEED}, stratify=labels)")
        f.attrs["split_seed"] = SPLIT_SEED
        f.attrs["test_fraction"] = TEST_FRACTION
        f.attrs["pixel_max"] = PIXEL_MAX
        f.attrs["written_by"] = "examples/digits/train.py"
    with h5py.File(weights_path, "w") as f:
        for kind, (params, test_acc, train_acc) in nets.items():
            for name, array in params.items():
                f.create_dataset(f"{kind}/{LAYERS[kind][name]}/weight", data=array)
            f[kind].attrs["float_test_accuracy"] = test_acc
            f[kind].attrs["float_train_accuracy"] = train_acc
        f.attrs["train_seed"] = TRAIN_SEED
        f.attrs["epochs"] = EPOCHS
        f.attrs["batch"] = BATCH
        f.attrs["learning_rate"] = LEARNING_RATE
        f.attrs["input_scale"] = "pixel / 16"
        f.attrs["written_by"] = "examples/digits/train.py (numpy, Adam, cross-entropy, bias-free)"


def check(data, nets, data_path, weights_path):
    problems = []
    with h5py.File(data_path, "r") as f:
        for split, xs, ys in zip(("train", "test"), data[0::2], data[1::2]):
            if not np.array_equal(f[f"{split}/images"][()], xs) or not np.array_equal(f[f"{split}/labels"][()], ys):
                problems.append(f"{data_path}: /{split} differs from the seeded split")
    with h5py.File(weights_path, "r") as f:
        for kind, (params, test_acc, _) in nets.items():
            for name, array in params.items():
                shipped = f[f"{kind}/{LAYERS[kind][name]}/weight"][()]
                diff = float(np.max(np.abs(shipped - array))) if shipped.shape == array.shape else float("inf")
                if diff > 1e-5:
                    problems.append(f"{weights_path}: /{kind}/{name}/weight differs by {diff:.3g}")
            if abs(float(f[kind].attrs["float_test_accuracy"]) - test_acc) > 1e-12:
                problems.append(f"{kind}: test accuracy {test_acc} vs shipped {f[kind].attrs['float_test_accuracy']}")
    return problems


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.path.join(here, "data.h5"))
    parser.add_argument("--weights", default=os.path.join(here, "weights.h5"))
    parser.add_argument("--check", action="store_true", help="retrain and compare with the files instead of writing")
    args = parser.parse_args()
    data, nets = build()
    for kind, (_, test_acc, train_acc) in nets.items():
        print(f"{kind}: float test accuracy {test_acc:.4f} ({len(data[3])} images), train {train_acc:.4f}")
    if args.check:
        problems = check(data, nets, args.data, args.weights)
        for p in problems:
            print("MISMATCH:", p)
        print("reproduced" if not problems else "not reproduced")
        return 1 if problems else 0
    write(data, nets, args.data, args.weights)
    print(f"wrote {args.data} and {args.weights}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
