"""Backend memory before, during and after waves of 500 websocket tabs that hydrate, type and send junk, then close.

Budget: after the sockets close, the worker's resident memory returns to within 20 % of where it
started. Several waves in a row tell a leak (memory grows wave after wave) from a high-water mark
(it grows once, then stays flat). Tabs come from 50 addresses (`X-Forwarded-For`, with
`REFLEX_TRUSTED_PROXY_HOPS=1`), ten each, so the per-address limits do not refuse them. The wire format is captured from Chromium
first (contact_load.py). Two servers are measured, one after the other: with the allocator settings
scripts/serve.py gives the server (`served`, vws_app/server/allocator.py) and with both allocators
at their defaults (`defaults`); `--variant` picks others (VARIANTS). After each wave the worker's
resident memory is also split by kind of mapping (/proc/<pid>/smaps). `--probe` also has the
worker count its live objects by type, pymalloc's blocks and arenas and glibc's heap after the
start and after each wave, and `--trace` lists what a wave allocated that is still alive
(memory_probe/sitecustomize.py; both cost memory of their own).
Run: .venv/bin/python bench/socket_memory.py [--tabs 500] [--waves 5] [--variant served] [--probe [--trace]] [--label x]
"""

import argparse
import asyncio
import importlib.metadata
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import socketio
from app_server import PROJECT_ROOT, running_app, save_results
from contact_load import HYDRATED_VAR, NAMESPACE, SOCKET_PATH, capture_browser_submission

sys.path.insert(0, str(PROJECT_ROOT))
from vws_app.server.allocator import JEMALLOC_ENV, server_allocators  # noqa: E402

TABS_PER_ADDRESS = 10
JUNK_PER_TAB = 20
SETTLE_TIMEOUT_S = 120
SETTLE_AT_LEAST_S = 45  # states are released 5 s after a socket closes; engine.io's ping task holds it 25 s
STEP_TIMEOUT_S = 30
BUDGET = 1.20


def worker_pids(port: int) -> list[int]:
    """Granian's worker processes of the server on `port`: children that run the same command as their parent."""
    commands = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                commands[int(entry.name)] = (
                    (entry / "cmdline").read_bytes(),
                    int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]),
                )
            except (OSError, ValueError, IndexError):
                continue
    needle = f"--backend-port\0{port}".encode()
    return [
        pid for pid, (cmd, parent) in commands.items() if needle in cmd and commands.get(parent, (b"", 0))[0] == cmd
    ]


def resident_mib(pids: list[int]) -> float:
    total_kib = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024


class Tab:
    """One browser tab as the wire sees it: connect with the boot event, wait for hydration, type, send junk."""

    def __init__(self, base_url: str, capture: dict, address: str):
        self.base_url, self.capture, self.address = base_url, capture, address
        self.hydrated = asyncio.Event()
        version = importlib.metadata.version("reflex")
        self.sio = socketio.AsyncClient(reconnection=False, websocket_extra_options={"protocols": [version]})
        self.sio.on("event", self.on_update, namespace=NAMESPACE)

    async def on_update(self, update: dict) -> None:
        if any(changes.get(HYDRATED_VAR) is True for changes in (update.get("delta") or {}).values()):
            self.hydrated.set()

    async def open(self) -> None:
        await self.sio.connect(
            f"{self.base_url}?token={uuid.uuid4()}",
            namespaces=[NAMESPACE],
            transports=["websocket"],
            socketio_path=SOCKET_PATH,
            auth=self.capture["connect_auth"],
            wait_timeout=STEP_TIMEOUT_S,
            headers={"Origin": self.base_url, "X-Forwarded-For": self.address},
        )
        await asyncio.wait_for(self.hydrated.wait(), STEP_TIMEOUT_S)
        contact = self.capture["contact_state"]
        await self.sio.emit(
            "event",
            {
                "name": f"{contact}.set_field",
                "payload": {"field": "message", "value": "x" * 2000},
                "router_data": {"pathname": "/contact"},
            },
            namespace=NAMESPACE,
        )
        for number in range(JUNK_PER_TAB):
            junk = (
                {"name": f"{contact}.no_such_handler_{number}", "payload": {"a": "b" * 500}}
                if number % 2
                else ["junk", number]
            )
            await self.sio.emit("event", junk, namespace=NAMESPACE)

    async def close(self) -> None:
        await self.sio.disconnect()


async def open_tabs(base_url: str, capture: dict, count: int, batch: int = 50) -> list[Tab]:
    tabs = [
        Tab(base_url, capture, f"198.51.{index // TABS_PER_ADDRESS // 250}.{index // TABS_PER_ADDRESS % 250 + 1}")
        for index in range(count)
    ]
    for start in range(0, count, batch):
        await asyncio.gather(*(tab.open() for tab in tabs[start : start + batch]))
    return tabs


async def cycle(base_url: str, capture: dict, count: int) -> None:
    tabs = await open_tabs(base_url, capture, count)
    await asyncio.gather(*(tab.close() for tab in tabs))


