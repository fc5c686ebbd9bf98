"""tandem.Network: a network loaded from a file or built in code, run whole or stepped.

A network built here is the same description as a network file (docs/network-format.md): every
``add_*`` call is one entry of a section, checked by the same reader, with errors that name the
key path (``populations.exc.size: must be a positive integer``). numpy arrays are handed to the
C++ code as they are, without going through text, so large weight matrices load fast.
"""

import json as _json
import os as _os
import re as _re
import shutil as _shutil
import tempfile as _tempfile

import numpy as _np

from . import _tandem
from . import energy as _energy
from ._tandem import InputError

_PLAIN_NAME = _re.compile(r"^[A-Za-z0-9_-]+$")
_INPUT_KINDS = ("poisson", "poisson_drive", "spike_times", "current", "external")


class Network:
    """A spiking / dense / hybrid network: loaded with tandem.load(), or built here in code.

    Build one node at a time (every name is unique across the network; the sections and keys
    are those of a network file, docs/network-format.md)::

        net = tandem.Network(dt_ms=1.0, name="demo")
        net.add_input("drive", "poisson", 20, rate_hz=40.0)
        net.add_population("exc", "lif", 8, parameters={"tau_m_ms": 20.0, "v_threshold_mv": -50.0,
                                                        "v_leak_mv": -65.0, "v_reset_mv": -65.0},
                           initial={"v": -65.0})
        net.add_projection("drive_to_exc", "drive", "exc", weights=2.5, rule="fixed_probability", p=0.5)
        net.add_bridge("exc_rate", "rate_decoder", "exc", window_ticks=20)
        net.add_layer("readout", ["exc_rate"], 2, weights=np.ones((2, 8)) * 0.5, activation="relu")
        result = net.run(ticks=500, chip="tianjic", seed=42)

    Run it whole with run() (a Result), or step it from a Python loop with start() (a
    Simulation): external inputs (add_input(kind="external")) take values from the loop, and
    the nodes named by output() give theirs back after every step.
    """

    def __init__(self, dt_ms=1.0, name="network", seed=None, mode=None, chip=None, precision=None,
                 ticks=None, duration_ms=None):
        """An empty network built in code.

        Args:
            dt_ms: tick length in ms.
            name: labels the network in errors, reports and traces.
            seed, mode, chip, precision: the network's defaults (simulation.seed, .mode ("event"
                or "always-on"), .chip (a preset name or chip YAML file), .precision
                ("float32", "fixed", "tianjic", "loihi")); run() and start() may override them.
            ticks / duration_ms: the default run length (one of them).
        """
        if not isinstance(name, str) or not name:
            raise InputError("Network: name must be a non-empty string")
        self.name = name
        self._file = None
        self._handle = None
        simulation = {"dt_ms": dt_ms}
        for key, value in (("seed", seed), ("mode", mode), ("chip", chip), ("precision", precision),
                           ("ticks", ticks), ("duration_ms", duration_ms)):
            if value is not None:
                simulation[key] = _os.path.abspath(value) if key == "chip" and str(value).endswith((".yaml", ".yml")) else value
        self._spec = {"simulation": simulation}
        self._names = set()

    @classmethod
    def _loaded(cls, handle, file):
        net = cls.__new__(cls)
        net.name = _os.path.basename(file)
        net._file = file
        net._handle = handle
        net._spec = None
        net._names = set()
        return net

    @property
    def file(self):
        """The file the network was loaded from, or None for a network built in code."""
        return self._file

    def __repr__(self):
        if self._file is not None:
            return f"tandem.Network({self._file!r})"
        counts = ", ".join(f"{len(self._spec[s])} {s}" for s in ("inputs", "populations", "projections", "layers", "bridge")
                           if s in self._spec)
        return f"tandem.Network(name={self.name!r}{', ' + counts if counts else ''})"

    # ---- building ------------------------------------------------------------------------

    def _editable(self, what):
        if self._file is not None:
            raise InputError(f"{what}: '{self._file}' was loaded from a file; edit the file, or use load(set=...) "
                             "to override its values")
        self._handle = None

    def _add(self, section, name, entry, what):
        self._editable(what)
        if not isinstance(name, str) or not _PLAIN_NAME.match(name):
            raise InputError(f"{what}: names may contain only letters, digits, '_' and '-', got {name!r}")
        if name in self._names:
            raise InputError(f"{what}: the name '{name}' is already used in this network (names are unique across sections)")
        self._names.add(name)
        self._spec.setdefault(section, {})[name] = {k: _kept(v) for k, v in entry.items() if v is not None}
        return self

    def add_input(self, name, kind, size, rate_hz=None, times_ms=None, value=None):
        """Adds an input node (docs/network-format.md, "inputs").

        Args:
            name: node name.
            kind: "poisson" (rate_hz: one rate or one per unit), "poisson_drive" (rate_hz: a
                Poisson count per unit per tick, through a one_to_one projection), "spike_times"
                (times_ms: one list of spike times per unit), "current" (value: a constant,
                through a one_to_one projection), or "external": dense values the Python loop
                sends with Simulation.step(inputs={name: values}) (a run() sends none).
            size: units.
        Returns the network (calls chain).
        """
        if kind not in _INPUT_KINDS:
            raise InputError(f"add_input: kind must be one of {', '.join(_INPUT_KINDS)}, got {kind!r}")
        if times_ms is not None:
            times_ms = [list(_np.asarray(unit, dtype=float).ravel()) for unit in times_ms]
        return self._add("inputs", name, {"kind": kind, "size": size, "rate_hz": rate_hz, "times_ms": times_ms,
                                          "value": value}, "add_input")

    def add_population(self, name, model, size, parameters=None, initial=None, reset=None, precision=None):
        """Adds a population of spiking neurons (docs/network-format.md, "populations").

        Args:
            name: node name.
            model: neuron model ("lif", "lif_cuba", "lif_coba", "if", "cuba_lif", "li", "alif",
                "izhikevich"; docs/neurons.md).
            size: neurons.
            parameters: {name: number} checked by the model, e.g. {"tau_m_ms": 20.0}; "bias_na"
                may be one value per neuron (a numpy array).
            initial: {variable: number, array (one per neuron) or {"distribution": "uniform",
                "low": a, "high": b}}.
            reset: "value" (v <- v_reset, the default) or "subtract" (v <- v - v_th).
            precision: "float32", "tianjic" or "loihi" (lif); default: the network's.
        """
        return self._add("populations", name, {"model": model, "size": size, "parameters": parameters,
                                               "initial": initial, "reset": reset, "precision": precision},
                         "add_population")

    def add_projection(self, name, source, target, weights=None, rule=None, delays=None, receptor=None,
                       p=None, k=None, pairs=None, synapses=None):
        """Adds synapses from a spike source to a population (docs/network-format.md, "projections").

        Args:
            name: projection name (names its random streams).
            source: an input, population or bridge encoder.
            target: a population.
            weights: one number for every synapse; a numpy array [source size x target size]
                (W[i, j]: source unit i to target unit j; implies rule "all_to_all"); one value
                per synapse (1-D) in the rule's order; or {"distribution": "normal", "mean": m,
                "sd": s} / {"distribution": "uniform", "low": a, "high": b}.
            rule: "all_to_all" (default), "one_to_one", "fixed_probability" (p),
                "fixed_indegree" (k) or "explicit" (pairs, or synapses).
            delays: delay in ms (whole ticks, at least one tick; default one tick): one number,
                one per synapse (explicit), or {"distribution": "uniform", "low_ms": a, "high_ms": b}.
            receptor: the target model's receptor (e.g. "v", "g_exc"); default its first.
            pairs: explicit synapses: (pre, post) index arrays, or an array [synapses x 2].
            synapses: explicit synapses from a file: {"file": "syn.h5", "group": "/g"} or
                {"file": "syn.npy"} (docs/network-format.md, "Synapse files").
        """
        weight = weights
        if isinstance(weights, (list, tuple)) or isinstance(weights, _np.ndarray):
            weight = _np.asarray(weights, dtype=float)
            if weight.ndim == 2:
                if rule not in (None, "all_to_all"):
                    raise InputError(f"add_projection {name}: a weight matrix means rule all_to_all, not {rule!r}; "
                                     "give one weight per synapse (1-D) for other rules")
                self._check_matrix(name, source, target, weight)
                rule = "all_to_all"
                weight = weight.ravel()
            elif weight.ndim == 0:
                weight = float(weight)
        if pairs is not None:
            if isinstance(pairs, tuple) and len(pairs) == 2:
                pairs = _np.column_stack([_np.asarray(pairs[0]), _np.asarray(pairs[1])])
            pairs = _np.asarray(pairs, dtype=float)
            rule = rule or "explicit"
        if synapses is not None:
            synapses = _absolute_files(synapses)
            rule = rule or "explicit"
        return self._add("projections", name, {"from": source, "to": target, "target": receptor, "rule": rule,
                                               "p": p, "k": k, "pairs": pairs, "synapses": synapses, "weight": weight,
                                               "delay_ms": delays}, "add_projection")

    def _check_matrix(self, name, source, target, weight):
        sizes = [self._size_of(source), self._size_of(target)]
        if None not in sizes and tuple(weight.shape) != tuple(sizes):
            raise InputError(f"add_projection {name}: the weight matrix is {weight.shape[0]} x {weight.shape[1]}, "
                             f"expected {sizes[0]} x {sizes[1]} (source size x target size: W[i, j] connects "
                             f"{source} unit i to {target} unit j)")

    def _size_of(self, node):
        for section in ("inputs", "populations", "layers"):
            entry = self._spec.get(section, {}).get(node)
            if entry is not None:
                return entry.get("size")
        return None

    def add_layer(self, name, inputs, size, weights, bias=None, activation=None, precision=None, event=None,
                  period_ticks=None, phase_ticks=None):
        """Adds a dense layer (docs/network-format.md, "layers"; docs/dense.md).

        Args:
            name: node name.
            inputs: a node name or list of them (layers, bridge decoders, external inputs); the
                fan-in is the sum of their sizes.
            size: units.
            weights: numpy array [size x fan-in], one number, or HDF5 data {"file": "w.h5",
                "dataset": "/w"} / {"file": "w.h5", "group": "/layer"} (weights and bias).
            bias: one number or one per unit.
            activation: "identity" (default), "relu", "tanh", ... (docs/dense.md).
            precision: "float32", "fixed" or "tianjic"; default: the network's.
            event: "zero_skip" (default) or "delta", or {"kind": "delta", "threshold": 0.01}.
            period_ticks / phase_ticks: the layer runs at ticks t with t % period == phase.
        """
        if isinstance(event, str):
            event = {"kind": event}
        if isinstance(inputs, str):
            inputs = [inputs]
        return self._add("layers", name, {"inputs": list(inputs), "size": size, "activation": activation,
                                          "precision": precision, "event": event, "period_ticks": period_ticks,
                                          "phase_ticks": phase_ticks, "weights": _absolute_files(weights),
                                          "bias": _absolute_files(bias)}, "add_layer")

    def add_bridge(self, name, kind, input, output=None, size=None, window_ticks=None, parameters=None):
        """Adds a bridge unit, an encoder (values -> spikes) or decoder (spikes -> values)
        (docs/network-format.md, "bridge"; docs/bridge.md).

        Args:
            name: node name.
            kind: "rate_encoder", "poisson_encoder", "latency_encoder", "population_encoder",
                "delta_encoder", "delta_encoder_graded", "current_injection", "population_current",
                "count_decoder", "rate_decoder", "exponential_decoder", "first_spike_decoder",
                "population_decoder", "delta_decoder", "membrane_readout".
            input: the node it reads.
            output: the node it feeds (a population takes the spikes of an encoder, with
                parameters "weight" and "receptor"); optional.
            size: output width (default: what the kind gives).
            window_ticks: integration window of the windowed kinds.
            parameters: the kind's parameters, e.g. {"value_min": 0, "value_max": 1}; the delta
                encoder takes "threshold" or "thresholds" (one per value) and "channels".
        """
        return self._add("bridge", name, {"kind": kind, "input": input, "output": output, "size": size,
                                          "window_ticks": window_ticks, "parameters": parameters}, "add_bridge")

    def add_subnetwork(self, name, nir, reset=None, precision=None, loihi_scale=None):
        """Includes a NIR graph (docs/network-format.md, "subnetworks"; docs/nir.md), lowered onto
        the event engine with its nodes named "<name>.<NIR node>". Wire to its Input nodes as
        "<name>.<Input>" (values from an external input or a decoder, or spikes) and from its
        Output nodes as "<name>.<Output>" (spikes); "<name>" alone is the only Input or Output.

        Args:
            name: node name.
            nir: path of the .nir file (relative paths are taken from the current directory).
            reset: "zero" (default) or "subtract".
            precision: of its LIF nodes, "float32", "tianjic" or "loihi"; default: the network's.
            loihi_scale: integer precisions: integer units per unit of v (default: per node).
        """
        return self._add("subnetworks", name, {"nir": _os.path.abspath(_os.fspath(nir)), "reset": reset,
                                               "precision": precision, "loihi_scale": loihi_scale}, "add_subnetwork")

    def wire(self, source, target, latency_ticks=None, latency_ms=None):
        """Connects two nodes' ports ("node" or "node.port"), or sets the latency (default 1
        tick) of a connection the sections imply (docs/network-format.md, "wires")."""
        self._editable("wire")
        self._spec.setdefault("wires", []).append(
            {k: v for k, v in {"from": source, "to": target, "latency_ticks": latency_ticks,
                               "latency_ms": latency_ms}.items() if v is not None})
        return self

    def output(self, *nodes):
        """Names nodes ("node" or "node.port") whose values a stepped run gives back after every
        step (Simulation.step): a layer's or decoder's values, a population's spikes."""
        self._editable("output")
        self._spec.setdefault("outputs", []).extend(nodes)
        return self

    def probe(self, node, variable, units=None, every_ticks=None):
        """Records a variable into the run's trace: "spikes", a state variable ("v"), a layer's
        "activations", a bridge unit's "out"; units: indices (default all); every_ticks: one
        sample per that many ticks. Read back with Result.spikes / .state / .activations."""
        self._editable("probe")
        entry = {"node": node, "variable": variable}
        if units is not None:
            entry["units"] = [int(u) for u in _np.asarray(units).ravel()]
        if every_ticks is not None:
            entry["every_ticks"] = every_ticks
        self._spec.setdefault("probes", []).append(entry)
        return self

    def place(self, node, cores):
        """Pins a node to chip cores (physical indices) for the energy and time model."""
        self._editable("place")
        self._spec.setdefault("placement", {})[node] = [int(c) for c in cores]
        return self

    def set_environment(self, name, parameters=None):
        """Puts a built-in closed-loop environment in the network ("cartpole" or "bicycle",
        parameters by field name); wire it with wire("cartpole.observation", ...) and a decoder
        or layer with output "cartpole". An environment written in Python is stepped with
        start() instead."""
        self._editable("set_environment")
        self._spec["environment"] = {"name": name, "parameters": dict(parameters or {})}
        return self

    # ---- the description -----------------------------------------------------------------

    def _described(self):
        """(JSON text with {array: NAME} entries, {NAME: array})."""
        arrays = {}

        def plain(value, path):
            if isinstance(value, dict):
                return {str(k): plain(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
            if isinstance(value, _np.ndarray):
                if value.ndim == 0:
                    return value.item()
                arrays[path] = value
                return {"array": path}
            if isinstance(value, (list, tuple)):
                return [plain(v, f"{path}.{i}") for i, v in enumerate(value)]
            if isinstance(value, _np.generic):
                return value.item()
            if isinstance(value, float) and not _np.isfinite(value):
                return ".nan" if value != value else (".inf" if value > 0 else "-.inf")
            return value

        return _json.dumps(plain(self._spec, "")), arrays

    def to_yaml(self, path=None):
        """The network as a network file (YAML, arrays written inline); written to `path` if
        given. `tandem run FILE` then runs the same network."""
        if self._file is not None:
            with open(self._file, encoding="utf-8") as file:
                text = file.read()
        else:
            text = _yaml_text(self._spec)
        if path is not None:
            with open(_os.fspath(path), "w", encoding="utf-8") as file:
                file.write(text)
        return text

    def handle(self):
        """The compiled network the runs use (internal; parsed again after every change)."""
        if self._handle is None:
            text, arrays = self._described()
            self._handle = _tandem.describe(text, arrays, f"network '{self.name}' (built in Python)", _os.getcwd())
        return self._handle

    def check(self):
        """Reads and builds the network without running it: raises InputError for anything a
        run would refuse (names, references, shapes, model parameters, bridge kinds)."""
        self.handle().check()

    # ---- running -------------------------------------------------------------------------

    def run(self, duration_ms=None, ticks=None, chip=None, mode=None, precision=None, seed=None,
            record=None, probes=None, energy_report=None, force=False, inputs=None, threads=None):
        """Builds and runs the network once, as ``tandem run`` does; returns a Result.

        Args:
            duration_ms / ticks: run length (one of them); default: the network's
                (simulation.ticks or duration_ms; NIR: the longest input).
            chip: a preset name (tandem.chips()), a chip YAML file or a chip dict (tandem.chip);
                or a list of them (result.energies has one report each); default: the
                network's simulation.chip, else "tianjic".
            mode: "event" or "always-on"; default: the network's.
            precision: "float32", "fixed", "tianjic", "loihi" or "native" (the chip's own).
            seed: random seed; default: the network's (NIR: 1).
            record: write the HDF5 trace here (docs/traces.md) and keep it; None: a temporary
                trace, read back and deleted; False: no trace (only the energy report).
            probes: extra things to record, as ``--probe``: ["exc.v,every=10", "readout.activations"].
                Without probes (here or in the network) every population's spikes are recorded.
            energy_report: also write the JSON energy report here (docs/energy.md).
            force: overwrite existing record / energy_report files.
            inputs: NIR files only: {input node: CSV/HDF5 source or numpy array [ticks x units]}.
            threads: threads the engines spread their work over (1-1024); default: the network's
                simulation.threads, else 1. Results are the same for any count (docs/threads.md).

        The GIL is released while the network is built and runs. Ctrl-C (in the main thread)
        stops the run after the current epoch and raises Interrupted carrying the partial Result.
        Raises InputError for bad input and RunError for a run that failed.
        """
        handle = self.handle() if self._file is None else self._handle
        with _Scratch() as scratch:
            trace = scratch.trace(record)
            stopped = None
            reports, stopped = handle.run(
                duration_ms=duration_ms, ticks=ticks, chip=scratch.chips(chip), mode=mode, precision=precision,
                seed=seed, record=trace, probes=list(probes or []), force=force,
                energy_report=None if energy_report is None else _os.fspath(energy_report), inputs=dict(inputs or {}),
                threads=threads)
            result = _result(trace, reports, record)
        if stopped is not None:
            error = _tandem.Interrupted(stopped)
            error.result = result
            raise error
        return result

    def start(self, ticks_per_step=1, chip=None, mode=None, precision=None, seed=None, record=None, probes=None,
              energy_report=None, force=False):
        """Builds the network for a run stepped from Python; returns a Simulation.

        Every Simulation.step(inputs={...}) sends values to the external inputs (add_input kind
        "external") at the current tick, runs ticks_per_step ticks and returns the outputs
        (output()). Use it as a context manager, or call finish() for the Result::

            with net.start(ticks_per_step=20, chip="loihi2") as sim:
                for _ in range(500):
                    out = sim.step(inputs={"observation": obs})
                    obs = environment.step(out["policy"])
            result = sim.result

        Args:
            ticks_per_step: ticks one step() runs (default 1).
            chip, mode, precision, seed, probes, energy_report, force: as run().
            record: as run(): a kept trace, None (temporary, read at finish), or False (no
                trace: the fastest stepping; the Result has only the energy report).
        """
        handle = self.handle() if self._file is None else self._handle
        scratch = _Scratch()
        try:
            trace = scratch.trace(record)
            stepper = handle.start(ticks_per_step=ticks_per_step, chip=scratch.chips(chip), mode=mode,
                                   precision=precision, seed=seed, record=trace, probes=list(probes or []),
                                   force=force, energy_report=None if energy_report is None else _os.fspath(energy_report))
        except BaseException:
            scratch.close()
            raise
        scratch.drop_chips()
        from .simulation import Simulation
        return Simulation(stepper, trace, record, scratch)


def _kept(value):
    """The value as the network keeps it: arrays copied, so changing them later changes nothing."""
    if isinstance(value, _np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _kept(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_kept(v) for v in value]
    return value


def _absolute_files(value):
    """HDF5 references {"file": ...} with the file made absolute (relative to the current folder)."""
    if isinstance(value, dict) and "file" in value:
        value = dict(value)
        value["file"] = _os.path.abspath(_os.fspath(value["file"]))
    return value


def _result(trace, reports, record):
    from .results import Result
    energies = [_energy.Report(_json.loads(r)) for r in reports]
    if trace is None:
        return Result({}, {}, energies, None)
    return Result._from_trace(trace, energies, None if record is None else trace)


class _Scratch:
    """A temporary folder for a run's unkept trace and its chips described as dicts."""

    def __init__(self):
        self.folder = None
        self._chip_files = []

    def _path(self, name):
        if self.folder is None:
            self.folder = _tempfile.mkdtemp(prefix="tandem-run-")
        return _os.path.join(self.folder, name)

    def trace(self, record):
        if record is False:
            return None
        if record is None:
            return self._path("run.h5")
        return _os.fspath(record)

    def chips(self, chip):
        """The --chip text: names and files as they are; dicts written to chip files here."""
        if chip is None:
            return None
        items = chip if isinstance(chip, (list, tuple)) else [chip]
        specs = []
        for item in items:
            if isinstance(item, dict):
                label = f"chip '{item.get('name', item.get('base', 'custom'))}' (a dict)"
                text = _tandem.chip_yaml(_json.dumps(item), label)
                name = _re.sub(r"[^A-Za-z0-9_-]", "_", str(item.get("name", item.get("base", "custom") + "-custom")))
                path = self._path(f"{name}.yaml")
                with open(path, "w", encoding="utf-8") as file:
                    file.write(text)
                self._chip_files.append(path)
                specs.append(path)
            else:
                specs.append(_os.fspath(item))
        return ",".join(specs)

    def drop_chips(self):
        for path in self._chip_files:
            try:
                _os.remove(path)
            except OSError:
                pass
        self._chip_files = []

    def close(self):
        if self.folder is not None:
            _shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _yaml_scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, _np.integer)):
        return str(int(value))
    if isinstance(value, (float, _np.floating)):
        value = float(value)
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    return _json.dumps(str(value))


def _yaml_flow(value):
    if isinstance(value, _np.ndarray):
        value = value.tolist()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml_flow(v) for v in value) + "]"
    return _yaml_scalar(value)


def _yaml_text(spec):
    """A network description as readable YAML: sections as blocks, entries in flow style."""
    lines = []
    for section, content in spec.items():
        if isinstance(content, dict):
            lines.append(f"{section}:")
            for key, value in content.items():
                lines.append(f"  {key}: {_yaml_flow(value)}")
        else:
            lines.append(f"{section}:")
            for item in content:
                lines.append(f"  - {_yaml_flow(item)}")
    return "\n".join(lines) + "\n"

