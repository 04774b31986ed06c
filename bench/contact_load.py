"""50 concurrent websocket clients send 1,000 distinct contact messages through Reflex's socket.io
protocol, as the browser does; round-trip times, and a check that exactly 1,000 rows were stored.

The wire format is not hard-coded: one real submission of the form in Chromium is captured first
(Playwright's websocket frame events) and its connect packet and submit event are replayed with
new values. Run: .venv/bin/python bench/contact_load.py [--clients 50] [--messages 1000]
"""

import argparse
import asyncio
import importlib.metadata
import json
import re
import sqlite3
import statistics
import time
import uuid
from pathlib import Path

import socketio
from app_server import CHROMIUM, percentile, running_app, save_results
from playwright.sync_api import sync_playwright

NAMESPACE = "/_event"
SOCKET_PATH = "_event"
OUTCOME_VAR = "outcome_rx_state_"
HYDRATED_VAR = "is_hydrated_rx_state_"
STEP_TIMEOUT_S = 30
LOAD_TIMEOUT_S = 300
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome Safari/537.36"


def _wait_for_frame(page, frames: list[str], pattern: str, start: int = 0, timeout_s: float = 30) -> None:
    """Let the page run until a websocket frame received after `start` matches `pattern`."""
    deadline = time.monotonic() + timeout_s
    needle = re.compile(pattern)
    while not any(needle.search(frame) for frame in frames[start:]):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no websocket frame with {needle!r} within {timeout_s} s")
        page.wait_for_timeout(100)


def capture_browser_submission(base_url: str) -> dict:
    """Submit the contact form once in Chromium and keep the frames that matter for replaying it."""
    sent: list[str] = []
    received: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()

        def watch(socket) -> None:
            socket.on(
                "framesent", lambda payload: sent.append(payload if isinstance(payload, str) else payload.decode())
            )
            socket.on(
                "framereceived",
                lambda payload: received.append(payload if isinstance(payload, str) else payload.decode()),
            )

        page.on("websocket", watch)
        page.goto(base_url + "/contact")
        # The page's CSP forbids eval, so wait on the frames themselves, not with wait_for_function.
        _wait_for_frame(page, received, f'"{HYDRATED_VAR}":true')
        before_submit = len(received)
        page.fill("#contact-name", "Capture Browser")
        page.fill("#contact-email", "capture@example.org")
        page.fill("#contact-message", f"Captured browser submission {uuid.uuid4().hex}")
        page.click("#contact-submit")
        _wait_for_frame(page, received, f'"{OUTCOME_VAR}":"[^"]', start=before_submit)
        browser.close()
    connect = next(frame for frame in sent if frame.startswith(f"40{NAMESPACE},"))
    events = [json.loads(frame.split(",", 1)[1]) for frame in sent if frame.startswith(f"42{NAMESPACE},")]
    submit = next(body[1] for body in events if body[0] == "event" and body[1]["name"].endswith(".submit"))
    updates = [json.loads(frame.split(",", 1)[1])[1] for frame in received if frame.startswith(f"42{NAMESPACE},")]
    contact_state = submit["name"].rsplit(".", 1)[0]
    outcomes = [
        u["delta"][contact_state][OUTCOME_VAR]
        for u in updates
        if OUTCOME_VAR in u.get("delta", {}).get(contact_state, {})
    ]
    return {
        "connect_auth": json.loads(connect.split(",", 1)[1]),
        "submit": submit,
        "contact_state": contact_state,
        "browser_outcome": outcomes[-1] if outcomes else None,
        "frames_sent": len(sent),
    }


def form_event(template: dict, values: dict[str, str]) -> dict:
    """The captured submit event with the form's fields replaced by `values`."""
    entries = template["payload"]["form_data"]["__reflex_form_data__"]
    replaced = [
        [key, values.get(key.removeprefix("contact_"), value) if isinstance(value, str) else value]
        for key, value in entries
    ]
    return {**template, "payload": {"form_data": {"__reflex_form_data__": replaced}}}