def settled_memory(pids: list[int], timeout_s: float) -> tuple[float, float]:
    """Poll until resident memory stops falling (at least SETTLE_AT_LEAST_S, then 5 s without a new low) or `timeout_s`."""
    started = time.monotonic()
    low, low_at = resident_mib(pids), time.monotonic()
    while time.monotonic() - started < timeout_s and (
        time.monotonic() - started < SETTLE_AT_LEAST_S or time.monotonic() - low_at < 5
    ):
        time.sleep(0.5)
        now = resident_mib(pids)
        if now < low - 0.5:
            low, low_at = now, time.monotonic()
    return low, time.monotonic() - started


PROBE_DIR = Path(__file__).resolve().parent / "memory_probe"


def object_counts(directory: Path, pid: int, name: str) -> dict:
    """Ask the worker's probe (memory_probe/sitecustomize.py) for its live objects by type; wait for the answer."""
    (directory / f"ask-{name}").write_text("", encoding="utf-8")
    answer, deadline = directory / f"{pid}-{name}.json", time.monotonic() + STEP_TIMEOUT_S * 4
    while time.monotonic() < deadline:
        if answer.exists():
            try:
                return json.loads(answer.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                pass  # still being written
        time.sleep(0.5)
    raise TimeoutError(f"worker {pid} did not answer the object count {name}")


def grown_types(before: dict, after: dict, top: int = 8) -> dict[str, int]:
    growth = {kind: count - before["by_type"].get(kind, 0) for kind, count in after["by_type"].items()}
    return dict(sorted(((kind, delta) for kind, delta in growth.items() if delta > 0), key=lambda item: -item[1])[:top])


def resident_by_mapping(pid: int) -> dict:
    """The worker's resident memory (MiB) by kind of mapping, from /proc/<pid>/smaps, and its large anonymous regions.

    `[heap]` is glibc's main heap; anonymous mappings hold pymalloc's arenas, glibc's other
    arenas and large blocks, thread stacks, and the server's Rust allocator (jemalloc).
    """
    kinds: dict[str, float] = {"heap": 0.0, "anonymous": 0.0, "files": 0.0, "other": 0.0}
    regions, current = [], None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5 and not fields[0].endswith(":"):
            name = fields[5] if len(fields) > 5 else ""
            start, end = (int(part, 16) for part in fields[0].split("-"))
            kind = (
                "heap"
                if name == "[heap]"
                else "anonymous"
                if not name
                else "files"
                if name.startswith("/")
                else "other"
            )
            current = {
                "kind": kind,
                "start": fields[0].split("-")[0],
                "size_mib": round((end - start) / 2**20, 2),
                "perms": fields[1],
            }
        elif fields and fields[0] == "Rss:" and current is not None:
            current["rss_mib"] = int(fields[1]) / 1024
            kinds[current["kind"]] += current["rss_mib"]
            if current["kind"] == "anonymous" and current["rss_mib"] >= 1:
                regions.append(current)
    return {
        "by_kind": {kind: round(mib, 1) for kind, mib in kinds.items()},
        "anonymous_regions_over_1_mib": [{**region, "rss_mib": round(region["rss_mib"], 1)} for region in regions],
    }


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def measure(
    tabs: int, waves: int, label: str, extra_env: dict[str, str], probe: bool = False, trace: bool = False
) -> dict:
    """One server, one warm-up, then `waves` waves of `tabs` tabs opened and closed; resident memory at each step.

    With `probe`, the worker also counts its live objects by type after the start and after each
    wave (which costs memory of its own: compare those runs' numbers only with each other).
    """
    env = {"REFLEX_TRUSTED_PROXY_HOPS": "1", "CONTACT_RATE_LIMIT": "100000", **extra_env}
    probe_dir = Path(tempfile.mkdtemp(prefix="vws_memory_probe_")) if probe else None
    if probe_dir is not None:
        env |= {"VWS_BENCH_PROBE_DIR": str(probe_dir), "PYTHONPATH": str(PROBE_DIR)}
    load_before = load_average()
    with running_app(f"socket_memory_{label}", env) as app:
        capture = capture_browser_submission(app.base_url)
        pids = worker_pids(app.port)
        asyncio.run(cycle(app.base_url, capture, 50))  # warm-up: code paths, caches, the first pool of states
        start_mib, _ = settled_memory(pids, SETTLE_TIMEOUT_S)
        print(f"[{label}] workers {pids}: {start_mib:.0f} MiB after warm-up (load {load_average()})", flush=True)
        start_counts = object_counts(probe_dir, pids[0], "start") if probe_dir is not None else None
        if trace and probe_dir is not None:
            object_counts(probe_dir, pids[0], "trace-start")  # from here on, tracemalloc sees what the waves allocate
        start_mappings = resident_by_mapping(pids[0])

        async def hold() -> float:
            tabs_open = await open_tabs(app.base_url, capture, tabs)
            peak = resident_mib(pids)
            await asyncio.gather(*(tab.close() for tab in tabs_open))
            return peak

        results = []
        for wave in range(1, waves + 1):
            started = time.monotonic()
            open_mib = asyncio.run(hold())
            open_s = time.monotonic() - started
            end_mib, settle_s = settled_memory(pids, SETTLE_TIMEOUT_S)
            ratio = end_mib / start_mib
            results.append(
                {
                    "wave": wave,
                    "tabs_open_mib": round(open_mib, 1),
                    "after_close_mib": round(end_mib, 1),
                    "after_over_start": round(ratio, 3),
                    "open_all_tabs_s": round(open_s, 1),
                    "settle_after_close_s": round(settle_s, 1),
                    "load_average": load_average(),
                    "resident_by_mapping": resident_by_mapping(pids[0]),
                }
            )
            if start_counts is not None:
                counts = object_counts(probe_dir, pids[0], f"wave{wave}")
                results[-1] |= {
                    "objects": counts["objects"],
                    "objects_at_start": start_counts["objects"],
                    "types_grown_since_start": grown_types(start_counts, counts),
                    "pymalloc_blocks": counts["pymalloc_blocks"],
                    "pymalloc_blocks_at_start": start_counts["pymalloc_blocks"],
                    "malloc_mib": counts["malloc_mib"],
                    "malloc_mib_at_start": start_counts["malloc_mib"],
                    "pymalloc": counts.get("pymalloc"),
                    "pymalloc_at_start": start_counts.get("pymalloc"),
                    "survivors": counts.get("survivors"),
                }
                print(
                    f"[{label}] wave {wave}: {counts['objects']} live objects (start {start_counts['objects']}); "
                    f"pymalloc blocks {counts['pymalloc_blocks']} (start {start_counts['pymalloc_blocks']}); "
                    f"glibc heap {counts['malloc_mib']} (start {start_counts['malloc_mib']}); "
                    f"grown since the start: {results[-1]['types_grown_since_start']}",
                    flush=True,
                )
            print(
                f"[{label}] wave {wave}: {tabs} tabs open: {open_mib:.0f} MiB; after closing: {end_mib:.0f} MiB "
                f"within {settle_s:.0f} s; {ratio:.2f}x the start (budget {BUDGET:.2f}x), load {load_average()}; "
                f"by mapping {results[-1]['resident_by_mapping']['by_kind']} (start {start_mappings['by_kind']})",
                flush=True,
            )
        log = app.log_path.read_text(encoding="utf-8", errors="replace")
    return {
        "environment": extra_env,
        "start_mib": round(start_mib, 1),
        "start_resident_by_mapping": start_mappings,
        "waves": results,
        "first_wave_within_budget": results[0]["after_over_start"] <= BUDGET,
        "load_average": {"before": load_before, "after": load_average()},
        "log_lines_about_junk": sum("ignored events from" in line for line in log.splitlines()),
        "tracebacks_in_log": log.count("Traceback"),
        "release_failures_in_log": log.count("could not release"),
    }


SERVED: dict[str, str] = {}
server_allocators(SERVED)  # what scripts/serve.py puts into the server's environment
VARIANTS = {
    # As scripts/serve.py starts the server: Python's objects from glibc, Granian's jemalloc purging promptly.
    "served": SERVED,
    # Python's own allocator (pymalloc); jemalloc purging promptly (rxconfig.py sets that for `reflex run`).
    "pymalloc": {},
    # Both allocators at their defaults, as before server/allocator.py; the jemalloc variable is read but empty.
    "defaults": {JEMALLOC_ENV: ""},
    "malloc_jemalloc_defaults": {"PYTHONMALLOC": "malloc", JEMALLOC_ENV: ""},
    # jemalloc variants tried: its own background thread alone, and no decay at all.
    "jemalloc_background": {"PYTHONMALLOC": "pymalloc", JEMALLOC_ENV: "background_thread:true"},
    "jemalloc_no_decay": {"PYTHONMALLOC": "pymalloc", JEMALLOC_ENV: "dirty_decay_ms:0,muzzy_decay_ms:0"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tabs", type=int, default=500)
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument(
        "--variant",
        action="append",
        choices=sorted(VARIANTS),
        help="allocator settings to run (repeatable); default: served and defaults",
    )
    parser.add_argument("--probe", action="store_true", help="count the worker's live objects by type after each wave")
    parser.add_argument("--label", default="", help="appended to the results file's name (several runs side by side)")
    parser.add_argument(
        "--trace", action="store_true", help="with --probe: tracemalloc from the start, survivors of each wave by place"
    )
    args = parser.parse_args()
    variants = args.variant or ["served", "defaults"]
    runs = {label: measure(args.tabs, args.waves, label, VARIANTS[label], args.probe, args.trace) for label in variants}
    save_results(
        "socket_memory"
        + ("" if args.variant is None else "_" + "_".join(variants))
        + ("_probe" if args.probe else "")
        + ("_trace" if args.trace else "")
        + (f"_{args.label}" if args.label else ""),
        {
            "settings": {
                "tabs": args.tabs,
                "waves": args.waves,
                "tabs_per_address": TABS_PER_ADDRESS,
                "junk_events_per_tab": JUNK_PER_TAB,
                "budget_after_over_start": BUDGET,
            },
            "runs": runs,
        },
    )


if __name__ == "__main__":
    main()
