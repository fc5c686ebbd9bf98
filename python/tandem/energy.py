"""Energy reports: the JSON schema of docs/energy.md as Python dicts, their console table and
side-by-side comparison, formatted by the same code as ``tandem run`` and ``tandem energy compare``."""

import json as _json
import os as _os

from . import _tandem

__all__ = ["Report", "Text", "table", "compare", "read"]


class Text(str):
    """Text that shows as itself at the interactive prompt (a table, not a quoted string)."""

    def __repr__(self):
        return str(self)


class Report(dict):
    """An energy report: a dict with exactly the keys of the JSON report (docs/energy.md)."""

    def table(self):
        """The console table ``tandem run`` prints for this report (print() it)."""
        return table(self)

    def to_json(self):
        """The report as JSON text, as ``--energy-report`` writes it."""
        return _json.dumps(self, indent=2)


def read(path):
    """Reads a JSON energy report file (``--energy-report``) into a Report."""
    with open(_os.fspath(path), encoding="utf-8") as file:
        return Report(_json.load(file))


def _report_json(report):
    if hasattr(report, "energy") and not isinstance(report, dict):
        if report.energy is None:
            raise _tandem.InputError("the result has no energy report (read_trace without energy_report=)")
        report = report.energy
    if isinstance(report, (str, _os.PathLike)):
        report = read(report)
    return _json.dumps(report)


def table(report):
    """The console table of a report (a Report/dict, a Result, or a JSON file name)."""
    return Text(_tandem.energy_table(_report_json(report)))


def compare(reports, labels=None):
    """Reports side by side with each one's ratio to the first, as ``tandem energy compare``.

    Args:
        reports: two or more Reports/dicts, Results or JSON file names.
        labels: column names; default: the file names when all are files, else "A", "B", ...
    """
    reports = list(reports)
    if len(reports) < 2:
        raise _tandem.InputError("tandem energy compare: give at least two report files")
    if labels is None:
        paths = all(isinstance(r, (str, _os.PathLike)) for r in reports)
        labels = [_os.fspath(r) for r in reports] if paths else []
    return Text(_tandem.energy_compare([_report_json(r) for r in reports], list(labels)))
