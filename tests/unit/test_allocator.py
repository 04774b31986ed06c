"""The server's allocators are told to hand freed memory back: Granian's jemalloc gets its setting before it loads, Python's
allocator is set for the server serve.py starts, and an operator's own settings win."""

import importlib.util
import os
import subprocess
import sys

import pytest

from vws_app.server.allocator import JEMALLOC_ENV, PROMPT_JEMALLOC, PYTHON_ALLOCATOR, PYTHON_ALLOCATOR_ENV
from vws_app.settings import PROJECT_ROOT

# Runs the project's rxconfig.py as `reflex run` does, then loads Granian and reports whether
# jemalloc started its purging thread (it does so only when the setting reached it).
PROBE = """
import runpy, sys, time
from pathlib import Path
runpy.run_path("rxconfig.py")
import granian._granian
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    names = {(task / "comm").read_text().strip() for task in Path("/proc/self/task").iterdir()}
    if "jemalloc_bg_thd" in names:
        break
    time.sleep(0.05)
print("purging thread" if "jemalloc_bg_thd" in names else "no purging thread")
"""


def run_probe(environment: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def clean_environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != JEMALLOC_ENV}


def test_rxconfig_sets_the_prompt_purge_before_granian_loads(clean_environment):
    assert run_probe(clean_environment) == "purging thread"


def test_an_operators_own_setting_is_kept(clean_environment):
    assert run_probe(clean_environment | {JEMALLOC_ENV: ""}) == "no purging thread"


@pytest.fixture
def serve(monkeypatch):
    """scripts/serve.py as a module, in an environment without either setting."""
    monkeypatch.delenv(JEMALLOC_ENV, raising=False)
    monkeypatch.delenv(PYTHON_ALLOCATOR_ENV, raising=False)
    spec = importlib.util.spec_from_file_location("serve_script", PROJECT_ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_serve_passes_both_settings_to_the_server_it_starts(serve, monkeypatch):
    environment = serve.server_environment(None)
    assert (environment[JEMALLOC_ENV], environment[PYTHON_ALLOCATOR_ENV]) == (PROMPT_JEMALLOC, PYTHON_ALLOCATOR)
    monkeypatch.setenv(JEMALLOC_ENV, "dirty_decay_ms:5000")
    monkeypatch.setenv(PYTHON_ALLOCATOR_ENV, "pymalloc")
    environment = serve.server_environment(None)
    assert (environment[JEMALLOC_ENV], environment[PYTHON_ALLOCATOR_ENV]) == ("dirty_decay_ms:5000", "pymalloc")


def test_the_server_serve_py_starts_runs_on_that_allocator(serve):
    """A process started with serve.py's environment allocates Python's objects with malloc (no pymalloc blocks)."""
    result = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.getallocatedblocks())"],
        env=serve.server_environment(None),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "0"
