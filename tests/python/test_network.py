"""tandem.Network built in code: the same description as a network file (same spikes as the file it
mirrors), numpy arrays handed over as they are, errors naming the key path, and to_yaml() giving
a file that `tandem run` runs the same."""

import os
import re

import numpy as np
import pytest

import tandem
from conftest import DEMO, SOURCE, run_cli

LIF = {"tau_m_ms": 20.0, "v_leak_mv": -65.0, "v_reset_mv": -65.0, "v_threshold_mv": -50.0, "refractory_ms": 2.0}


def hybrid_demo():
    """examples/networks/hybrid_demo.yaml, entry by entry."""
    net = tandem.Network(dt_ms=1.0, name="demo", seed=42, mode="event", chip="tianjic", duration_ms=500)
    net.add_input("drive", "poisson", 20, rate_hz=40.0)
    net.add_population("exc", "lif", 8, parameters=LIF, reset="value", initial={"v": -65.0})
    net.add_projection("drive_to_exc", "drive", "exc", receptor="v", rule="fixed_probability", p=0.5, weights=2.5,
                       delays=1.0)
    net.add_bridge("exc_rate", "rate_decoder", "exc", output="readout", window_ticks=20,
                   parameters={"value_min": 0.0, "value_max": 1.0})
    net.add_layer("readout", ["exc_rate"], 2, weights=np.array([[0.5] * 4 + [-0.5] * 4, [-0.5] * 4 + [0.5] * 4]),
                  bias=[0.0, 0.0], activation="relu", precision="float32", event={"kind": "delta", "threshold": 0.01},
                  period_ticks=20)
    net.output("readout")
    net.probe("exc", "spikes")
    net.probe("exc", "v", units=[0, 1, 2], every_ticks=1)
    net.probe("readout", "activations", every_ticks=20)
    return net


def test_built_in_python_equals_the_network_file():
    built, loaded = hybrid_demo().run(), tandem.load(DEMO).run()
    assert built.ticks == loaded.ticks == 500
    for a, b in zip(built.spikes("exc"), loaded.spikes("exc")):
        np.testing.assert_array_equal(a, b)
    assert len(built.spikes("exc")[0]) > 50
    np.testing.assert_array_equal(built.state("exc", "v"), loaded.state("exc", "v"))
    np.testing.assert_array_equal(built.activations("readout"), loaded.activations("readout"))
    assert built.energy["total"] == loaded.energy["total"]
    assert built.energy["chip"]["name"] == "tianjic" and built.meta["seed"] == "42"
    assert "built in Python" in built.energy["network"]
    # Run settings override the network's defaults, as for a file.
    again = hybrid_demo().run(ticks=100, seed=5, mode="always-on", chip="loihi2")
    assert (again.ticks, again.meta["seed"], again.energy["mode"], again.energy["chip"]["name"]) == \
        (100, "5", "always-on", "loihi2")


def test_to_yaml_runs_the_same_on_the_command_line(tmp_path):
    net = hybrid_demo()
    path = tmp_path / "demo.yaml"
    text = net.to_yaml(path)
    assert text == path.read_text() and "populations:" in text
    trace = str(tmp_path / "cli.h5")
    run_cli("run", str(path), "--record", trace, "--quiet")
    cli = tandem.read_trace(trace)
    result = net.run()
    for a, b in zip(result.spikes("exc"), cli.spikes("exc")):
        np.testing.assert_array_equal(a, b)


def orientation_network(weights):
    """One spike of input unit 1 at 5 ms onto 3 silent neurons through `weights` [2 x 3]."""
    net = tandem.Network(dt_ms=1.0, name="orientation")
    net.add_input("spikes", "spike_times", 2, times_ms=[[], [5.0]])
    net.add_population("out", "lif", 3, parameters={"tau_m_ms": 1000.0, "v_threshold_mv": 100.0,
                                                     "rest_tolerance_mv": 0.0})
    net.add_projection("in_out", "spikes", "out", weights=weights)
    net.probe("out", "v")
    return net


def test_a_weight_matrix_is_source_by_target():
    weights = np.array([[9.0, 9.0, 9.0], [1.0, 2.0, 3.0]])  # row i: what source unit i adds to each target
    v = orientation_network(weights).run(ticks=10).state("out", "v")
    jump = v[-1]
    assert np.all(jump > 0)
    np.testing.assert_allclose(jump / jump[0], [1.0, 2.0, 3.0], rtol=1e-6)
    # The same synapses as one weight per synapse in rule order (row-major pre x post), or explicit.
    flat = orientation_network(weights.ravel()).run(ticks=10).state("out", "v")
    np.testing.assert_array_equal(flat, v)
    pre, post = np.meshgrid(np.arange(2), np.arange(3), indexing="ij")
    net = tandem.Network(dt_ms=1.0, name="explicit")
    net.add_input("spikes", "spike_times", 2, times_ms=[[], [5.0]])
    net.add_population("out", "lif", 3, parameters={"tau_m_ms": 1000.0, "v_threshold_mv": 100.0,
                                                     "rest_tolerance_mv": 0.0})
    net.add_projection("in_out", "spikes", "out", pairs=(pre.ravel(), post.ravel()), weights=weights.ravel(),
                       delays=np.full(6, 1.0))
    net.probe("out", "v")
    np.testing.assert_array_equal(net.run(ticks=10).state("out", "v"), v)
    with pytest.raises(tandem.InputError, match=r"3 x 2, expected 2 x 3 \(source size x target size"):
        orientation_network(weights.T)