class LoadClient:
    """One browser tab: its own token and websocket, sending messages one after another."""

    def __init__(self, index: int, capture: dict, base_url: str, run_id: str):
        self.index = index
        self.capture = capture
        self.base_url = base_url
        self.run_id = run_id
        self.rtts: list[float] = []
        self.outcomes: dict[str, int] = {}
        self.sent: list[str] = []
        self.connect_s = 0.0
        self._hydrated = asyncio.Event()
        self._pending: asyncio.Future | None = None
        version = importlib.metadata.version("reflex")
        self.sio = socketio.AsyncClient(reconnection=False, websocket_extra_options={"protocols": [version]})
        self.sio.on("event", self._on_update, namespace=NAMESPACE)

    async def _on_update(self, update: dict) -> None:
        for state_name, changes in (update.get("delta") or {}).items():
            if changes.get(HYDRATED_VAR) is True:
                self._hydrated.set()
            if (
                state_name == self.capture["contact_state"]
                and changes.get(OUTCOME_VAR)
                and self._pending is not None
                and not self._pending.done()
            ):
                self._pending.set_result(changes[OUTCOME_VAR])

    async def run(self, count: int) -> None:
        started = time.perf_counter()
        await self.sio.connect(
            f"{self.base_url}?token={uuid.uuid4()}",
            namespaces=[NAMESPACE],
            transports=["websocket"],
            socketio_path=SOCKET_PATH,
            auth=self.capture["connect_auth"],
            wait_timeout=STEP_TIMEOUT_S,
            headers={"Origin": self.base_url, "User-Agent": USER_AGENT, "Accept-Language": "en-US,en;q=0.9"},
        )
        try:
            await asyncio.wait_for(self._hydrated.wait(), STEP_TIMEOUT_S)
            self.connect_s = time.perf_counter() - started
            for number in range(count):
                message = f"Bench {self.run_id}: client {self.index} message {number}. ¡Solidaridad! ✊ {uuid.uuid4().hex[:8]}"
                values = {
                    "name": f"Bench Sender {self.index}",
                    "email": f"sender{self.index}.{number}@example.org",
                    "message": message,
                    "phone": "",
                }
                self._pending = asyncio.get_running_loop().create_future()
                sent_at = time.perf_counter()
                await self.sio.emit("event", form_event(self.capture["submit"], values), namespace=NAMESPACE)
                outcome = await asyncio.wait_for(self._pending, STEP_TIMEOUT_S)
                self.rtts.append(time.perf_counter() - sent_at)
                self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
                self.sent.append(message)
        finally:
            await self.sio.disconnect()


