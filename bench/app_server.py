"""Build and run the production app from a temporary copy of the project, for the benchmarks.

Every benchmark script starts its own server through `running_app()`, so each runs with one
command and leaves nothing behind: `reflex run --env prod` in its own process group, one port
for pages and backend, its own SQLite file; stopped with SIGTERM, then SIGKILL, at the end.
How the app is copied, started, awaited and stopped is `scripts/app_process.py`, shared with the
browser tests; this module keeps the benchmarks' names for it and adds what only they need.
"""

import contextlib
import dataclasses
import json
import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(PROJECT_ROOT))  # `python bench/x.py` puts only bench/ on the path
from scripts.app_log import error_entries
from scripts.app_process import (
    APP_FILES,
    SERVING_TIMEOUT_S,
    STOP_GRACE_S,
    VENV_BIN,
    AppDidNotStart,
    answers,
    app_process,
    copy_project,
    free_port,
    log_tail,
    venv_env,
)
from scripts.app_process import (
    stop_tree as stop_group,  # (SIGTERM the group, then SIGKILL what is left)
)

RESULTS_DIR = BENCH_DIR / "results"
CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
# A busy shared machine can take longer to copy, compile and start: BENCH_BUILD_TIMEOUT_S raises it.
BUILD_TIMEOUT_S = float(os.environ.get("BENCH_BUILD_TIMEOUT_S", SERVING_TIMEOUT_S))
SEEDED_POST_SLUG = "we-stand-in-solidarity-with-the-democratic-struggle-in-myanmar"

__all__ = [
    "APP_FILES",
    "BENCH_DIR",
    "BUILD_TIMEOUT_S",
    "CHROMIUM",
    "PROJECT_ROOT",
    "RESULTS_DIR",
    "SEEDED_POST_SLUG",
    "STOP_GRACE_S",
    "VENV_BIN",
    "AppDidNotStart",
    "RunningApp",
    "answers",
    "background_process",
    "copy_project",
    "free_port",
    "log_tail",
    "machine",
    "percentile",
    "running_app",
    "save_results",
    "stop_group",
    "venv_env",
    "wait_for",
]


@dataclasses.dataclass(frozen=True)
class RunningApp:
    """A production build that is serving: its address, its database and its files."""

    base_url: str
    port: int
    root: Path
    database_url: str
    database_path: Path
    log_path: Path
    build_seconds: float

    def url(self, path: str) -> str:
        """The absolute address of `path` on this server."""
        return self.base_url + path

    @property
    def static_client_dir(self) -> Path:
        """The compiled frontend of this very build (what a static host would serve)."""
        return self.root / ".web" / "build" / "client"


@contextlib.contextmanager
def _terminate_on_signals() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into SystemExit, so `finally` blocks stop the servers we started."""

    def leave(signum, _frame):
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, leave) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def running_app(name: str, extra_env: dict[str, str] | None = None, keep: bool = False) -> Iterator[RunningApp]:
    """Copy the project to a temp dir, build and start it in prod, yield it, then stop and clean up.

    The app's log is in the yielded `log_path`; the errors it gained while the benchmark ran are
    printed at the end (a number measured beside errors is worth a second look).
    """
    root = Path(tempfile.mkdtemp(prefix=f"vws_bench_{name}_"))
    with _terminate_on_signals():
        server = None
        try:
            copy_project(root)
            database_path = root / "bench.db"
            database_url = f"sqlite:///{database_path}"
            server = app_process(
                root, database_url, loglevel="info", settings={"UPLOAD_DIR": str(root / "uploads"), **(extra_env or {})}
            )
            started = time.monotonic()
            print(f"[{name}] building and starting the production app in {root} on port {server.port} …", flush=True)
            server.start(BUILD_TIMEOUT_S)
            build_seconds = time.monotonic() - started
            print(f"[{name}] serving at {server.base_url} after {build_seconds:.0f} s", flush=True)
            yield RunningApp(
                server.base_url, server.port, root, database_url, database_path, server.log_path, build_seconds
            )
        finally:
            if server is not None:
                server.stop()
                print(f"[{name}] app stopped", flush=True)
                _report_log_errors(name, server.log_path)
            if keep:
                print(f"[{name}] kept {root}", flush=True)
            else:
                shutil.rmtree(root, ignore_errors=True)


def _report_log_errors(name: str, log_path: Path) -> None:
    """Print the errors in the app's log (`scripts/app_log.py`), so they are seen before the log is removed."""
    errors = error_entries(log_path.read_text(encoding="utf-8", errors="replace")) if log_path.exists() else []
    if errors:
        print(f"[{name}] the app logged {len(errors)} error(s):\n" + "\n".join(errors), flush=True)


@contextlib.contextmanager
def background_process(
    command: list[str], *, cwd: Path, log_path: Path, env: dict | None = None
) -> Iterator[subprocess.Popen]:
    """Any helper server (nginx, http.server) in its own process group, stopped the same way."""
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        stop_group(process, grace_s=5)


def wait_for(url: str, timeout_s: float = 20) -> None:
    """Poll `url` until it answers 200."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if answers(url, timeout=2):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout_s} s")


def _app_revision() -> str:
    """The commit the copied sources came from, "+changes" when the app's files differed from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", *APP_FILES],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+changes" if changed else "")


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "app_revision": _app_revision(),
        # Other work on the machine slows every number here; the load average says how busy it was.
        "load_average_1_5_15": [round(value, 2) for value in os.getloadavg()],
    }


def save_results(name: str, results: dict) -> Path:
    """Write `results` (plus the machine) to bench/results/<name>.json and return the path."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(
        json.dumps({"machine": machine(), **results}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"results written to {path}", flush=True)
    return path


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile (nearest rank) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


if __name__ == "__main__":
    # Smoke check: build, start, print the address, stop.
    with running_app("smoke", keep="--keep" in sys.argv) as app:
        print(app)
