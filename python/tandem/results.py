"""tandem.Result: what a run recorded (spikes, states, activations, /meta) and its energy reports."""

import os as _os

import numpy as _np

from . import _tandem
from . import energy as _energy
from ._tandem import InputError


class Result:
    """What a run recorded: spikes, states, activations, the trace's /meta and the energy report.

    Returned by Network.run, Simulation.finish and tandem.read_trace. Arrays are numpy arrays of
    the trace's own types (docs/traces.md has the layout), read once, in bulk.
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
        meta, datasets = _tandem.read_trace(_os.fspath(path))
        return cls(meta, datasets, energies, kept_path)

    @property
    def energy(self):
        """The energy report (energy.Report, a dict with the JSON schema of docs/energy.md) of
        the first chip; None when there is none (a trace read without its report)."""
        return self.energies[0] if self.energies else None

    @property
    def status(self):
        """"complete", or "interrupted" / "failed" (see meta["stop_reason"]); None without a trace."""
        if not self.meta:
            return self.energy.get("status", "complete") if self.energy else None
        return self.meta.get("status")

    @property
    def ticks(self):
        """Ticks the run completed."""
        if "ticks_completed" in self.meta:
            return int(self.meta["ticks_completed"])
        return int(self.energy["ticks"]) if self.energy else 0

    @property
    def dt_ms(self):
        """Tick length in ms."""
        if "dt_ms" in self.meta:
            return float(self.meta["dt_ms"])
        return float(self.energy["dt_ms"]) if self.energy else None

    def datasets(self):
        """Every dataset path of the trace, sorted ("/snn/exc/spikes/tick", ...)."""
        return sorted(self._datasets)

    def dataset(self, path):
        """(array, attributes) of one trace dataset by its path; InputError naming the ones there are."""
        if path not in self._datasets:
            raise InputError(f"no dataset '{path}' in the result; it has: {', '.join(self.datasets()) or 'none'}")
        return self._datasets[path]

    def _find(self, suffix, what, hint):
        if not self.meta:
            raise InputError(f"no {what}: the run kept no trace (record=False); run it with record=None or a file")
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
        values, attributes = self._find(f"/{node}/state/{variable}", f"state '{node}.{variable}'",
                                        f"record it with probes=['{node}.{variable}']")
        first, every = int(float(attributes.get("first_tick", 0))), int(float(attributes.get("every_ticks", 1)))
        return first + every * _np.arange(values.shape[0], dtype=_np.int64)

    def activations(self, layer):
        """A dense layer's recorded activations as a numpy array [samples x units]."""
        values, _ = self._find(f"/{layer}/activations", f"activations of '{layer}'",
                               f"record them with probes=['{layer}.activations']")
        return values

    def rates_hz(self, population, size=None):
        """Mean firing rate per unit of a population over the run (Hz), from its spikes; `size`
        defaults to the highest unit index seen + 1."""
        ticks, indices = self.spikes(population)
        count = size if size is not None else (int(indices.max()) + 1 if len(indices) else 0)
        seconds = self.ticks * self.dt_ms / 1000.0
        return _np.bincount(indices, minlength=count)[:count] / seconds if seconds > 0 else _np.zeros(count)

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
    energies = [_energy.read(energy_report)] if energy_report is not None else []
    return Result._from_trace(path, energies, path)
