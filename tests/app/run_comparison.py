"""What the CLI tests compare between runs that must agree (threads_cli_test.py, mpi_cli_test.py):
every dataset of a trace, and an energy report without what measures the machine."""
import h5py


def without_timing(value):
    """The report minus what measures the machine rather than the run (wall times, threads)."""
    if isinstance(value, dict):
        return {k: without_timing(v) for k, v in value.items() if "wall" not in k and k != "threads"}
    if isinstance(value, list):
        return [without_timing(v) for v in value]
    return value


def datasets(path):
    """Every dataset of a trace, by path, as arrays; and /meta's attributes."""
    found = {}
    with h5py.File(path, "r") as trace:
        trace.visititems(lambda name, item: found.__setitem__(name, item[()]) if isinstance(item, h5py.Dataset) else None)
        meta = dict(trace["meta"].attrs)
    return found, meta
