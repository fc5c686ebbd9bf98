#!/usr/bin/env python3
"""CTest: plot_trace.py renders a PNG from a recorded trace, and the image is non-trivial.
usage: plot_trace_test.py PLOT_SCRIPT TRACE OUTPUT_PNG"""
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402

script, trace, output = sys.argv[1:4]
if os.path.exists(output):
    os.remove(output)
result = subprocess.run([sys.executable, script, trace, "-o", output, "--state", "pop/v"],
                        capture_output=True, text=True)
print(result.stdout, result.stderr)
assert result.returncode == 0, "plot_trace.py failed"
# Spikes, one state trace, two energy series (float only: spikes_pj) and one env signal.
assert "(4 panels)" in result.stdout, result.stdout
image = mpimg.imread(output)
assert image.shape[0] > 300 and image.shape[1] > 300, image.shape
# Not a blank canvas: many distinct colours (lines, markers, text).
pixels = image.reshape(-1, image.shape[2])
assert len({tuple(p) for p in pixels[::7]}) > 20
# A missing trace file is a clear error, exit 2.
bad = subprocess.run([sys.executable, script, trace + ".missing"], capture_output=True, text=True)
assert bad.returncode == 2 and "cannot open" in bad.stderr, bad.stderr
print("plot_trace_test: ok")
