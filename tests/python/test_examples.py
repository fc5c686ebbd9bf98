"""Every script in examples/python runs as it is (no arguments, from an empty folder), as a new
user would run it, and says what it should."""

import glob
import os
import subprocess
import sys

import pytest

from conftest import SOURCE

SCRIPTS = sorted(glob.glob(os.path.join(SOURCE, "examples", "python", "*.py")))
EXPECTED = {
    "cartpole.py": "balanced 100/100 episodes (pushes on",
    "quickstart.py": "plots:",
    "build_network.py": "the same as the file's: True",
}


def test_every_example_is_listed():
    assert sorted(os.path.basename(s) for s in SCRIPTS) == sorted(EXPECTED)


@pytest.mark.parametrize("script", SCRIPTS, ids=os.path.basename)
def test_example_runs_as_it_is(script, tmp_path):
    done = subprocess.run([sys.executable, script], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, MPLBACKEND="Agg"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert EXPECTED[os.path.basename(script)] in done.stdout, done.stdout
    if os.path.basename(script) == "quickstart.py":
        for plot in ("raster.png", "energy.png"):
            assert os.path.getsize(tmp_path / "out" / "quickstart" / plot) > 10_000
