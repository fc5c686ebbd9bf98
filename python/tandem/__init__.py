"""tandem from Python: load a network file or NIR file, run it, read spikes, states and energy.

tandem emulates neuromorphic hybrid chips (spiking populations and dense layers joined by a
bridge) and prices every run on a chip model. This module runs networks through the same C++
code as the ``tandem run`` command, so the same file, seed and options give the same spikes,
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

Functions: load, read_trace, chips, chip. Classes: Network (what load returns), Result (what a
run or read_trace returns). Submodule: tandem.energy (Report, table, compare).
Errors: InputError (a ValueError: a bad file, option or value) and RunError (a RuntimeError: a
run that failed), with the command line's messages. Ctrl-C during a run raises Interrupted (a
KeyboardInterrupt) whose ``result`` holds what ran. Guide: docs/python.md.
"""

import json as _json
import os as _os
import shutil as _shutil
import tempfile as _tempfile

from . import _tandem
from . import energy
from ._tandem import InputError, RunError

__all__ = ["load", "read_trace", "chips", "chip", "Network", "Result", "InputError", "RunError",
           "Interrupted", "energy", "__version__"]
__version__ = _tandem.version()
InputError.__doc__ = ("Bad input (a ValueError): a file, key, option or value tandem cannot use; the "
                      "message is the command line's (exit 2 there), naming the file, the key and the problem.")
RunError.__doc__ = "A run that failed (a RuntimeError), with the command line's message (exit 1 there)."


class Interrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C (SIGINT) or SIGTERM after its current epoch.

    ``result`` is the Result of the ticks that ran (spikes, states and an energy report with
    status "interrupted"); a trace named by ``record=`` is closed with status "interrupted".
    """

    def __init__(self, message, result):
        super().__init__(message)
        self.result = result


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

    Returns a Network; nothing is built until Network.run.
    Raises InputError naming the file, the key and the problem.
    """
    path = _os.fspath(path)
    overrides = [_override_text(key, value) for key, value in (set or {}).items()]
    if dt_ms is not None and not path.endswith(".nir"):
        overrides.append(_override_text("simulation.dt_ms", float(dt_ms)))
        dt_ms = None
    return Network(_tandem.load(path, overrides, dt_ms, reset, precision))


class Network:
    """A network read by tandem.load(); run it with Network.run (every run builds it afresh)."""

    def __init__(self, loaded):
        self._loaded = loaded

    @property
    def file(self):
        """The file the network was loaded from."""
        return self._loaded.file

    def __repr__(self):
        return f"tandem.Network({self.file!r})"

    def run(self, duration_ms=None, ticks=None, chip=None, mode=None, precision=None, seed=None,
            record=None, probes=None, energy_report=None, force=False, inputs=None):
        """Builds and runs the network once, as ``tandem run`` does; returns a Result.

        Args:
            duration_ms / ticks: run length (one of them); default: the file's simulation.ticks
                or duration_ms (NIR: the longest input).
            chip: preset name (tandem.chips()) or chip YAML file to price the run on; several as
                "loihi,tianjic" (result.energies has one report each); default: the file's
                simulation.chip, else "tianjic".
            mode: "event" or "always-on"; default: the file's.
            precision: overrides load()'s precision for this run.
            seed: random seed; default: the file's (NIR: 1).
            record: write the HDF5 trace here (docs/traces.md); None keeps it in a temporary file
                that is read back and deleted.
            probes: extra things to record, as ``--probe``: ["exc.v,every=10", "readout.activations"].
                Without probes (here or in the file) every population's spikes are recorded.
            energy_report: also write the JSON energy report here (docs/energy.md).
            force: overwrite existing record / energy_report files.
            inputs: NIR files only: {input node: CSV/HDF5 source or numpy array [ticks x units]}.

        The GIL is released while the network is built and runs. Ctrl-C (in the main thread)
        stops the run after the current epoch and raises Interrupted carrying the partial Result.
        Raises InputError for bad input and RunError for a run that failed.
        """
        scratch = None
        if record is None:
            scratch = _tempfile.mkdtemp(prefix="tandem-run-")
            trace = _os.path.join(scratch, "run.h5")
        else:
            trace = _os.fspath(record)
        try:
            reports, stopped = self._loaded.run(
                duration_ms=duration_ms, ticks=ticks, chip=chip, mode=mode, precision=precision,
                seed=seed, record=trace, probes=list(probes or []), force=force,
                energy_report=None if energy_report is None else _os.fspath(energy_report),
                inputs=dict(inputs or {}))
            result = Result._from_trace(trace, [energy.Report(_json.loads(r)) for r in reports],
                                        None if scratch else trace)
        finally:
            if scratch:
                _shutil.rmtree(scratch, ignore_errors=True)
        if stopped is not None:
            raise Interrupted(stopped, result)
        return result


