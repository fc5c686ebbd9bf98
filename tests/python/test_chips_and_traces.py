"""tandem.chips / tandem.chip (presets, files, dicts) and runs priced on a chip described as a
dict; tandem.RandomStream against the C++ streams; traces read into typed numpy arrays."""

import json

import numpy as np
import pytest

import tandem
from conftest import DEMO, run_cli


def test_chips_list_presets_with_their_costs(cli):
    chips = {c["name"]: c for c in tandem.chips()}
    assert {"tianjic", "loihi2", "loihi", "spinnaker2"} <= set(chips)
    assert chips["loihi"]["costs_pj"]["synaptic_ops"] > 0
    assert chips["tianjic"]["snn"] and chips["tianjic"]["ann"]
    assert tandem.chip("tianjic") == chips["tianjic"]
    listed = cli("chips")
    for name in chips:
        assert name in listed
    # A folded cost has no price and says why.
    loihi2 = chips["loihi2"]
    assert loihi2["costs_pj"]["packets"] is None and "folded" in loihi2["unpriced"]["packets"]
    # A board's chip-to-chip link, with its source; not applicable to a one-device chip.
    assert chips["spinnaker"]["inter_chip_link"]["energy_pj_per_crossing"] == 800
    assert "Painkras" in chips["spinnaker"]["inter_chip_link"]["source"]
    assert chips["cpu"]["inter_chip_link"]["applicable"] is False


def test_a_chip_from_a_dict_or_a_file(tmp_path):
    cheap = tandem.chip({"base": "loihi2", "name": "loihi2-cheap", "costs_pj": {"synaptic_ops": 10.0}})
    loihi2 = tandem.chip("loihi2")
    assert cheap["name"] == "loihi2-cheap" and cheap["costs_pj"]["synaptic_ops"] == 10.0
    assert cheap["costs_pj"]["neuron_updates"] == loihi2["costs_pj"]["neuron_updates"]
    assert cheap["mesh"] == loihi2["mesh"]
    assert tandem.chip({"base": "loihi2"})["name"] == "loihi2-custom"
    with pytest.raises(tandem.InputError, match=r"chip 'loihi2' \(a dict\): key 'costs_pj.synaptic_opz': unknown op"):
        tandem.chip({"base": "loihi2", "costs_pj": {"synaptic_opz": 1.0}})
    with pytest.raises(tandem.InputError, match="nosuchchip"):
        tandem.chip({"base": "nosuchchip"})
    with pytest.raises(tandem.InputError):
        tandem.chip({"name": "half"})  # a whole chip file needs its mesh, core, costs ...
    # The same chip written as a file.
    path = tmp_path / "mine.yaml"
    path.write_text(open(_preset("loihi2"), encoding="utf-8").read().replace("name: loihi2", "name: mine"))
    assert tandem.chip(path)["name"] == "mine"


def _preset(name):
    from tandem import _tandem
    return _tandem.preset_path(name)


def test_runs_priced_on_a_chip_dict():
    net = tandem.load(DEMO)
    base = net.run(ticks=200, chip="loihi2", seed=1)
    cheap = net.run(ticks=200, chip={"base": "loihi2", "name": "cheap", "costs_pj": {"synaptic_ops": 0.0}}, seed=1)
    assert cheap.energy["chip"]["name"] == "cheap"
    synaptic = [n for n in base.energy["nodes"] if n["kind"] == "projection"]
    assert synaptic and all(n["energy_j"]["dynamic"] > 0 for n in synaptic)
    assert all(n["energy_j"]["dynamic"] == 0 for n in cheap.energy["nodes"] if n["kind"] == "projection")
    both = net.run(ticks=200, chip=["loihi2", {"base": "loihi2", "name": "cheap"}], seed=1)
    assert [r["chip"]["name"] for r in both.energies] == ["loihi2", "cheap"]
    assert both.energies[0]["total"] == base.energy["total"]
    with net.start(chip={"base": "tianjic", "name": "stepped"}) as sim:
        sim.step(ticks=10)
    assert sim.result.energy["chip"]["name"] == "stepped"


def test_random_streams_are_the_cpp_streams(tmp_path):
    # The cart-pole's first start state is drawn from RandomStream.derived(episode_seed(seed, 0),
    # "cartpole/start"): compare with what the C++ environment emitted in a trace.
    trace = str(tmp_path / "cartpole.h5")
    run_cli("example", "cartpole", "--episodes", "1", "--seed", "3", "--record", trace, "--quiet")
    x0 = tandem.read_trace(trace).dataset("/env/cartpole/x")[0][0]
    start = tandem.RandomStream.derived(tandem.episode_seed(3, 0), "cartpole/start")
    assert np.float32(start.uniform(-0.05, 0.05)) == x0
    a, b = tandem.RandomStream(7), tandem.RandomStream(7)
    assert [a.next_u64() for _ in range(3)] == [b.next_u64() for _ in range(3)]
    assert 0.0 <= a.uniform() < 1.0 and 0 <= a.below(10) < 10 and isinstance(a.bernoulli(0.5), bool)
    with pytest.raises(tandem.InputError):
        a.below(0)


def test_traces_come_back_as_typed_arrays(tmp_path):
    trace = str(tmp_path / "run.h5")
    result = tandem.load(DEMO).run(ticks=300, record=trace)
    ticks, indices = result.spikes("exc")
    assert ticks.dtype == np.int64 and indices.dtype == np.uint32
    assert result.state("exc", "v").dtype == np.float32
    assert np.all(np.diff(ticks) >= 0) and ticks.max() < 300
    energy_windows, attributes = result.dataset("/energy/exc/energy_j")
    assert energy_windows.dtype == np.float64 and energy_windows.shape[0] == 3
    report = json.loads(result.energy.to_json())
    assert report == result.energy
