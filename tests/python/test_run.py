"""tandem.load and Network.run against the command line they share their code with: the same file,
seed and options give the same spikes, energy reports and tables; arguments take effect; errors
carry the command line's messages; Ctrl-C keeps what was recorded."""

import json

import numpy as np
import pytest

import tandem
from conftest import DEMO, interrupt_script, run_cli


@pytest.fixture(scope="module")
def against_cli(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    trace, report = str(folder / "cli.h5"), str(folder / "cli.json")
    stdout = run_cli("run", DEMO, "--seed", "7", "--record", trace, "--energy-report", report)
    with open(report, encoding="utf-8") as file:
        cli_energy = json.load(file)
    py_trace, py_report = str(folder / "py.h5"), str(folder / "py.json")
    result = tandem.load(DEMO).run(seed=7, record=py_trace, energy_report=py_report)
    return {"folder": folder, "trace": trace, "report": report, "stdout": stdout, "energy": cli_energy,
            "py_trace": py_trace, "py_report": py_report, "result": result}


def test_same_spikes_as_the_command_line(against_cli):
    cli_result = tandem.read_trace(against_cli["trace"])
    ticks, indices = against_cli["result"].spikes("exc")
    assert len(ticks) > 0
    assert ticks.dtype == np.int64 and indices.dtype == np.uint32
    np.testing.assert_array_equal(ticks, cli_result.spikes("exc")[0])
    np.testing.assert_array_equal(indices, cli_result.spikes("exc")[1])


def test_same_energy_as_the_command_line(against_cli):
    energy, cli_energy = against_cli["result"].energy, against_cli["energy"]
    for key in ("total", "nodes", "static_power", "time", "mapping", "ticks", "chip", "mode", "dt_ms"):
        assert energy[key] == cli_energy[key], key
    assert set(energy) == set(cli_energy)  # exactly the JSON schema
    with open(against_cli["py_report"], encoding="utf-8") as file:
        assert json.load(file)["total"] == cli_energy["total"]


def test_table_and_compare_are_the_command_lines(against_cli):
    result = against_cli["result"]
    table = result.energy.table()
    assert table in against_cli["stdout"]
    assert tandem.energy.table(result) == table
    other = str(against_cli["folder"] / "always_on.json")
    run_cli("run", DEMO, "--seed", "7", "--mode", "always-on", "--energy-report", other, "--quiet")
    expected = run_cli("energy", "compare", against_cli["report"], other)
    assert tandem.energy.compare([against_cli["report"], other]) == expected
    always_on = tandem.load(DEMO).run(seed=7, mode="always-on")
    assert tandem.energy.compare([result, always_on], labels=[against_cli["report"], other]) == expected


def test_read_trace_equals_the_run(against_cli):
    result = against_cli["result"]
    read = tandem.read_trace(against_cli["py_trace"], energy_report=against_cli["py_report"])
    assert read.datasets() == result.datasets()
    for path in read.datasets():
        np.testing.assert_array_equal(read.dataset(path)[0], result.dataset(path)[0], path)
        assert read.dataset(path)[0].dtype == result.dataset(path)[0].dtype
    assert read.meta == result.meta
    assert read.energy == result.energy
    assert read.status == "complete" and read.ticks == 500
    assert read.path == against_cli["py_trace"]


def test_set_changes_spikes_and_the_same_seed_repeats():
    net = tandem.load(DEMO)
    a, b = net.run(ticks=300, seed=3), net.run(ticks=300, seed=3)
    np.testing.assert_array_equal(a.spikes("exc")[0], b.spikes("exc")[0])
    slow = tandem.load(DEMO, set={"populations.exc.parameters.tau_m_ms": 60}).run(ticks=300, seed=3)
    assert len(slow.spikes("exc")[0]) != len(a.spikes("exc")[0])
    other_seed = net.run(ticks=300, seed=4)
    assert not np.array_equal(other_seed.spikes("exc")[0], a.spikes("exc")[0])


def test_duration_and_ticks():
    net = tandem.load(DEMO)
    assert net.run(duration_ms=120).ticks == 120
    assert net.run(ticks=50).energy["ticks"] == 50
    with pytest.raises(tandem.InputError, match="--ticks or --duration-ms"):
        net.run(ticks=5, duration_ms=5)
    assert tandem.load(DEMO, dt_ms=0.5).run(duration_ms=10).ticks == 20


def test_chip_and_mode():
    net = tandem.load(DEMO)
    loihi2 = net.run(ticks=100, chip="loihi2")
    assert loihi2.energy["chip"]["name"] == "loihi2"
    assert net.run(ticks=100, mode="always-on").energy["mode"] == "always-on"
    both = net.run(ticks=100, chip=["tianjic", "loihi2"])
    assert [r["chip"]["name"] for r in both.energies] == ["tianjic", "loihi2"]
    assert both.energies[1]["total"] == loihi2.energy["total"]


def test_precision():
    net = tandem.load(DEMO)
    default = net.run(ticks=200, seed=1).state("exc", "v")  # the file's probe: units 0-2
    loihi = net.run(ticks=200, seed=1, precision="loihi").state("exc", "v")
    assert not np.array_equal(default, loihi)
    loaded = tandem.load(DEMO, precision="loihi").run(ticks=200, seed=1).state("exc", "v")
    np.testing.assert_array_equal(loaded, loihi)
    with pytest.raises(tandem.InputError, match="float7"):
        net.run(ticks=10, precision="float7")


def test_probes_states_and_activations():
    # The file records exc.v of units 0-2 every tick and readout's activations every 20 ticks.
    result = tandem.load(DEMO).run(ticks=100)
    assert result.state("exc", "v").shape == (100, 3)
    assert result.state("exc", "v").dtype == np.float32
    assert result.activations("readout").shape[1] == 2
    assert np.all(np.diff(result.state_ticks("exc", "v")) == 1)
    with pytest.raises(tandem.InputError, match="exc.w"):
        result.state("exc", "w")
    # A network without probes records every population's spikes and what probes= names.
    bare = tandem.load(DEMO, set={"probes": []}).run(ticks=100, probes=["exc.v,every=10"])
    assert bare.state("exc", "v").shape == (10, 8)
    np.testing.assert_array_equal(np.diff(bare.state_ticks("exc", "v")), np.full(9, 10))
    rates = result.rates_hz("exc", 8)
    assert rates.shape == (8,) and rates.sum() == pytest.approx(len(result.spikes("exc")[0]) / 0.1)


def test_record_false_keeps_only_the_energy():
    result = tandem.load(DEMO).run(ticks=100, record=False)
    assert result.path is None and result.datasets() == []
    assert result.energy["ticks"] == 100 and result.ticks == 100 and result.dt_ms == 1.0
    with pytest.raises(tandem.InputError, match="record=False"):
        result.spikes("exc")


def test_bad_file_names_the_file(tmp_path):
    bad = tmp_path / "bad_net.yaml"
    bad.write_text("populations:\n  exc: {model: lif, size: 3}\nsimulation: {dt_ms: -1}\n")
    with pytest.raises(tandem.InputError) as caught:
        tandem.load(bad)
    assert "bad_net.yaml" in str(caught.value)
    assert isinstance(caught.value, ValueError)
    bad.write_text("simulation: {ticks: 10}\npopulations:\n  exc: {model: nosuchmodel, size: 3}\n")
    with pytest.raises(tandem.InputError, match="bad_net.yaml.*nosuchmodel"):
        tandem.load(bad).run()
    with pytest.raises(tandem.InputError, match="nosuchmodel"):
        tandem.load(bad).check()
    with pytest.raises(tandem.InputError, match="missing.yaml"):
        tandem.load("missing.yaml")
    with pytest.raises(tandem.InputError, match="no_trace.h5"):
        tandem.read_trace("no_trace.h5")


def test_bad_override_and_chip():
    with pytest.raises(tandem.InputError):
        tandem.load(DEMO, set={"populations.nosuch.size": 3})
    with pytest.raises(tandem.InputError, match="nochip"):
        tandem.load(DEMO).run(ticks=10, chip="nochip")
    assert issubclass(tandem.RunError, RuntimeError)
    assert issubclass(tandem.Interrupted, KeyboardInterrupt)


def test_existing_record_needs_force(tmp_path):
    trace = str(tmp_path / "run.h5")
    tandem.load(DEMO).run(ticks=10, record=trace)
    with pytest.raises(tandem.InputError):
        tandem.load(DEMO).run(ticks=10, record=trace)
    assert tandem.load(DEMO).run(ticks=20, record=trace, force=True).ticks == 20


def test_loaded_networks_are_edited_through_their_file():
    with pytest.raises(tandem.InputError, match="loaded from a file"):
        tandem.load(DEMO).add_population("more", "lif", 3)
    assert "populations:" in tandem.load(DEMO).to_yaml()


CTRL_C_SCRIPT = """
import sys, tandem
net = tandem.load(sys.argv[1])
print("ready", flush=True)
try:
    net.run(ticks=200_000_000, record=sys.argv[2])
except tandem.Interrupted as stop:
    print("interrupted:", stop, "|", stop.result.status, stop.result.ticks, stop.result.energy["status"], flush=True)
print("after", flush=True)
"""


def test_ctrl_c_keeps_what_was_recorded(tmp_path):
    trace = str(tmp_path / "long.h5")
    output = interrupt_script(CTRL_C_SCRIPT, DEMO, trace)
    assert "after" in output
    import re
    assert re.search(r"interrupted: interrupted by SIGINT after \d+ ticks \| interrupted [1-9]\d* interrupted", output)
    read = tandem.read_trace(trace)
    assert read.status == "interrupted"
    assert len(read.spikes("exc")[0]) > 0


def test_every_public_function_has_a_docstring():
    for name in tandem.__all__:
        item = getattr(tandem, name)
        if callable(item) or isinstance(item, type):
            assert item.__doc__, name
    for cls, methods in ((tandem.Network, ("run", "start", "check", "to_yaml", "add_input", "add_population",
                                           "add_projection", "add_layer", "add_bridge", "wire", "output", "probe",
                                           "place", "set_environment")),
                         (tandem.Simulation, ("step", "send", "run", "finish", "stop")),
                         (tandem.Result, ("spikes", "state", "state_ticks", "activations", "datasets", "dataset",
                                          "rates_hz"))):
        assert len(cls.__doc__) > 200, cls
        for method in methods:
            assert getattr(cls, method).__doc__, f"{cls.__name__}.{method}"
    for name in tandem.energy.__all__:
        assert getattr(tandem.energy, name).__doc__, name
    import pydoc
    text = pydoc.render_doc(tandem.Network, renderer=pydoc.plaintext)
    for method in ("add_population", "add_projection", "start"):
        assert method in text