async def run_load(
    capture: dict, base_url: str, clients: int, messages: int, run_id: str
) -> tuple[list[LoadClient], float, list[str]]:
    """All clients at once, each sending its share of the messages; bounded by LOAD_TIMEOUT_S."""
    share = [messages // clients + (1 if i < messages % clients else 0) for i in range(clients)]
    load = [LoadClient(i, capture, base_url, run_id) for i in range(clients)]
    started = time.perf_counter()
    outcomes = await asyncio.wait_for(
        asyncio.gather(*(client.run(n) for client, n in zip(load, share, strict=True)), return_exceptions=True),
        LOAD_TIMEOUT_S,
    )
    errors = [repr(outcome) for outcome in outcomes if isinstance(outcome, BaseException)]
    return load, time.perf_counter() - started, errors


def stored_rows(database: Path, run_id: str) -> dict:
    """What the database holds after the run: all rows, this run's rows, and distinct messages."""
    with sqlite3.connect(database) as connection:
        total = connection.execute("SELECT count(*) FROM contactmessage").fetchone()[0]
        ours = connection.execute(
            "SELECT count(*), count(DISTINCT message), count(DISTINCT submission_key) FROM contactmessage WHERE message LIKE ?",
            (f"Bench {run_id}:%",),
        ).fetchone()
        messages = {
            row[0]
            for row in connection.execute(
                "SELECT message FROM contactmessage WHERE message LIKE ?", (f"Bench {run_id}:%",)
            )
        }
    return {
        "total_rows": total,
        "run_rows": ours[0],
        "run_distinct_messages": ours[1],
        "run_distinct_keys": ours[2],
        "messages": messages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    run_id = uuid.uuid4().hex[:10]
    with running_app("contact_load", {"CONTACT_RATE_LIMIT": "100000"}) as app:
        capture = capture_browser_submission(app.base_url)
        print(
            f"captured the browser's submit ({capture['submit']['name']}), outcome {capture['browser_outcome']!r}",
            flush=True,
        )
        rows_before = stored_rows(app.database_path, run_id)["total_rows"]
        load, wall_s, errors = asyncio.run(run_load(capture, app.base_url, args.clients, args.messages, run_id))
        rows = stored_rows(app.database_path, run_id)
    rtts_ms = [rtt * 1000 for client in load for rtt in client.rtts]
    connects_ms = [client.connect_s * 1000 for client in load if client.connect_s]
    outcomes: dict[str, int] = {}
    for client in load:
        for outcome, count in client.outcomes.items():
            outcomes[outcome] = outcomes.get(outcome, 0) + count
    sent = {message for client in load for message in client.sent}
    check = {
        "rows_before_load": rows_before,
        "rows_after_load": rows["total_rows"],
        "rows_stored_by_load": rows["total_rows"] - rows_before,
        "run_rows": rows["run_rows"],
        "run_distinct_messages": rows["run_distinct_messages"],
        "run_distinct_submission_keys": rows["run_distinct_keys"],
        "every_sent_message_stored": sent == rows["messages"],
        "exactly_expected": rows["run_rows"]
        == args.messages
        == rows["total_rows"] - rows_before
        == rows["run_distinct_messages"],
    }
    results = {
        "settings": {
            "clients": args.clients,
            "messages": args.messages,
            "contact_rate_limit": 100000,
            "reflex": importlib.metadata.version("reflex"),
            "python_socketio": importlib.metadata.version("python-socketio"),
        },
        "wire_format": {
            "connect_auth_keys": sorted(capture["connect_auth"]),
            "boot_event": capture["connect_auth"].get("event", {}).get("name"),
            "submit_event": capture["submit"]["name"],
            "form_data_keys": [key for key, _ in capture["submit"]["payload"]["form_data"]["__reflex_form_data__"]],
        },
        "round_trip_ms": {
            "count": len(rtts_ms),
            "p50": round(percentile(rtts_ms, 0.50), 1),
            "p95": round(percentile(rtts_ms, 0.95), 1),
            "p99": round(percentile(rtts_ms, 0.99), 1),
            "max": round(max(rtts_ms, default=0), 1),
            "mean": round(statistics.fmean(rtts_ms), 1) if rtts_ms else None,
        },
        "connect_and_hydrate_ms": {
            "p50": round(percentile(connects_ms, 0.5), 1),
            "p95": round(percentile(connects_ms, 0.95), 1),
        },
        "wall_seconds": round(wall_s, 1),
        "messages_per_second": round(len(rtts_ms) / wall_s, 1) if wall_s else None,
        "outcomes": outcomes,
        "client_errors": errors[:10],
        "database_check": check,
    }
    save_results("contact_load", results)
    print(
        json.dumps(
            {
                k: results[k]
                for k in ("round_trip_ms", "wall_seconds", "messages_per_second", "outcomes", "database_check")
            },
            indent=2,
        )
    )
    if not check["exactly_expected"] or errors:
        raise SystemExit("contact load: the stored rows do not match what was sent (see the results file)")


if __name__ == "__main__":
    main()
