"""Backend memory before, during and after 500 websocket tabs that hydrate, type and send junk, then close.

Budget: after the sockets close, the worker's resident memory returns to within 20 % of where it
started. Tabs come from 50 addresses (`X-Forwarded-For`, with `REFLEX_TRUSTED_PROXY_HOPS=1`), ten
each, so the per-address limits do not refuse them. The wire format is captured from Chromium
first (contact_load.py). The same run is made twice, side by side: with Python's own small-object
allocator (the default) and with `PYTHONMALLOC=malloc`, whose freed memory glibc can hand back.
Run: .venv/bin/python bench/socket_memory.py [--tabs 500]
"""

import argparse
import asyncio
import importlib.metadata
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


def measure(tabs: int, label: str, extra_env: dict[str, str]) -> dict:
    """One server, one warm-up, `tabs` tabs opened and closed; resident memory at each step."""
    env = {"REFLEX_TRUSTED_PROXY_HOPS": "1", "CONTACT_RATE_LIMIT": "100000", **extra_env}
    with running_app(f"socket_memory_{label}", env) as app:
        capture = capture_browser_submission(app.base_url)
        pids = worker_pids(app.port)
        asyncio.run(cycle(app.base_url, capture, 50))  # warm-up: code paths, caches, the first pool of states
        start_mib, _ = settled_memory(pids, SETTLE_TIMEOUT_S)
        print(f"[{label}] workers {pids}: {start_mib:.0f} MiB after warm-up", flush=True)

        async def hold() -> float:
            tabs_open = await open_tabs(app.base_url, capture, tabs)
            peak = resident_mib(pids)
            await asyncio.gather(*(tab.close() for tab in tabs_open))
            return peak

        started = time.monotonic()
        open_mib = asyncio.run(hold())
        open_s = time.monotonic() - started
        end_mib, settle_s = settled_memory(pids, SETTLE_TIMEOUT_S)
        log = app.log_path.read_text(encoding="utf-8", errors="replace")
    ratio = end_mib / start_mib
    print(f"[{label}] {tabs} tabs open: {open_mib:.0f} MiB; after closing: {end_mib:.0f} MiB within {settle_s:.0f} s; "
          f"{ratio:.2f}x the start (budget {BUDGET:.2f}x)", flush=True)
    return {
        "environment": extra_env,
        "resident_mib": {"start": round(start_mib, 1), "tabs_open": round(open_mib, 1), "after_close": round(end_mib, 1)},
        "seconds": {"open_all_tabs": round(open_s, 1), "settle_after_close": round(settle_s, 1)},
        "after_over_start": round(ratio, 3),
        "within_budget": ratio <= BUDGET,
        "log_lines_about_junk": sum("ignored events from" in line for line in log.splitlines()),
        "tracebacks_in_log": log.count("Traceback"),
        "release_failures_in_log": log.count("could not release"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tabs", type=int, default=500)
    args = parser.parse_args()
    runs = {label: measure(args.tabs, label, env) for label, env in (("pymalloc", {}), ("malloc", {"PYTHONMALLOC": "malloc"}))}
    save_results("socket_memory", {
        "settings": {"tabs": args.tabs, "tabs_per_address": TABS_PER_ADDRESS, "junk_events_per_tab": JUNK_PER_TAB,
                     "budget_after_over_start": BUDGET},
        "runs": runs,
    })


if __name__ == "__main__":
    main()