def test_large_arrays_and_per_neuron_values():
    rng = np.random.default_rng(1)
    net = tandem.Network(dt_ms=1.0, name="large")
    net.add_input("drive", "poisson", 400, rate_hz=10.0)
    net.add_population("exc", "lif", 500, parameters=dict(LIF, bias_na=rng.uniform(0.0, 0.5, 500)),
                       initial={"v": rng.uniform(-65.0, -50.0, 500)})
    net.add_projection("drive_exc", "drive", "exc", weights=rng.uniform(0.0, 1.0, (400, 500)))  # 200,000 synapses
    net.add_projection("exc_exc", "exc", "exc", rule="fixed_indegree", k=20,
                       weights={"distribution": "normal", "mean": 0.2, "sd": 0.05},
                       delays={"distribution": "uniform", "low_ms": 1.0, "high_ms": 3.0})
    result = net.run(ticks=200, seed=2)
    nodes = {n["node"]: n for n in result.energy["nodes"]}
    assert nodes["drive_exc"]["memory"]["possible_synapses"] == 200_000
    assert len(result.spikes("exc")[0]) > 0
    same = net.run(ticks=200, seed=2)
    np.testing.assert_array_equal(same.spikes("exc")[0], result.spikes("exc")[0])


def test_errors_name_the_key_path():
    label = "network 'bad' (built in Python)"
    net = tandem.Network(name="bad")
    net.add_population("exc", "lif", -3)
    with pytest.raises(tandem.InputError, match="^" + re.escape(label) + r": populations\.exc\.size: must be a positive"):
        net.run(ticks=10)
    net = tandem.Network(name="bad")
    net.add_population("exc", "lif", 3, parameters={"tau_m": 10.0})
    with pytest.raises(tandem.InputError, match=r"populations\.exc\.parameters\.tau_m: unknown parameter of model 'lif'"):
        net.check()
    net = tandem.Network(name="bad")
    net.add_population("exc", "lif", 3)
    net.add_projection("p", "exc", "inh")
    with pytest.raises(tandem.InputError, match=r"projections\.p\.to: no node named 'inh'"):
        net.check()
    net = tandem.Network(name="bad")
    net.add_input("drive", "poisson", 4, rate_hz=np.array([1.0, np.nan, 1.0, 1.0]))
    with pytest.raises(tandem.InputError, match=r"inputs\.drive\.rate_hz\.1: must be a finite number"):
        net.check()
    net = tandem.Network(name="bad")
    net.add_input("obs", "external", 2)
    net.add_layer("policy", "obs", 1, weights=np.ones((1, 2)), period_ticks=20, phase_ticks=20)
    with pytest.raises(tandem.InputError, match=r"layers\.policy\.phase_ticks: must be in \[0, period_ticks = 20\)"):
        net.check()
    net = tandem.Network(name="bad")
    net.add_input("obs", "external", 2)
    net.add_bridge("enc", "delta_encoder", "obs", parameters={"thresholds": [0.1, 0.2, 0.3]})
    with pytest.raises(tandem.InputError, match=r"bridge\.enc\.parameters: .*thresholds has 3"):
        net.check()
    # Caught when added: names.
    net = tandem.Network()
    net.add_population("exc", "lif", 3)
    with pytest.raises(tandem.InputError, match="already used"):
        net.add_input("exc", "poisson", 3, rate_hz=1.0)
    with pytest.raises(tandem.InputError, match="letters, digits"):
        net.add_population("e x", "lif", 3)
    with pytest.raises(tandem.InputError, match="kind must be one of"):
        net.add_input("drive", "poison", 3)


def test_layers_read_hdf5_weights_and_external_inputs_feed_them():
    weights = os.path.join(SOURCE, "examples", "cartpole", "weights.h5")
    net = tandem.Network(name="policy")
    net.add_input("features", "external", 4)
    net.add_layer("policy", "features", 1, weights={"file": weights, "group": "/policy"})
    net.output("policy")
    net.check()
    assert "weights: {file: " in net.to_yaml()
    with net.start() as sim:
        out = sim.step(inputs={"features": [0.1, 0.0, 0.0, 0.0]})
        assert out["policy"] is None  # sent at tick 0, reaches the layer at 1, its output arrives at 2
        out = sim.step(ticks=2)
        assert out["policy"].shape == (1,) and out["policy"].dtype == np.float32


def test_environment_section():
    net = tandem.Network(name="cartpole in C++")
    net.set_environment("cartpole", {"push_probability": 0.0})
    net.add_layer("policy", "cartpole", 1, weights=np.array([[1.0, 1.0, 10.0, 1.0]]))
    net.wire("policy", "cartpole")
    net.probe("cartpole", "signals")
    result = net.run(ticks=2000)
    assert result.dataset("/env/cartpole/x")[0].shape == (100,)
