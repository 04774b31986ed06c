"""Other visitors' page loads while the server is busy: idle, during a sign-in flood, and while the database is locked.

One probe is what a visitor's page load costs the server: `GET /` (the whole body), then a new
websocket that hydrates the home page (until its content is `loaded`), then one event (the
language toggle) answered. Probes run back to back from a few concurrent visitors in each phase:
- idle: nothing else happens;
- flood: `--flood-clients` attackers send sign-in attempts with new e-mail addresses and
  passwords without pause, either as `POST --flood-path` form posts with the app's `Origin`
  (`--flood http`) or as the websocket `sign_in` event of the admin page (`--flood websocket`, for
  a build from before `POST /admin/sign-in`, through `--base-url`);
- locked: the test holds SQLite's write lock (`BEGIN EXCLUSIVE`) while `--waiters` visitors send
  the contact form, so their requests wait in the database (it is held for less than the app's
  15 s busy timeout).
The wire format is captured once from Chromium (connect packets and events), then replayed with
python-socketio's asyncio client. Run: .venv/bin/python bench/event_loop.py [--flood http|websocket]
"""

import argparse
import asyncio
import contextlib
import importlib.metadata
import json
import os
import sqlite3
import time
import uuid

import aiohttp
import socketio
from app_server import CHROMIUM, percentile, running_app, save_results
from playwright.sync_api import sync_playwright

NAMESPACE, SOCKET_PATH = "/_event", "_event"
STEP_TIMEOUT_S = 30
SETTLE_LIMIT_S = 120
CAPTURE_EMAIL, CAPTURE_PASSWORD = "capture@example.org", "capture-password-1"
# Every probe and attacker connects from 127.0.0.1: one address's socket limits (60 open, 120 new a
# minute, 200 events a second) would refuse the probes themselves, so the bench's server lifts them.
BENCH_SOCKET_LIMITS = {
    "SOCKET_MAX_CONNECTIONS": "10000",
    "SOCKET_CONNECTIONS_PER_MINUTE": "1000000",
    "SOCKET_ADDRESS_EVENTS_PER_SECOND": "1000000",
}
HEADERS = {"User-Agent": "Mozilla/5.0 HeadlessChrome", "Accept-Language": "en-US,en;q=0.9"}


