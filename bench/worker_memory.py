"""Resident memory of each production worker, idle and after load: `scripts/serve.py` with N workers
(as production runs it: Redis, the allocators' settings), started from a copy of one or more project
folders side by side, then for each in turn its processes' memory, wrk on `/`, a post and `/` through
the whole app (a query parameter the page memory does not keep), and its processes' memory again.

Run: .venv/bin/python bench/worker_memory.py [--workers 2] [--duration 10] [--source DIR ...]

`--source` names project folders whose app files are measured (default: this one), e.g. a second git
worktree of `main` beside this one, so before and after come from the same run; node_modules comes from
this project. Memory per process from /proc: VmRSS (what `ps` shows), and from smaps_rollup the
proportional share (Pss: shared pages divided among the processes sharing them) and the private pages
(what the process alone holds: what one more worker costs). Needs wrk and Redis (`--redis`).
"""

import argparse
import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/x.py` puts only bench/ on the path
from app_server import BUILD_TIMEOUT_S, PROJECT_ROOT, SEEDED_POST_SLUG, machine, save_results
from throughput import wrk

from scripts.app_process import APP_FILES, app_process, children, free_port

LOADS = {
    "/": "/",
    "post": f"/posts/{SEEDED_POST_SLUG}",
    "/ whole app": "/?utm_source=bench",
}
SETTLE_S = 3  # after the load, before reading memory: in-flight work and the allocators' purge finish
WORKERS_UP_S = 60


def _kib(value: str) -> float:
    return int(value.split()[0]) / 1024


def memory(pid: int) -> dict:
    """One process's memory in MiB: RSS, its anonymous part, Pss and private pages; {} once it is gone."""
    try:
        status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
        rollup = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
    except (OSError, ValueError):
        return {}
    return {
        "rss": round(_kib(status["VmRSS"]), 1),
        "anon": round(_kib(status["RssAnon"]), 1),
        "pss": round(_kib(rollup["Pss"]), 1),
        "private": round(_kib(rollup["Private_Clean"]) + _kib(rollup["Private_Dirty"]), 1),
    }


def _cmdline(pid: int) -> bytes:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    return b""


def roles(serve_pid: int) -> dict[str, list[int]]:
    """serve.py's processes by role: Reflex's supervisor (Granian's main process), its workers
    (its children running the same command) and the outbox's sender."""
    found: dict[str, list[int]] = {"supervisor": [], "workers": [], "mail worker": []}
    for child in children(serve_pid):
        if b"mail-worker" in _cmdline(child):
            found["mail worker"].append(child)
            continue
        found["supervisor"].append(child)
        found["workers"] += [pid for pid in children(child) if _cmdline(pid) == _cmdline(child)]
    return found


def snapshot(serve_pid: int) -> dict:
    """Memory of every role's processes, workers listed one by one."""
    return {role: [{"pid": pid, **memory(pid)} for pid in sorted(pids)] for role, pids in roles(serve_pid).items()}


def show(label: str, taken: dict) -> None:
    print(f"  {label}:", flush=True)
    for role, processes in taken.items():
        for process in processes:
            numbers = ", ".join(f"{key} {value:.1f}" for key, value in process.items() if key != "pid")
            print(f"    {role:<12} {process['pid']:>7}: {numbers} MiB", flush=True)


def copy_source(source: Path, target: Path) -> None:
    """The app files and `scripts/` of `source` into `target`, node_modules from this project."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in [*APP_FILES, "scripts"]:
        origin = source / name
        if origin.is_dir():
            shutil.copytree(origin, target / name, ignore=ignore)
        elif origin.exists():
            shutil.copy2(origin, target / name)
    shutil.copytree(PROJECT_ROOT / ".web" / "node_modules", target / ".web" / "node_modules", symlinks=True)


def revision(source: Path) -> str:
    """The commit `source` is at ("+changes" when its app files differ from it)."""
    run = {"cwd": source, "capture_output": True, "text": True, "timeout": 10, "check": False}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], **run).stdout.strip()
    changed = subprocess.run(["git", "status", "--porcelain", "--", *APP_FILES, "scripts"], **run).stdout.strip()
    return (commit or "unknown") + ("+changes" if changed else "")


def wait_for_workers(serve_pid: int, workers: int) -> None:
    deadline = time.monotonic() + WORKERS_UP_S
    while len(roles(serve_pid)["workers"]) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"fewer than {workers} workers up after {WORKERS_UP_S} s")
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="Granian workers per server (default 2)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per path (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6", help="Redis for the sessions")
    parser.add_argument("--source", type=Path, action="append", help="project folder to measure (repeatable)")
    parser.add_argument("--hold", type=float, default=0, help="seconds to keep the servers up after measuring")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies (logs) afterwards")
    args = parser.parse_args()
    sources = [path.resolve() for path in (args.source or [Path(__file__).resolve().parent.parent])]

    servers, results = [], []
    try:
        for source in sources:
            root = Path(tempfile.mkdtemp(prefix="vws_bench_memory_"))
            copy_source(source, root)
            settings = {"REDIS_URL": args.redis, "UPLOAD_DIR": str(root / "uploads"), "CONTACT_RATE_LIMIT": None}
            server = app_process(
                root, f"sqlite:///{root / 'bench.db'}", workers=args.workers, settings=settings, port=free_port()
            )
            servers.append((source, root, server))
        # Built side by side (the slow part), measured one after the other.
        for source, root, server in servers:
            print(f"[{source}] building and starting in {root} on port {server.port} …", flush=True)
        with ThreadPoolExecutor(len(servers)) as pool:
            list(pool.map(lambda server: server.start(BUILD_TIMEOUT_S), [server for _, _, server in servers]))
        for _source, _root, server in servers:
            wait_for_workers(server.process.pid, args.workers)
        for source, _root, server in servers:
            print(f"[{source}] at {revision(source)}, {args.workers} workers:", flush=True)
            time.sleep(SETTLE_S)
            idle = snapshot(server.process.pid)
            show("idle", idle)
            loads = {}
            for label, path in LOADS.items():
                loads[label] = wrk(server.base_url + path, args.duration, args.connections)
                print(f"  wrk {label}: {loads[label]}", flush=True)
            time.sleep(SETTLE_S)
            loaded = snapshot(server.process.pid)
            show("after load", loaded)
            results.append(
                {"source": str(source), "revision": revision(source), "idle": idle, "after_load": loaded, "wrk": loads}
            )
        if args.hold:
            print(f"holding the servers for {args.hold:g} s", flush=True)
            time.sleep(args.hold)
    finally:
        for _source, root, server in servers:
            server.stop()
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
    print(f"load average (1, 5, 15 min): {machine()['load_average_1_5_15']}", flush=True)
    for result in results:
        workers = result["after_load"]["workers"]
        per_worker = " / ".join(f"{worker['rss']:.0f}" for worker in workers)
        private = " / ".join(f"{worker['private']:.0f}" for worker in workers)
        print(f"{result['revision']}: RSS per worker after load {per_worker} MiB (private {private})", flush=True)
    save_results("worker_memory", {"workers": args.workers, "duration_s": args.duration, "runs": results})


if __name__ == "__main__":
    sys.exit(main())
