"""Production entry point: migrate once, serve on one port (failed workers respawned), stop within a deadline."""

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))  # the app's modules, as for the children it starts there
from vws_app.server.allocator import server_allocators  # noqa: E402

RESPAWNING_REFLEX = Path(__file__).resolve().parent / "respawning_reflex.py"
DEFAULT_GRACE_S = 10.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h
MAIL_WORKER_RESTART_S = 5.0
MAIL_WORKER_STOP_S = 3.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"), help="address to bind (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")), help="pages and backend port")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ["WEB_CONCURRENCY"]) if os.environ.get("WEB_CONCURRENCY") else None,
        help="backend worker processes (needs REDIS_URL when above 1); default: Reflex's choice",
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=float(os.environ.get("STOP_GRACE_SECONDS", DEFAULT_GRACE_S)),
        help="seconds a stop may take before whatever is left is killed (default 10)",
    )
    parser.add_argument("--skip-migrate", action="store_true", help="do not migrate and seed the database first")
    return parser.parse_args(argv)


def server_environment(workers: int | None) -> dict[str, str]:
    """The environment for Reflex: the venv's node/npm on PATH, npm instead of bun, the worker count,
    the allocators told to hand memory back (`server/allocator.py`; read only as the server starts).

    Raises:
        SystemExit: several workers asked for without REDIS_URL (each would keep its own sessions).
    """
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("REFLEX_USE_NPM", "1")
    server_allocators(env)
    if workers is not None:
        if workers > 1 and not env.get("REDIS_URL"):
            raise SystemExit("serve.py: more than one worker needs REDIS_URL (shared sessions); refusing to start")
        env["GRANIAN_WORKERS"] = str(workers)
    return env


def migrate(env: dict[str, str]) -> int:
    """Bring the database to the newest schema and seed it once, before any worker starts; the exit status.

    Every worker also does this at start; on a new database several workers doing it at
    the same moment race each other's CREATE TABLEs, and the server stops.
    """
    command = [sys.executable, "-m", "vws_app.cli", "migrate"]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=False).returncode


def _die_with_parent() -> None:
    """In the child: get SIGTERM if this wrapper dies, so no server outlives it (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    """`reflex run --env prod` with pages and backend on one port, in its own process group.

    Run through `respawning_reflex.py`, so a worker that dies is replaced while the others serve.
    """
    port = str(args.port)
    command = [
        *(sys.executable, str(RESPAWNING_REFLEX), "run", "--env", "prod"),
        *("--frontend-port", port, "--backend-port", port, "--backend-host", args.host),
    ]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, start_new_session=True, preexec_fn=_die_with_parent)


def keep_mail_worker(worker: subprocess.Popen | None, env: dict[str, str]) -> subprocess.Popen | None:
    """The outbox's sender (`python -m vws_app.cli mail-worker`) beside the site, started again
    (at most every few seconds) if it exited; None when `MAIL_WORKER=0` (compose runs it apart)."""
    if env.get("MAIL_WORKER", "1") == "0" or (worker is not None and worker.poll() is None):
        return worker
    if worker is not None and time.monotonic() - worker.started_at < MAIL_WORKER_RESTART_S:
        return worker
    command = [sys.executable, "-m", "vws_app.cli", "mail-worker"]
    worker = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, preexec_fn=_die_with_parent)
    worker.started_at = time.monotonic()
    return worker


def stop_mail_worker(worker: subprocess.Popen | None, wait: float) -> None:
    """SIGTERM the sender (it finishes the e-mail in hand and gives back the rest); SIGKILL after `wait`.

    A kill mid-send loses nothing: the e-mail's lease runs out and it is sent again, same Message-ID.
    """
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def stop_server(server: subprocess.Popen, grace: float) -> int:
    """SIGTERM the server's process group; after `grace` seconds SIGKILL whatever is left. Its exit status."""
    _signal_group(server, signal.SIGTERM)
    try:
        return server.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        print(f"serve.py: still running after {grace:g} s; killing it", file=sys.stderr, flush=True)
    finally:
        _signal_group(server, signal.SIGKILL)  # workers left behind by an exited supervisor go too
    return server.wait()


def _signal_group(server: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signum)


def main(argv: list[str] | None = None) -> int:
    """Run the site until it exits or this process is told to stop; returns the exit status."""
    args = parse_args(argv)
    env = server_environment(args.workers)
    if not args.skip_migrate and (status := migrate(env)) != 0:
        print(f"serve.py: migrating the database failed (exit {status}); not starting", file=sys.stderr, flush=True)
        return status
    stop_requested: list[int] = []

    def request_stop(signum, _frame) -> None:
        stop_requested.append(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, request_stop)
    server = start_server(args, env)
    mail_worker = None
    while server.poll() is None and not stop_requested:
        mail_worker = keep_mail_worker(mail_worker, env)
        time.sleep(0.1)
    stop_mail_worker(mail_worker, min(args.grace, MAIL_WORKER_STOP_S))
    if server.poll() is not None:
        _signal_group(server, signal.SIGKILL)  # the supervisor died: leave no orphaned worker behind
        return server.returncode or 1
    started = time.monotonic()
    status = stop_server(server, args.grace)
    print(f"serve.py: stopped in {time.monotonic() - started:.1f} s (exit {status})", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