def capture_wire(base_url: str, with_sign_in: bool) -> dict:
    """Connect packets of `/`, `/contact` (and `/admin`) and the toggle, submit (and sign-in) events, as Chromium sends them.

    The admin page's websocket `sign_in` exists only in builds from before `POST /admin/sign-in`;
    its page is captured only for `--flood websocket`, which measures such a build.
    """
    captured: dict = {}
    pages = [
        ("/", lambda page: page.click("#language-toggle"), "toggle_language"),
        ("/contact", _send_contact_form, "submit"),
    ]
    if with_sign_in:
        pages.append(("/admin", _try_sign_in, "sign_in"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for path, act, answer in pages:
            sent: list[str] = []
            page = browser.new_page()
            page.on("websocket", lambda socket, sent=sent: socket.on("framesent", lambda frame: sent.append(frame)))
            page.goto(base_url + path)
            page.wait_for_function("() => document.cookie.includes('vws_lang=')")  # hydrated: the backend answered
            act(page)
            deadline = time.monotonic() + STEP_TIMEOUT_S
            while not (events := [e for e in _frames(sent, "42") if e[0] == "event" and e[1]["name"].endswith(answer)]):
                assert time.monotonic() < deadline, f"no {answer} event sent from {path}"
                page.wait_for_timeout(100)
            captured[path] = {"connect": _frames(sent, "40")[0], "event": events[0][1]}
            page.close()
        browser.close()
    return captured


def _frames(sent: list[str], kind: str) -> list:
    prefix = f"{kind}{NAMESPACE},"
    return [
        json.loads(frame.removeprefix(prefix)) for frame in sent if isinstance(frame, str) and frame.startswith(prefix)
    ]


def _send_contact_form(page) -> None:
    page.fill("#contact-name", "Capture Browser")
    page.fill("#contact-email", "capture.browser@example.org")
    page.fill("#contact-message", f"Captured {uuid.uuid4().hex}")
    page.click("#contact-submit")


def _try_sign_in(page) -> None:
    page.fill("#admin-email", CAPTURE_EMAIL)
    page.fill("#admin-password", CAPTURE_PASSWORD)
    page.click("#admin-sign-in")


def _replaced(value, old_to_new: dict[str, str]):
    """`value` (a captured event payload) with every string in `old_to_new` swapped."""
    if isinstance(value, str):
        return old_to_new.get(value, value)
    if isinstance(value, list):
        return [_replaced(item, old_to_new) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, old_to_new) for key, item in value.items()}
    return value


class Socket:
    """One tab's websocket: connects with a captured boot packet and waits for the answers it needs."""

    def __init__(self, base_url: str, connect_auth: dict):
        self.base_url, self.connect_auth = base_url, connect_auth
        self.updates: asyncio.Queue = asyncio.Queue()
        version = importlib.metadata.version("reflex")
        self.sio = socketio.AsyncClient(reconnection=False, websocket_extra_options={"protocols": [version]})
        self.sio.on("event", self.updates.put_nowait, namespace=NAMESPACE)

    async def connect(self) -> None:
        await self.sio.connect(
            f"{self.base_url}?token={uuid.uuid4()}",
            namespaces=[NAMESPACE],
            transports=["websocket"],
            socketio_path=SOCKET_PATH,
            auth=self.connect_auth,
            wait_timeout=STEP_TIMEOUT_S,
            headers={"Origin": self.base_url, **HEADERS},
        )

    async def until(self, var_prefix: str, wanted=None) -> None:
        """Wait for a delta that sets a var named `var_prefix…` (to `wanted`, if given)."""
        while True:
            update = await asyncio.wait_for(self.updates.get(), STEP_TIMEOUT_S)
            for changes in (update.get("delta") or {}).values():
                for name, value in changes.items():
                    if name.startswith(var_prefix) and (wanted is None or value == wanted):
                        return

    async def send(self, event: dict) -> None:
        await self.sio.emit("event", event, namespace=NAMESPACE)

    async def close(self) -> None:
        await self.sio.disconnect()


async def probe(http: aiohttp.ClientSession, base_url: str, wire: dict) -> tuple[float, float]:
    """One visitor's page load (HTTP page + websocket hydration) and one event's round trip, in seconds."""
    started = time.perf_counter()
    async with http.get(base_url + "/", headers=HEADERS) as response:
        await response.read()
        assert response.status == 200, response.status
    socket = Socket(base_url, wire["/"]["connect"])
    try:
        await socket.connect()
        await socket.until("loaded_rx_state_", True)
        loaded = time.perf_counter()
        await socket.send(wire["/"]["event"])
        await socket.until("lang_rx_state_")
        return loaded - started, time.perf_counter() - loaded
    finally:
        await socket.close()


async def probes(base_url: str, wire: dict, visitors: int, seconds: float) -> dict:
    """`visitors` probing back to back for `seconds`; their page-load and event times."""
    loads, events, failures = [], [], []
    stop_at = time.monotonic() + seconds

    async def visitor(http: aiohttp.ClientSession) -> None:
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                load_s, event_s = await asyncio.wait_for(probe(http, base_url, wire), STEP_TIMEOUT_S)
                loads.append(load_s * 1000)
                events.append(event_s * 1000)
            except Exception as error:  # a slow or refused probe is a result, not a crash of the benchmark
                failures.append(repr(error)[:200])
                loads.append((time.perf_counter() - started) * 1000)  # counted as at least this slow

    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(visitor(http) for _ in range(visitors)))
    return {
        "probes": len(loads),
        "failures": failures[:5],
        "failure_count": len(failures),
        "page_load_ms": _summary(loads),
        "event_ms": _summary(events),
    }


def _summary(values: list[float]) -> dict:
    return {
        "p50": round(percentile(values, 0.5), 1),
        "p95": round(percentile(values, 0.95), 1),
        "max": round(max(values), 1) if values else None,
    }


async def while_busy(busy, base_url: str, wire: dict, visitors: int, seconds: float) -> tuple[dict, dict]:
    """Probe while `busy(stop)` runs; `stop` is set when probing ends. (probe results, what `busy` returned)."""
    stop = asyncio.Event()
    task = asyncio.create_task(busy(stop))
    await asyncio.sleep(1)  # let the load reach the server before measuring
    measured = await probes(base_url, wire, visitors, seconds)
    stop.set()
    return measured, await asyncio.wait_for(task, STEP_TIMEOUT_S * 2)


