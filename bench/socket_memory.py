"""Backend memory before, during and after waves of 500 websocket tabs that hydrate, type and send junk, then close.

Budget: after the sockets close, the worker's resident memory returns to within 20 % of where it
started. Several waves in a row tell a leak (memory grows wave after wave) from a high-water mark
(it grows once, then stays flat). Tabs come from 50 addresses (`X-Forwarded-For`, with
`REFLEX_TRUSTED_PROXY_HOPS=1`), ten each, so the per-address limits do not refuse them. The wire format is captured from Chromium
first (contact_load.py). The same run is made twice, side by side: with Python's own small-object
allocator (the default) and with `PYTHONMALLOC=malloc`, whose freed memory glibc can hand back;
`--variant` picks one. `--probe` also has the worker count its live objects by type, pymalloc's
blocks and glibc's heap after the start and after each wave (memory_probe/sitecustomize.py).
Run: .venv/bin/python bench/socket_memory.py [--tabs 500] [--waves 5] [--variant pymalloc] [--probe]
"""

import argparse
import asyncio
import importlib.metadata
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

import socketio

from app_server import running_app, save_results
from contact_load import HYDRATED_VAR, NAMESPACE, SOCKET_PATH, capture_browser_submission

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
                commands[int(entry.name)] = ((entry / "cmdline").read_bytes(), int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]))
            except (OSError, ValueError, IndexError):
                continue
    needle = f"--backend-port\0{port}".encode()
    return [pid for pid, (cmd, parent) in commands.items() if needle in cmd and commands.get(parent, (b"", 0))[0] == cmd]


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
            f"{self.base_url}?token={uuid.uuid4()}", namespaces=[NAMESPACE], transports=["websocket"],
            socketio_path=SOCKET_PATH, auth=self.capture["connect_auth"], wait_timeout=STEP_TIMEOUT_S,
            headers={"Origin": self.base_url, "X-Forwarded-For": self.address},
        )
        await asyncio.wait_for(self.hydrated.wait(), STEP_TIMEOUT_S)
        contact = self.capture["contact_state"]
        await self.sio.emit("event", {"name": f"{contact}.set_field", "payload": {"field": "message", "value": "x" * 2000},
                                      "router_data": {"pathname": "/contact"}}, namespace=NAMESPACE)
        for number in range(JUNK_PER_TAB):
            junk = {"name": f"{contact}.no_such_handler_{number}", "payload": {"a": "b" * 500}} if number % 2 else ["junk", number]
            await self.sio.emit("event", junk, namespace=NAMESPACE)

    async def close(self) -> None:
        await self.sio.disconnect()


async def open_tabs(base_url: str, capture: dict, count: int, batch: int = 50) -> list[Tab]:
    tabs = [Tab(base_url, capture, f"198.51.{index // TABS_PER_ADDRESS // 250}.{index // TABS_PER_ADDRESS % 250 + 1}")
            for index in range(count)]
    for start in range(0, count, batch):
        await asyncio.gather(*(tab.open() for tab in tabs[start:start + batch]))
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


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def measure(tabs: int, waves: int, label: str, extra_env: dict[str, str], probe: bool = False) -> dict:
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
            results.append({"wave": wave, "tabs_open_mib": round(open_mib, 1), "after_close_mib": round(end_mib, 1),
                            "after_over_start": round(ratio, 3), "open_all_tabs_s": round(open_s, 1),
                            "settle_after_close_s": round(settle_s, 1), "load_average": load_average()})
            if start_counts is not None:
                counts = object_counts(probe_dir, pids[0], f"wave{wave}")
                results[-1] |= {"objects": counts["objects"], "objects_at_start": start_counts["objects"],
                                "types_grown_since_start": grown_types(start_counts, counts),
                                "pymalloc_blocks": counts["pymalloc_blocks"], "pymalloc_blocks_at_start": start_counts["pymalloc_blocks"],
                                "malloc_mib": counts["malloc_mib"], "malloc_mib_at_start": start_counts["malloc_mib"]}
                print(f"[{label}] wave {wave}: {counts['objects']} live objects (start {start_counts['objects']}); "
                      f"pymalloc blocks {counts['pymalloc_blocks']} (start {start_counts['pymalloc_blocks']}); "
                      f"glibc heap {counts['malloc_mib']} (start {start_counts['malloc_mib']}); "
                      f"grown since the start: {results[-1]['types_grown_since_start']}", flush=True)
            print(f"[{label}] wave {wave}: {tabs} tabs open: {open_mib:.0f} MiB; after closing: {end_mib:.0f} MiB "
                  f"within {settle_s:.0f} s; {ratio:.2f}x the start (budget {BUDGET:.2f}x), load {load_average()}", flush=True)
        log = app.log_path.read_text(encoding="utf-8", errors="replace")
    return {
        "environment": extra_env,
        "start_mib": round(start_mib, 1),
        "waves": results,
        "first_wave_within_budget": results[0]["after_over_start"] <= BUDGET,
        "load_average": {"before": load_before, "after": load_average()},
        "log_lines_about_junk": sum("ignored events from" in line for line in log.splitlines()),
        "tracebacks_in_log": log.count("Traceback"),
        "release_failures_in_log": log.count("could not release"),
    }


VARIANTS = {"pymalloc": {}, "malloc": {"PYTHONMALLOC": "malloc"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tabs", type=int, default=500)
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS),
                        help="allocator or start-up setting to run (repeatable); default: pymalloc and malloc")
    parser.add_argument("--probe", action="store_true", help="count the worker's live objects by type after each wave")
    args = parser.parse_args()
    variants = args.variant or ["pymalloc", "malloc"]
    runs = {label: measure(args.tabs, args.waves, label, VARIANTS[label], args.probe) for label in variants}
    save_results("socket_memory" + ("" if args.variant is None else "_" + "_".join(variants)) + ("_probe" if args.probe else ""), {
        "settings": {"tabs": args.tabs, "waves": args.waves, "tabs_per_address": TABS_PER_ADDRESS,
                     "junk_events_per_tab": JUNK_PER_TAB, "budget_after_over_start": BUDGET},
        "runs": runs,
    })


if __name__ == "__main__":
    main()
