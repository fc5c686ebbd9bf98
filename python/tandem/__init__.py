"""tandem from Python: load or build a network, run it on chip models, read spikes, states and
energy as numpy arrays and dicts, and step it from a Python loop to close it with an environment.

tandem emulates neuromorphic hybrid chips (spiking populations and dense layers joined by a
bridge) and prices every run on a chip model. This module runs networks through the same C++
code as the ``tandem run`` command, so the same network, seed and options give the same spikes,
traces and energy figures.

Quick start::

    import tandem
    net = tandem.load("examples/networks/hybrid_demo.yaml",
                      set={"populations.exc.parameters.tau_m_ms": 10})
    result = net.run(ticks=1000, chip="tianjic", seed=1)
    ticks, indices = result.spikes("exc")        # numpy arrays
    print(result.energy.table())                 # the energy table `tandem run` prints
    loihi = net.run(ticks=1000, chip="loihi2", seed=1)
    print(tandem.energy.compare([result, loihi]))

Build in code: ``net = tandem.Network(dt_ms=1.0)``, then add_input, add_population,
add_projection, add_layer, add_bridge, wire, output, probe (help(tandem.Network)).
Closed loop: ``sim = net.start(ticks_per_step=20)``, ``out = sim.step(inputs={"obs": obs})``
(help(tandem.Simulation)).

Functions: load, read_trace, chips, chip, episode_seed. Classes: Network, Simulation, Result,
RandomStream. Submodule: tandem.energy (Report, table, compare, read).
Errors: InputError (a ValueError: a bad file, option or value) and RunError (a RuntimeError: a
run that failed), with the command line's messages; Interrupted (a KeyboardInterrupt) when
Ctrl-C stopped a run, its ``result`` holding what ran. Guide: docs/python.md.
"""

import json as _json
import os as _os

from . import _tandem
from . import energy
from ._tandem import InputError, Interrupted, RandomStream, RunError, episode_seed
from .network import Network
from .results import Result, read_trace
from .simulation import Simulation

__all__ = ["load", "read_trace", "chips", "chip", "Network", "Simulation", "Result", "RandomStream",
           "episode_seed", "InputError", "RunError", "Interrupted", "energy", "__version__"]
__version__ = _tandem.version()
InputError.__doc__ = ("Bad input (a ValueError): a file, key, option or value tandem cannot use; the "
                      "message is the command line's (exit 2 there), naming the file, the key and the problem.")
RunError.__doc__ = "A run that failed (a RuntimeError), with the command line's message (exit 1 there)."
Interrupted.__doc__ = ("A run stopped by Ctrl-C (SIGINT) or SIGTERM after its current epoch (a KeyboardInterrupt). "
                       "``result`` is the Result of the ticks that ran (spikes, states and an energy report with "
                       "status \"interrupted\"); a trace named by ``record=`` is closed with status \"interrupted\".")


def _override_text(key, value):
    """One ``set`` entry as the command line's ``--set key=value`` (YAML text for the value)."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = value
    else:
        text = _json.dumps(value.tolist() if hasattr(value, "tolist") else value)
    return f"{key}={text}"


def load(path, dt_ms=None, reset=None, set=None, precision=None):
    """Reads and checks a network file (.yaml, docs/network-format.md) or a NIR file (.nir).

    Args:
        path: the file; relative paths inside a network file resolve against its folder.
        dt_ms: tick length in ms. NIR files (which store none; default 0.1); for a network file
            it is the same as ``set={"simulation.dt_ms": dt_ms}``.
        reset: NIR files only: "zero" (v <- v_reset, the default) or "subtract" (v <- v - v_th).
        set: overrides of the network file's values, ``{"populations.exc.parameters.tau_m_ms":
            10}`` as ``tandem run --set`` (values may be numbers, strings, bools or lists).
        precision: the default precision of every node that names none: "float32", "fixed",
            "tianjic", "loihi" or "native" (the run's chip's own); docs/precision.md.

    Returns a Network; nothing is built until Network.run or Network.start.
    Raises InputError naming the file, the key and the problem.
    """
    path = _os.fspath(path)
    overrides = [_override_text(key, value) for key, value in (set or {}).items()]
    if dt_ms is not None and not path.endswith(".nir"):
        overrides.append(_override_text("simulation.dt_ms", float(dt_ms)))
        dt_ms = None
    return Network._loaded(_tandem.load(path, overrides, dt_ms, reset, precision), path)


def chips():
    """Every chip preset as a dict: name, description, source, mesh, cores, neurons_per_core,
    costs_pj (pJ per op; None where the chip gives a reason in ``unpriced``), hops_pj,
    inter_chip_link (energy per crossing, latency, source), static_power, latency_ns, native_precision, ... (as ``tandem chips --chip NAME``)."""
    return _tandem.chips()


def chip(spec):
    """One chip as a dict like chips()'s: a preset name, a chip YAML file, or a chip described
    as a dict with the chip file's keys (docs/energy.md), e.g. a preset with one cost changed::

        tandem.chip({"base": "loihi2", "name": "loihi2-cheap-synapses",
                     "costs_pj": {"synaptic_ops": 10.0}})

    ``base`` names the preset (or file) whose values the dict changes (maps merge key by key);
    without it the dict is a whole chip file. A dict is accepted wherever a run takes a chip
    (Network.run(chip=...), Network.start(chip=...)). InputError names the key and the problem.
    """
    if isinstance(spec, dict):
        label = f"chip '{spec.get('name', spec.get('base', 'custom'))}' (a dict)"
        return _tandem.chip_from_text(_tandem.chip_yaml(_json.dumps(spec), label), label)
    return _tandem.chip(_os.fspath(spec))


RandomStream.__doc__ = ("tandem's seeded random stream (xoshiro256**): the same numbers the C++ code draws, so a "
                        "Python environment can reproduce a C++ one. RandomStream.derived(seed, name) is the stream "
                        "of one named consumer of a run seeded with `seed`.")