def sign_in_flood(base_url: str, wire: dict, mode: str, path: str, clients: int):
    """Attackers trying new addresses and passwords without pause; counts their answers by kind."""

    async def attacker(stop: asyncio.Event, answers: dict, http: aiohttp.ClientSession) -> None:
        socket = None
        if mode == "websocket":
            socket = Socket(base_url, wire["/admin"]["connect"])
            await socket.connect()
            await socket.until("is_hydrated_rx_state_", True)
        try:
            while not stop.is_set():
                email, password = f"x{uuid.uuid4().hex[:12]}@example.org", uuid.uuid4().hex
                if socket is not None:
                    await socket.send(
                        _replaced(wire["/admin"]["event"], {CAPTURE_EMAIL: email, CAPTURE_PASSWORD: password})
                    )
                    await socket.until("sign_in_error")
                    answers["websocket sign_in answered"] = answers.get("websocket sign_in answered", 0) + 1
                else:
                    async with http.post(
                        base_url + path,
                        data={"email": email, "password": password},
                        headers={"Origin": base_url, **HEADERS},
                        allow_redirects=False,
                    ) as response:
                        await response.read()
                        answers[f"HTTP {response.status}"] = answers.get(f"HTTP {response.status}", 0) + 1
        finally:
            if socket is not None:
                await socket.close()

    async def busy(stop: asyncio.Event) -> dict:
        answers: dict[str, int] = {}
        async with aiohttp.ClientSession() as http:
            await asyncio.gather(*(attacker(stop, answers, http) for _ in range(clients)), return_exceptions=True)
        return answers

    return busy


def locked_database(base_url: str, wire: dict, database: str, waiters: int):
    """SQLite's write lock held by this script while `waiters` contact messages wait for it."""

    async def waiter(number: int) -> str:
        socket = Socket(base_url, wire["/contact"]["connect"])
        await socket.connect()
        await socket.until("is_hydrated_rx_state_", True)
        await socket.send(_replaced(wire["/contact"]["event"], {"Capture Browser": f"Waiting Visitor {number}"}))
        try:
            await socket.until("outcome_rx_state_")
            return "answered"
        except TimeoutError:
            return "no answer"
        finally:
            await socket.close()

    async def busy(stop: asyncio.Event) -> dict:
        holder = sqlite3.connect(database, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        tasks = [asyncio.create_task(waiter(number)) for number in range(waiters)]
        await stop.wait()
        holder.execute("ROLLBACK")  # only now can the waiting messages be stored
        holder.close()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        return {"waiting_contact_messages": waiters, "answered_after_release": sum(o == "answered" for o in outcomes)}

    return busy


async def settle(base_url: str, wire: dict) -> float:
    """Wait until one probe succeeds again (what a phase left queued has drained); the seconds it took."""
    started = time.monotonic()
    async with aiohttp.ClientSession() as http:
        while time.monotonic() - started < SETTLE_LIMIT_S:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(probe(http, base_url, wire), STEP_TIMEOUT_S)
                break
    return round(time.monotonic() - started, 1)


async def run(base_url: str, database: str, wire: dict, args) -> dict:
    phases = {"idle": await probes(base_url, wire, args.visitors, args.seconds)}
    flood = sign_in_flood(base_url, wire, args.flood, args.flood_path, args.flood_clients)
    phases["sign_in_flood"], flood_answers = await while_busy(flood, base_url, wire, args.visitors, args.seconds)
    phases["sign_in_flood"].update(flood_answers=flood_answers, drained_after_s=await settle(base_url, wire))
    locked = locked_database(base_url, wire, database, args.waiters)
    phases["locked_database"], waited = await while_busy(locked, base_url, wire, args.visitors, min(args.seconds, 12))
    phases["locked_database"].update(waited)
    idle = phases["idle"]
    for phase in phases.values():
        phase["page_load_p95_vs_idle"] = round(phase["page_load_ms"]["p95"] / idle["page_load_ms"]["p95"], 2)
        phase["event_p95_vs_idle"] = round(phase["event_ms"]["p95"] / idle["event_ms"]["p95"], 2)
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flood", choices=["http", "websocket"], default="http")
    parser.add_argument("--flood-path", default="/admin/sign-in")
    parser.add_argument("--flood-clients", type=int, default=40)
    parser.add_argument("--visitors", type=int, default=4, help="concurrent probing visitors")
    parser.add_argument("--seconds", type=float, default=12, help="probing time per phase")
    parser.add_argument("--waiters", type=int, default=8, help="contact messages waiting on the lock")
    parser.add_argument("--name", default="event_loop", help="results file name")
    parser.add_argument("--base-url", help="measure this running server instead of building one")
    parser.add_argument(
        "--database",
        help="with --base-url: its SQLite file (started with CONTACT_RATE_LIMIT=100000 "
        "and the SOCKET_* limits of BENCH_SOCKET_LIMITS)",
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.base_url:  # a server already running (for example another revision's build)
            base_url, database = args.base_url, args.database
        else:
            app = stack.enter_context(
                running_app("event_loop", {"CONTACT_RATE_LIMIT": "100000", **BENCH_SOCKET_LIMITS})
            )
            base_url, database = app.base_url, str(app.database_path)
        wire = capture_wire(base_url, with_sign_in=args.flood == "websocket")
        load_before = os.getloadavg()
        phases = asyncio.run(run(base_url, database, wire, args))
    results = {"settings": vars(args), "load_average_before": [round(v, 2) for v in load_before], "phases": phases}
    save_results(args.name, results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
