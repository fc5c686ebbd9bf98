"""Networks stepped from Python (Network.start, Simulation.step): timing of external inputs and
outputs, a stepped run equal to a whole run, the cart-pole of `tandem example cartpole`
reproduced with the environment in Python, Ctrl-C and exceptions, the GIL."""

import os
import sys
import threading
import time

import numpy as np
import pytest

import tandem
from conftest import DEMO, SOURCE, interrupt_script, run_cli

sys.path.insert(0, os.path.join(SOURCE, "examples", "python"))
import cartpole  # noqa: E402 (examples/python/cartpole.py)


def relay():
    """An external input of 2 values -> delta encoder -> 4 relay neurons -> delta decoder -> layer."""
    net = tandem.Network(name="relay")
    net.add_input("obs", "external", 2)
    net.add_bridge("enc", "delta_encoder", "obs", output="cells", parameters={"threshold": 0.25, "weight": 1.5})
    net.add_population("cells", "lif", 4, parameters={"v_threshold_mv": 1.0, "v_reset_mv": 0.0})
    net.add_bridge("dec", "delta_decoder", "cells", parameters={"threshold": 0.25})
    net.add_layer("sum", "dec", 1, weights=np.array([[1.0, 10.0]]))
    net.output("sum", "cells", "dec")
    return net


def test_values_in_values_and_spikes_out():
    with relay().start(ticks_per_step=10) as sim:
        assert sim.inputs == {"obs": 2}
        assert sim.outputs == {"sum": ("values", 1), "cells": ("spikes", 4), "dec": ("values", 2)}
        first = sim.step(inputs={"obs": np.array([0.5, 0.25])})
        # obs at tick 0 -> encoder at 1 -> cells at 2 (one spike per tick per channel) -> decoder at 3 ...
        ticks, indices = first["cells"]
        assert ticks.dtype == np.int64 and indices.dtype == np.uint32
        assert sorted(indices.tolist()) == [0, 0, 2]  # two "on" spikes for 0.5, one for 0.25
        np.testing.assert_array_equal(first["dec"], [0.5, 0.25])
        assert first["sum"][0] == pytest.approx(0.5 + 2.5)
        assert sim.now == 10
        second = sim.step(inputs={"obs": [0.0, 0.25]})
        assert sorted(second["cells"][1].tolist()) == [1, 1]  # two "off" spikes on channel 0
        np.testing.assert_array_equal(second["dec"], [0.0, 0.25])
        quiet = sim.step()  # nothing sent: values hold, no spikes
        assert len(quiet["cells"][0]) == 0 and quiet["sum"][0] == pytest.approx(2.5)
        sim.run(5)
        assert sim.now == 35
    result = sim.result
    assert result.status == "complete" and result.ticks == 35
    assert len(result.spikes("cells")[0]) == 5


def test_input_errors_name_the_input():
    with relay().start() as sim:
        with pytest.raises(tandem.InputError, match="takes 2 values, got 3"):
            sim.step(inputs={"obs": [1.0, 2.0, 3.0]})
        with pytest.raises(tandem.InputError, match="no external input 'ob'.*obs"):
            sim.step(inputs={"ob": [1.0, 2.0]})
        with pytest.raises(tandem.InputError, match="not a finite number"):
            sim.step(inputs={"obs": [1.0, float("nan")]})
        sim.step(inputs={"obs": [1.0, 2.0]})
    with pytest.raises(tandem.InputError, match="the run is finished"):
        sim.step()
    assert sim.finish() is sim.result
    net = tandem.Network()
    net.add_input("bias", "current", 3, value=1.0)
    net.add_population("cells", "lif", 3)
    net.add_projection("bias_cells", "bias", "cells", rule="one_to_one", weights=1.0)
    net.output("bias")
    with pytest.raises(tandem.InputError, match=r"outputs\.0: 'bias' is an input that sends nothing"):
        net.start()


