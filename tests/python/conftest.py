"""Shared set-up of the Python module's tests (pytest): where the source tree and the `tandem`
command line are (ctest sets TANDEM_SOURCE_DIR and TANDEM_EXECUTABLE, tests/python/CMakeLists.txt;
run by hand they default to this checkout and its build/), and helpers to run the command line."""

import os
import signal
import subprocess
import sys
import time

import pytest

SOURCE = os.environ.get("TANDEM_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
TANDEM = os.environ.get("TANDEM_EXECUTABLE", os.path.join(SOURCE, "build", "app", "tandem"))
DEMO = os.path.join(SOURCE, "examples", "networks", "hybrid_demo.yaml")


def run_cli(*args):
    """Runs `tandem ARGS` and returns its standard output (fails the test on a non-zero exit)."""
    done = subprocess.run([TANDEM, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def interrupt_script(script, *args):
    """Runs a Python `script` (which prints "ready" once its run has begun), sends it SIGINT 1.5 s
    later and returns its standard output after it exits 0 (fails the test otherwise)."""
    process = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True,
                               env=os.environ)
    assert process.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    return output


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def demo():
    return DEMO


@pytest.fixture
def source():
    return SOURCE
