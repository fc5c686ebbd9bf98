"""Shared set-up of the Python module's tests (pytest): where the source tree and the `tandem`
command line are (ctest sets TANDEM_SOURCE_DIR and TANDEM_EXECUTABLE, tests/python/CMakeLists.txt;
run by hand they default to this checkout and its build/), and helpers to run the command line."""

import os
import subprocess

import pytest

SOURCE = os.environ.get("TANDEM_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
TANDEM = os.environ.get("TANDEM_EXECUTABLE", os.path.join(SOURCE, "build", "app", "tandem"))
DEMO = os.path.join(SOURCE, "examples", "networks", "hybrid_demo.yaml")


def run_cli(*args):
    """Runs `tandem ARGS` and returns its standard output (fails the test on a non-zero exit)."""
    done = subprocess.run([TANDEM, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def demo():
    return DEMO


@pytest.fixture
def source():
    return SOURCE