def test_a_stepped_run_equals_a_whole_run():
    net = tandem.load(DEMO)
    whole = net.run(ticks=500, seed=9)
    with net.start(ticks_per_step=50, seed=9) as sim:
        outputs = [sim.step() for _ in range(10)]
    stepped = sim.result
    for a, b in zip(stepped.spikes("exc"), whole.spikes("exc")):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(stepped.state("exc", "v"), whole.state("exc", "v"))
    assert stepped.energy["total"] == whole.energy["total"]
    # The file's output: the readout layer's latest values after every step.
    activations = whole.activations("readout")  # sampled every 20 ticks
    np.testing.assert_array_equal(outputs[-1]["readout"], activations[-1])


def test_the_cartpole_example_reproduces_the_command_line(tmp_path):
    trace = str(tmp_path / "cli.h5")
    stdout = run_cli("example", "cartpole", "--episodes", "3", "--seed", "5", "--record", trace, "--quiet")
    cli_steps = [int(s) for s in stdout.split("episode steps:")[1].split("energy on")[0].split()]
    steps, successes, result = cartpole.run(episodes=3, seed=5, record=str(tmp_path / "py.h5"))
    assert steps == cli_steps and successes == 3
    assert f"balanced {successes}/3 episodes" in stdout
    cli = tandem.read_trace(trace)
    py_ticks, py_indices = result.spikes("lif")
    cli_ticks, cli_indices = cli.spikes("lif")
    kept = cli_ticks < result.ticks  # the command line runs a few steps past the last episode
    assert len(py_ticks) > 1000
    np.testing.assert_array_equal(py_ticks, cli_ticks[kept])
    np.testing.assert_array_equal(py_indices, cli_indices[kept])


def controller_with_environment(parameters):
    """The example's controller closed by the C++ cart-pole engine (the network file's
    environment section) instead of a Python loop."""
    net = cartpole.controller()
    spec = net._spec
    del spec["inputs"]["cartpole"]
    net._names.discard("cartpole")
    spec["outputs"] = []
    net.set_environment("cartpole", parameters)
    net.wire("policy", "cartpole")
    net.probe("cartpole", "signals")
    return net


def test_a_python_environment_steps_as_the_cpp_engine_even_when_episodes_fail():
    pushes = {"push_probability": 0.05, "push_force_n": 45.0}
    states = []
    steps, successes, result = cartpole.run(
        episodes=6, seed=2, record=False,
        on_step=lambda environment, action: states.append(list(environment.state)),
        environment=cartpole.CartPole(push_probability=0.05, push_force=45.0))
    assert successes < 6, "the pushes should make some episodes fail"
    net = controller_with_environment(pushes)
    engine = net.run(ticks=20 * len(states), seed=2)
    x = engine.dataset("/env/cartpole/x")[0]
    theta = engine.dataset("/env/cartpole/theta")[0]
    episode = engine.dataset("/env/cartpole/episode")[0]
    # Sample k is the state emitted at tick 20 k; the Python loop saw it after step k - 1 ran.
    python = np.array(states, dtype=np.float32)
    np.testing.assert_array_equal(x[:len(states)], python[:, 0])
    np.testing.assert_array_equal(theta[:len(states)], python[:, 2])
    assert episode[len(states) - 1] == 5


def test_gil_is_released_during_runs_and_steps():
    count = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            count[0] += 1

    worker = threading.Thread(target=spin)
    worker.start()
    try:
        net = tandem.Network(name="busy")
        net.add_input("drive", "poisson", 2000, rate_hz=20.0)
        net.add_population("exc", "lif", 4000, parameters={"v_threshold_mv": 5.0})
        net.add_projection("drive_exc", "drive", "exc", rule="fixed_indegree", k=50, weights=0.5)
        # Runs until 0.2 s have passed inside them, however fast the machine (a fixed run length
        # took 0.04 s on a quiet one, too short to tell a spinning thread from a blocked one).
        run_counts = 0
        inside = 0.0
        while inside < 0.2:
            before = count[0]
            started = time.perf_counter()
            net.run(ticks=2000, record=False)
            inside += time.perf_counter() - started
            run_counts += count[0] - before
        assert run_counts > 1000, "another Python thread should run while the network does"
    finally:
        stop.set()
        worker.join()


