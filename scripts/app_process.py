"""The one way the browser tests and the benchmarks start the app: a copy of the project, free ports,
its environment, `reflex run` (dev or prod) or `scripts/serve.py` (several workers, as in production),
waiting until it serves, its log in a file, and stopping its whole process tree.

No pytest here: the benchmarks import it too (through `bench/app_server.py`). Failures are raised as
`AppDidNotStart`, whose message ends with the log's last lines.
"""

import contextlib
import dataclasses
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
APP_FILES = [
    "vws_app",
    "assets",
    "alembic",
    "alembic.ini",
    "rxconfig.py",
    "requirements.txt",
    "reflex.lock",
]
SERVE_SCRIPT = Path("scripts") / "serve.py"
# A first production build; on 2 cores shared with other work it was seen to take over 6 minutes.
SERVING_TIMEOUT_S = 720
STOP_GRACE_S = 10

# Settings added to the server's environment: a mapping, or a function of the pages' base URL
# (for settings naming the server itself, e.g. `SITE_URL`). A value of None removes an inherited one.
Settings = Mapping[str, str | None] | Callable[[str], Mapping[str, str | None]] | None


class AppDidNotStart(RuntimeError):
    """The server exited before serving, or did not answer in time."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_project(target: Path, *, with_node_modules: bool = True, with_scripts: bool = False) -> None:
    """The app's sources into `target` (plus `scripts/` for serve.py), and the developer's
    node_modules when present so npm has little to fetch."""
    names = [*APP_FILES, "scripts"] if with_scripts else APP_FILES
    for name in names:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                target / name,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        elif source.exists():
            shutil.copy2(source, target / name)
    node_modules = PROJECT_ROOT / ".web" / "node_modules"
    if with_node_modules and node_modules.is_dir():
        shutil.copytree(node_modules, target / ".web" / "node_modules", symlinks=True)


def remove_node_modules(root: Path) -> None:
    """Free the 150 MB copy of node_modules once a server is done; its log and database stay."""
    shutil.rmtree(root / ".web" / "node_modules", ignore_errors=True)


def venv_env(extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """This environment with the venv's bin/ (python, reflex, node, npm) first on PATH and npm instead of
    bun, plus `extra` (None values removed)."""
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFLEX_USE_NPM": "1",
    }
    for name, value in (extra or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def answers(url: str, timeout: float = 5) -> bool:
    """True when `url` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def log_tail(log_path: Path, lines: int = 60) -> str:
    """The last lines of a server log, for error messages."""
    if not log_path.exists():
        return "(no log)"
    return "\n".join(log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@dataclasses.dataclass
class AppProcess:
    """One server of the app in a project copy: how it is started, and its process once it is."""

    root: Path
    command: list[str]
    env: dict[str, str]
    port: int  # pages (and, in prod, the backend too)
    backend_port: int
    log_path: Path
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def backend_url(self) -> str:
        return f"http://127.0.0.1:{self.backend_port}"

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout_s: float = SERVING_TIMEOUT_S) -> None:
        """Start it in its own process group, its output appended to `log_path` after a marker line, and
        wait until the pages and the backend's `/ping` answer.

        Raises:
            AppDidNotStart: it exited first, or did not answer within `timeout_s` (it is stopped then).
        """
        with self.log_path.open("a", encoding="utf-8") as log:
            log.write(f"===== start {time.strftime('%H:%M:%S')}: {' '.join(self.command[1:])} =====\n")
            log.flush()
            self.process = subprocess.Popen(
                self.command,
                cwd=self.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AppDidNotStart(
                    f"exited with {self.process.returncode} before serving:\n{log_tail(self.log_path)}"
                )
            if answers(self.backend_url + "/ping") and answers(self.base_url + "/"):
                return
            time.sleep(1)
        self.stop()
        raise AppDidNotStart(f"not serving at {self.base_url} after {timeout_s:g} s:\n{log_tail(self.log_path)}")

    def process_tree(self) -> list[int]:
        """The started process and all its descendants (serve.py puts Reflex in a process group of its own)."""
        return process_tree(self.process.pid) if self.process else []

    def stop(self, grace_s: float = STOP_GRACE_S) -> None:
        """SIGTERM its process group, give it `grace_s`, then SIGKILL every process of its tree that is left."""
        if self.process is not None:
            stop_tree(self.process, grace_s)

    def kill(self) -> None:
        """SIGKILL its whole process tree at once (a crash, as a test wants it, or what `stop` left)."""
        self.stop(grace_s=0)


def stop_tree(process: subprocess.Popen, grace_s: float = STOP_GRACE_S) -> None:
    """SIGTERM the process group of `process` (unless `grace_s` is 0), wait up to `grace_s`, then SIGKILL
    every process of its tree that is left, also those that made a process group of their own."""
    tree = {pid: started_at(pid) for pid in process_tree(process.pid)}
    if grace_s > 0:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace_s)
    tree.update({pid: started_at(pid) for pid in process_tree(process.pid)})
    for pid, started in tree.items():
        # The same start time: never a later process that was given the same pid.
        if started is not None and started_at(pid) == started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=max(grace_s, 5))


def app_process(
    root: Path,
    database_url: str,
    *,
    mode: str = "prod",
    workers: int | None = None,
    stop_grace_s: float | None = None,
    settings: Settings = None,
    port: int | None = None,
    log_name: str = "reflex.log",
    loglevel: str | None = None,
) -> AppProcess:
    """How to run the app copied to `root` (see `copy_project`) on `database_url`, not started yet.

    `workers=None` runs `reflex run --env <mode>`: prod serves pages and backend on one port, dev (what a
    developer runs) pages from Vite on one port and the backend on another. A number of `workers` runs
    `scripts/serve.py` as production does (migrate first, workers respawned, stopped within
    `stop_grace_s`); the copy needs `scripts/` then, and more than one worker needs `REDIS_URL`.
    The backend accepts sockets and forms only from its own pages' origin (`EXTRA_ORIGINS`).
    """
    port = port or free_port()
    backend_port = port if mode == "prod" else free_port()
    base_url = f"http://127.0.0.1:{port}"
    extra = settings(base_url) if callable(settings) else (settings or {})
    env = venv_env({"DATABASE_URL": database_url, "EXTRA_ORIGINS": base_url, **extra})
    if workers is None:
        command = [
            str(VENV_BIN / "reflex"),
            "run",
            "--env",
            mode,
            "--frontend-port",
            str(port),
            "--backend-port",
            str(backend_port),
        ]
        if loglevel:
            command += ["--loglevel", loglevel]
    else:
        if mode != "prod":
            raise ValueError("scripts/serve.py runs the production build only")
        command = [
            str(VENV_BIN / "python"),
            str(root / SERVE_SCRIPT),
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
        if stop_grace_s is not None:
            command += ["--grace", str(stop_grace_s)]
    return AppProcess(root, command, env, port, backend_port, root / log_name)


def process_tree(pid: int) -> list[int]:
    """`pid` and all its living descendants."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(children(current))
    return found


def children(pid: int) -> list[int]:
    """Direct children of `pid` that are not zombies, from /proc (no psutil here)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def started_at(pid: int) -> int | None:
    """When `pid` started (clock ticks since boot), None once it is gone or a zombie: with the pid, its identity."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else int(fields[19])


def is_alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
