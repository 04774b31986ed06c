"""Build and run the production app from a temporary copy of the project, for the benchmarks.

Every benchmark script starts its own server through `running_app()`, so each runs with one
command and leaves nothing behind: `reflex run --env prod` in its own process group, one port
for pages and backend, its own SQLite file; stopped with SIGTERM, then SIGKILL, at the end.
"""

import contextlib
import dataclasses
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
RESULTS_DIR = BENCH_DIR / "results"
APP_FILES = ["vws_app", "assets", "alembic", "alembic.ini", "rxconfig.py", "requirements.txt", "reflex.lock"]
CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
# A busy shared machine can take longer to copy, compile and start: BENCH_BUILD_TIMEOUT_S raises it.
BUILD_TIMEOUT_S = int(os.environ.get("BENCH_BUILD_TIMEOUT_S", "420"))
STOP_GRACE_S = 10
SEEDED_POST_SLUG = "we-stand-in-solidarity-with-the-democratic-struggle-in-myanmar"


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


def venv_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment with the venv's bin/ (python, reflex, node, npm) first on PATH."""
    return {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFLEX_USE_NPM": "1",
        **(extra or {}),
    }


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_project(target: Path, *, with_node_modules: bool = True) -> None:
    """The app's sources into `target`, plus the developer's node_modules (npm then fetches little)."""
    for name in APP_FILES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, target / name)
    node_modules = PROJECT_ROOT / ".web" / "node_modules"
    if with_node_modules and node_modules.is_dir():
        shutil.copytree(node_modules, target / ".web" / "node_modules", symlinks=True)


def answers(url: str, timeout: float = 5) -> bool:
    """True when `url` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def log_tail(log_path: Path, lines: int = 40) -> str:
    """The last lines of a server log, for error messages."""
    if not log_path.exists():
        return "(no log)"
    return "\n".join(log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def stop_group(process: subprocess.Popen, grace_s: float = STOP_GRACE_S) -> None:
    """SIGTERM the process group, wait `grace_s`, then SIGKILL whatever is left of it."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace_s)


def _wait_until_serving(process: subprocess.Popen, base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + BUILD_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"reflex exited with {process.returncode} before serving:\n{log_tail(log_path)}")
        if answers(base_url + "/ping") and answers(base_url + "/"):
            return
        time.sleep(1)
    raise RuntimeError(f"app not serving at {base_url} after {BUILD_TIMEOUT_S} s:\n{log_tail(log_path)}")


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
    """Copy the project to a temp dir, build and start it in prod, yield it, then stop and clean up."""
    root = Path(tempfile.mkdtemp(prefix=f"vws_bench_{name}_"))
    with _terminate_on_signals():
        process = None
        try:
            copy_project(root)
            port = free_port()
            database_path = root / "bench.db"
            database_url = f"sqlite:///{database_path}"
            log_path = root / "reflex.log"
            base_url = f"http://127.0.0.1:{port}"
            # The pages' own origin: the backend accepts sockets and forms only from it.
            env = venv_env({"DATABASE_URL": database_url, "UPLOAD_DIR": str(root / "uploads"), "EXTRA_ORIGINS": base_url,
                            **(extra_env or {})})
            command = [
                str(VENV_BIN / "reflex"), "run", "--env", "prod", "--loglevel", "info",
                "--frontend-port", str(port), "--backend-port", str(port),
            ]
            started = time.monotonic()
            print(f"[{name}] building and starting the production app in {root} on port {port} …", flush=True)
            with log_path.open("w", encoding="utf-8") as log:
                process = subprocess.Popen(
                    command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, start_new_session=True,
                )
            _wait_until_serving(process, base_url, log_path)
            build_seconds = time.monotonic() - started
            print(f"[{name}] serving at {base_url} after {build_seconds:.0f} s", flush=True)
            yield RunningApp(base_url, port, root, database_url, database_path, log_path, build_seconds)
        finally:
            if process is not None:
                stop_group(process)
                print(f"[{name}] app stopped", flush=True)
            if keep:
                print(f"[{name}] kept {root}", flush=True)
            else:
                shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def background_process(command: list[str], *, cwd: Path, log_path: Path, env: dict | None = None) -> Iterator[subprocess.Popen]:
    """Any helper server (nginx, http.server) in its own process group, stopped the same way."""
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
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
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--", *APP_FILES], cwd=PROJECT_ROOT,
                                 capture_output=True, text=True, timeout=10, check=True).stdout.strip()
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
    path.write_text(json.dumps({"machine": machine(), **results}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
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