STEP_CTRL_C = """
import sys, tandem
net = tandem.load(sys.argv[1])
sim = net.start(record=sys.argv[2])
print("ready", flush=True)
try:
    sim.step(ticks=200_000_000)
except tandem.Interrupted as stop:
    print("interrupted:", stop, "|", stop.result.status, stop.result.ticks > 0, stop.result.energy["status"], flush=True)
print("finished:", sim.finished, flush=True)
"""


def test_ctrl_c_stops_a_long_step(tmp_path):
    trace = str(tmp_path / "stepped.h5")
    output = interrupt_script(STEP_CTRL_C, DEMO, trace)
    assert "interrupted: interrupted by SIGINT after" in output
    assert "| interrupted True interrupted" in output and "finished: True" in output
    assert tandem.read_trace(trace).status == "interrupted"


def test_keyboard_interrupt_or_an_error_in_the_loop_closes_the_trace(tmp_path):
    trace = str(tmp_path / "loop.h5")
    with pytest.raises(KeyboardInterrupt):
        with relay().start(ticks_per_step=10, record=trace) as sim:
            sim.step(inputs={"obs": [0.5, 0.5]})
            raise KeyboardInterrupt
    read = tandem.read_trace(trace)
    assert read.status == "interrupted" and read.ticks == 10
    assert "KeyboardInterrupt after 10 ticks" in read.meta["stop_reason"]
    assert sim.result.energy["status"] == "interrupted"
    with pytest.raises(ZeroDivisionError):
        with relay().start(ticks_per_step=10) as sim:
            sim.step()
            1 / 0
    assert sim.result.status == "interrupted" and "ZeroDivisionError" in sim.result.meta["stop_reason"]
    # Dropped without finish(): the trace is still closed, as interrupted.
    dropped = str(tmp_path / "dropped.h5")
    sim = relay().start(record=dropped)
    sim.step()
    del sim
    assert tandem.read_trace(dropped).status == "interrupted"


def test_a_nir_graph_is_stepped_from_python():
    """The NIR paper's CNN as a subnetwork: event frames sent from Python each step reach its
    Input one tick later, and its class spikes come back, the same as a whole run of the same
    frames through a spike-times input (issue #14: NIR graphs can be stepped)."""
    nir = os.path.join(SOURCE, "tests", "data", "nir", "cnn_sinabs.nir")
    rng = np.random.default_rng(3)
    frames = (rng.random((12, 2312)) < 0.15).astype(np.float32)

    net = tandem.Network(dt_ms=1000.0, name="cnn_stepped")
    net.add_input("frame", "external", 2312)
    net.add_subnetwork("cnn", nir)
    net.wire("frame", "cnn.input")
    net.output("cnn")
    stepped_ticks, stepped_units = [], []
    with net.start(ticks_per_step=1) as sim:
        assert sim.outputs == {"cnn": ("spikes", 10)}
        for frame in frames:
            ticks, units = sim.step(inputs={"frame": frame})["cnn"]
            stepped_ticks += ticks.tolist()
            stepped_units += units.tolist()
        for _ in range(3):  # empty frames let the last ones through (a frame is held until the next)
            ticks, units = sim.step(inputs={"frame": np.zeros(2312, np.float32)})["cnn"]
            stepped_ticks += ticks.tolist()
            stepped_units += units.tolist()
    assert len(stepped_units) > 0

    whole = tandem.Network(dt_ms=1000.0, name="cnn_whole")
    times = [[1000.0 * t for t in range(len(frames)) if frames[t, k] > 0] for k in range(2312)]
    whole.add_input("frame", "spike_times", 2312, times_ms=times)
    whole.add_subnetwork("cnn", nir)
    whole.wire("frame", "cnn.input")
    whole.probe("cnn.12", "spikes")
    result = whole.run(ticks=len(frames) + 3)
    ticks, units = result.spikes("cnn.12")
    # An external frame is held until the next one arrives, a spike_times event lasts one tick:
    # one frame per tick makes them the same input. The output adds one tick of latency.
    assert [t + 1 for t in ticks.tolist()] == stepped_ticks
    assert units.tolist() == stepped_units
