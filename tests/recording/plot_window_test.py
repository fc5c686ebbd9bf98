#!/usr/bin/env python3
"""CTest: plot_trace.py's time window (--from-ms/--to-ms) and episode selection (--episode N): the
episode's span comes from /env/<name>/episode, an unknown episode or an empty window is a clear
error. usage: plot_window_test.py PLOT_SCRIPT WORK_DIR"""
import importlib.util
import os
import subprocess
import sys

import h5py
import numpy as np

script, work = sys.argv[1:3]
os.makedirs(work, exist_ok=True)
trace_path = os.path.join(work, "episodes.h5")
with h5py.File(trace_path, "w") as f:
    f.create_group("meta").attrs["dt_ms"] = 1.0
    f["snn/pop/spikes/tick"] = np.array([1, 12, 35, 47, 55], dtype=np.int64)
    f["snn/pop/spikes/index"] = np.array([0, 1, 2, 0, 1], dtype=np.uint32)
    episode = f.create_dataset("env/loop/episode", data=np.array([0, 0, 0, 1, 1, 2], dtype=np.int64))
    episode.attrs["step_ms"] = 10.0
    theta = f.create_dataset("env/loop/theta", data=np.linspace(-0.1, 0.1, 6))
    theta.attrs["step_ms"] = 10.0

spec = importlib.util.spec_from_file_location("plot_trace", script)
plot_trace = importlib.util.module_from_spec(spec)
spec.loader.exec_module(plot_trace)
with h5py.File(trace_path, "r") as trace:
    assert plot_trace.episode_window_ms(trace, 1) == (30.0, 50.0), plot_trace.episode_window_ms(trace, 1)
    assert plot_trace.episode_window_ms(trace, 0) == (0.0, 30.0)


def run(*args):
    return subprocess.run([sys.executable, script, trace_path, "-o", os.path.join(work, "w.png"), *args],
                          capture_output=True, text=True)


for args in (["--episode", "1"], ["--from-ms", "10", "--to-ms", "40"], ["--from-ms", "20"]):
    done = run(*args)
    assert done.returncode == 0 and "wrote" in done.stdout, (args, done.stdout, done.stderr)
done = run("--episode", "7")
assert done.returncode != 0 and "no episode 7 (episodes 0 ... 2)" in done.stderr, done.stderr
done = run("--from-ms", "40", "--to-ms", "10")
assert done.returncode == 2 and "--to-ms must be after --from-ms" in done.stderr, done.stderr
done = run("--episode", "1", "--from-ms", "5")
assert done.returncode == 2 and "not both" in done.stderr, done.stderr
print("plot_window_test: ok")
