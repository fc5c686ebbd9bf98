#!/usr/bin/env python3
"""Writes the broken NIR files of tests/data/bad/nir/ (run from anywhere; the files are committed).

Each file breaks one rule of the NIR layout tandem reads (/node = NIRGraph with nodes/<name>/
{type, parameters} and edges (E, 2) [source, target]); tests/io/bad_nir_files_test.cpp lists the
message each must produce. Requires h5py and numpy.
"""
import pathlib

import h5py
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
FUZZ_SEEDS = HERE.parents[3] / "fuzz" / "corpus" / "nir"  # valid small files seed the NIR fuzzer
STR = h5py.string_dtype()


def lif(group, n=1, **override):
    """A LIF node with n units; keyword arguments replace parameters."""
    params = {"tau": np.full(n, 0.01), "r": np.ones(n), "v_leak": np.zeros(n), "v_threshold": np.ones(n)}
    params.update(override)
    group["type"] = "LIF"
    for key, value in params.items():
        group[key] = value


def graph(path, nodes, edges, top_type="NIRGraph"):
    """nodes: name -> function(group) filling it; edges: [(source, target)]."""
    with h5py.File(HERE / path, "w") as f:
        f["version"] = "1.0.0"
        top = f.create_group("node")
        top["type"] = top_type
        members = top.create_group("nodes")
        for name, fill in nodes.items():
            fill(members.create_group(name))
        top.create_dataset("edges", data=np.array(edges, dtype=object).reshape(len(edges), 2), dtype=STR)


def io_node(kind, n):
    def fill(group):
        group["type"] = kind
        group["shape"] = np.array([n], dtype=np.int64)
    return fill


def chain(middle, n=1, input_shape=None):
    """input -> x -> output with `middle` filling node x."""
    nodes = {"input": io_node("Input", n), "x": middle, "output": io_node("Output", n)}
    if input_shape is not None:
        nodes["input"] = lambda g: (g.__setitem__("type", "Input"), g.__setitem__("shape", input_shape))
    graph(f"{chain.name}.nir", nodes, [("input", "x"), ("x", "output")])


def write_chain(name, middle, n=1, input_shape=None):
    chain.name = name
    chain(middle, n, input_shape)


def main():
    good = HERE / "valid_lif.nir"
    write_chain("valid_lif", lif)  # the reference the truncated file is cut from
    data = good.read_bytes()
    (HERE / "truncated.nir").write_bytes(data[: len(data) // 2])
    FUZZ_SEEDS.mkdir(parents=True, exist_ok=True)
    (FUZZ_SEEDS / "valid_lif.nir").write_bytes(data)
    good.unlink()
    (HERE / "not_hdf5.nir").write_text("NIR? no: this is plain text pretending to be a graph\n")
    write_chain("nan_parameter", lambda g: lif(g, tau=np.array([np.nan])))
    write_chain("inf_parameter", lambda g: lif(g, v_threshold=np.array([np.inf])))
    write_chain("negative_shape", lif, input_shape=np.array([-4], dtype=np.int64))
    write_chain("fractional_shape", lif, input_shape=np.array([2.5]))
    write_chain("huge_shape", lif, input_shape=np.array([1 << 40, 1 << 30], dtype=np.int64))
    write_chain("zero_shape", lif, input_shape=np.array([0], dtype=np.int64))
    write_chain("missing_parameter", lambda g: (lif(g), g.__delitem__("v_threshold")))
    write_chain("string_parameter", lambda g: (lif(g), g.__delitem__("tau"), g.__setitem__("tau", "fast")))

    def huge_weight(group):
        # Declared 2^20 x 2^20 doubles (8 TiB) but never written: must be refused before reading.
        group["type"] = "Linear"
        group.create_dataset("weight", shape=(1 << 20, 1 << 20), dtype="f8", chunks=(1, 16))
    write_chain("huge_weight", huge_weight)

    def weight_vector(group):
        group["type"] = "Linear"
        group["weight"] = np.ones(3)
    write_chain("weight_not_matrix", weight_vector)

    def wrong_bias(group):
        group["type"] = "Affine"
        group["weight"] = np.ones((2, 1))
        group["bias"] = np.zeros(3)
    write_chain("bias_shape", wrong_bias, n=1)

    def negative_delay(group):
        group["type"] = "Delay"
        group["delay"] = np.array([-0.002])
    write_chain("negative_delay", negative_delay)

    def no_type(group):
        group["tau"] = np.ones(1)
    write_chain("node_without_type", no_type)

    def unknown(group):
        group["type"] = "Wobble"
    write_chain("unknown_type", unknown)
    write_chain("link_cycle", lif)

    graph("dangling_edge.nir", {"input": io_node("Input", 1), "x": lif, "output": io_node("Output", 1)},
          [("input", "x"), ("x", "nowhere")])
    graph("empty_graph.nir", {}, [])
    graph("not_a_graph.nir", {"input": io_node("Input", 1)}, [], top_type="LIF")
    # A recurrent loop is legal NIR (the back edge reads the previous tick): fuzz seed, not bad.
    graph(FUZZ_SEEDS / "recurrent_cycle.nir",
          {"input": io_node("Input", 1), "a": lif, "b": lambda g: (g.__setitem__("type", "Scale"),
                                                                   g.__setitem__("scale", np.ones(1))),
           "output": io_node("Output", 1)},
          [("input", "a"), ("a", "b"), ("b", "a"), ("b", "output")])
    with h5py.File(HERE / "edges_wrong_type.nir", "w") as f:
        top = f.create_group("node")
        top["type"] = "NIRGraph"
        nodes = top.create_group("nodes")
        io_node("Input", 1)(nodes.create_group("input"))
        io_node("Output", 1)(nodes.create_group("output"))
        top["edges"] = np.array([[0, 1]], dtype=np.int64)
    with h5py.File(HERE / "link_cycle.nir", "a") as f:
        # A hard link back to the top graph: nesting would never end.
        f["node/nodes/again"] = f["node"]
    with h5py.File(HERE / "no_node.nir", "w") as f:
        f["version"] = "1.0.0"


if __name__ == "__main__":
    main()