class Result:
    """What a run recorded: spikes, states, activations, the trace's /meta and the energy report.

    Returned by Network.run and tandem.read_trace. Arrays are numpy arrays read from the trace
    (docs/traces.md has the layout).
    """

    def __init__(self, meta, datasets, energies, path):
        self.meta = meta
        """The trace's /meta attributes as text (dt_ms, seed, mode, chip, config, status, ...)."""
        self._datasets = datasets
        self.energies = energies
        """One energy.Report per chip the run was priced on (empty for a trace without a report)."""
        self.path = path
        """The trace file, or None when the run kept none."""

    @classmethod
    def _from_trace(cls, path, energies, kept_path):
        meta, datasets = _tandem.read_trace(path)
        return cls(meta, datasets, energies, kept_path)

    @property
    def energy(self):
        """The energy report (energy.Report, a dict with the JSON schema of docs/energy.md) of
        the first chip; None when there is none (a trace read without its report)."""
        return self.energies[0] if self.energies else None

    @property
    def status(self):
        """"complete", or "interrupted" / "failed" (see meta["stop_reason"])."""
        return self.meta.get("status")

    @property
    def ticks(self):
        """Ticks whose data the result holds."""
        return int(self.meta.get("ticks_completed", 0))

    @property
    def dt_ms(self):
        """Tick length in ms."""
        return float(self.meta["dt_ms"])

    def datasets(self):
        """Every dataset path of the trace, sorted ("/snn/exc/spikes/tick", ...)."""
        return sorted(self._datasets)

    def dataset(self, path):
        """(array, attributes) of one trace dataset by its path; InputError naming the ones there are."""
        if path not in self._datasets:
            raise InputError(f"no dataset '{path}' in the result; it has: {', '.join(self.datasets()) or 'none'}")
        return self._datasets[path]

    def _find(self, suffix, what, hint):
        found = [path for path in self._datasets if path.endswith(suffix) and not path.startswith("/energy/")]
        if len(found) == 1:
            return self._datasets[found[0]]
        if not found:
            raise InputError(f"no {what} recorded; {hint} (recorded: {', '.join(self.datasets()) or 'nothing'})")
        raise InputError(f"{what} is ambiguous: {', '.join(sorted(found))}; use dataset(path)")

    def spikes(self, population):
        """(ticks, indices) of every spike of a population: int64 and uint32 numpy arrays of the
        same length; unit indices[k] spiked at tick ticks[k]."""
        hint = f"record it with probes=['{population}.spikes']"
        ticks, _ = self._find(f"/{population}/spikes/tick", f"spikes of '{population}'", hint)
        indices, _ = self._find(f"/{population}/spikes/index", f"spikes of '{population}'", hint)
        return ticks, indices

    def state(self, node, variable):
        """A recorded state variable as a numpy array [samples x units]; sample s is tick
        first_tick + s * every_ticks (state_ticks gives them)."""
        values, _ = self._find(f"/{node}/state/{variable}", f"state '{node}.{variable}'",
                               f"record it with probes=['{node}.{variable}']")
        return values

    def state_ticks(self, node, variable):
        """The tick of every sample of state(node, variable), as a numpy int64 array."""
        import numpy as np
        values, attributes = self._find(f"/{node}/state/{variable}", f"state '{node}.{variable}'",
                                        f"record it with probes=['{node}.{variable}']")
        first, every = int(float(attributes.get("first_tick", 0))), int(float(attributes.get("every_ticks", 1)))
        return first + every * np.arange(values.shape[0], dtype=np.int64)

    def activations(self, layer):
        """A dense layer's recorded activations as a numpy array [samples x units]."""
        values, _ = self._find(f"/{layer}/activations", f"activations of '{layer}'",
                               f"record them with probes=['{layer}.activations']")
        return values

    def __repr__(self):
        return f"tandem.Result(status={self.status!r}, ticks={self.ticks}, datasets={len(self._datasets)})"


def read_trace(path, energy_report=None):
    """Reads a trace written by a run (``record=`` or ``tandem run --record``) into a Result.

    Args:
        path: the HDF5 trace.
        energy_report: the run's JSON energy report (``energy_report=`` or ``--energy-report``),
            for result.energy; the trace itself holds energy per window (/energy), not the report.

    Raises InputError naming the file when it is missing or not a tandem trace.
    """
    path = _os.fspath(path)
    energies = [energy.read(energy_report)] if energy_report is not None else []
    return Result._from_trace(path, energies, path)


def chips():
    """Every chip preset as a dict: name, description, source, mesh, cores, neurons_per_core,
    costs_pj (pJ per op; None where the chip gives a reason in ``unpriced``), hops_pj,
    static_power, latency_ns, native_precision, ... (as ``tandem chips --chip NAME``)."""
    return _tandem.chips()


def chip(spec):
    """One chip, a preset name or a chip YAML file (docs/energy.md), as a dict like chips()'s."""
    return _tandem.chip(_os.fspath(spec))
