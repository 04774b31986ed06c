"""The event socket under a hostile client, against the production build: junk costs one log line, budgets hold.

Clients speak socket.io as Reflex's page does (python-socketio). Each test claims its own client
address through `X-Forwarded-For` (the harness trusts one proxy hop), so budgets spent here are
not the browsers' (127.0.0.1), and the server log can be searched for that address alone.
"""

import asyncio
import concurrent.futures
import random
import time
import uuid

import pytest
import socketio

from tests.e2e.conftest import LiveApp
from vws_app.server.socket_limits import REFUSED_EVENT, SocketLimits

NAMESPACE = "/_event"
CONTACT = (
    "reflex___state____state.vws_app___state___language____language_state.vws_app___state___contact____contact_state"
)
LIMITS = SocketLimits()  # the harness sets none of the SOCKET_* variables: the shipped defaults
DEADLINE_S = 20


def new_address() -> str:
    """An address of the benchmarking range (198.18.0.0/15) no other test uses."""
    return f"198.18.{random.randint(0, 255)}.{random.randint(1, 254)}"


class Client:
    """One socket from `address`; records what the server sends and why a connect failed."""

    def __init__(self, live_app: LiveApp, address: str, origin: str | None = "own"):
        self.live_app, self.address = live_app, address
        self.origin = live_app.base_url if origin == "own" else origin
        self.sio = socketio.AsyncClient(reconnection=False)
        self.updates: list[dict] = []
        self.refusals: list[dict] = []
        self.connect_errors: list = []
        self.sio.on("event", self.updates.append, namespace=NAMESPACE)
        self.sio.on(REFUSED_EVENT, self.refusals.append, namespace=NAMESPACE)
        self.sio.on("connect_error", self.connect_errors.append, namespace=NAMESPACE)

    async def connect(self) -> bool:
        headers = {"X-Forwarded-For": self.address, **({"Origin": self.origin} if self.origin else {})}
        try:
            await self.sio.connect(
                f"{self.live_app.base_url}?token={uuid.uuid4()}",
                headers=headers,
                transports=["websocket"],
                socketio_path="_event",
                namespaces=[NAMESPACE],
                wait_timeout=DEADLINE_S,
            )
        except socketio.exceptions.ConnectionError:
            return False
        return True

    async def send(self, event) -> None:
        await self.sio.emit("event", event, namespace=NAMESPACE)

    async def close(self) -> None:
        await self.sio.disconnect()


def run(scenario) -> None:
    """Run the async scenario on its own loop in a thread: Playwright's sync API owns this thread's loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result()


def set_field(value: str) -> dict:
    return {
        "name": f"{CONTACT}.set_field",
        "payload": {"field": "name", "value": value},
        "router_data": {"pathname": "/contact"},
    }


async def until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {DEADLINE_S} s")
        await asyncio.sleep(0.1)


def log_lines_about(live_app: LiveApp, address: str) -> list[str]:
    text = live_app.log_path.read_text(encoding="utf-8", errors="replace")
    return [line for line in text.splitlines() if address in line]


async def wait_for_log(live_app: LiveApp, address: str, words: str) -> None:
    await until(
        lambda: any(words in line for line in log_lines_about(live_app, address)),
        f"no log line '{words}' for {address}",
    )


def test_a_socket_without_our_origin_is_refused(live_app: LiveApp):
    async def scenario():
        for origin in (None, "http://elsewhere.example"):
            client = Client(live_app, new_address(), origin=origin)
            assert not await client.connect()

    run(scenario)


def test_a_flood_of_unknown_and_malformed_events_costs_one_short_line_each(live_app: LiveApp):
    address = new_address()

    async def scenario():
        client = Client(live_app, address)
        assert await client.connect()
        junk = [
            {"name": f"{CONTACT}.no_such_handler", "payload": {}},
            "not an event",
            {"name": 42},
            {"name": f"{CONTACT}.set_field", "payload": {"wrong": "arguments"}},
        ]
        for number in range(2000):
            await client.send(junk[number % len(junk)])
        await wait_for_log(live_app, address, "ignored events from")
        await wait_for_log(live_app, address, "dropped events from")
        assert client.sio.connected  # refused, not thrown out
        await client.close()

    run(scenario)
    lines = log_lines_about(live_app, address)
    assert len(lines) == 2, lines  # one for the junk, one for the rate, each well under a line's width
    assert all(len(line) < 200 for line in lines)
    log = live_app.log_path.read_text(encoding="utf-8", errors="replace")
    assert "No registered handler found" not in log and "no_such_handler" not in log


def test_events_over_the_budget_are_refused_and_the_socket_keeps_working(live_app: LiveApp):
    address = new_address()

    async def scenario():
        client = Client(live_app, address)
        assert await client.connect()
        for number in range(LIMITS.event_burst * 3):
            await client.send(set_field(f"name {number}"))
        await until(lambda: client.refusals, "no refusal")
        assert client.refusals == [{"reason": "rate_limited"}]
        await wait_for_log(live_app, address, "dropped events from")
        # The budget refills: a later event is processed and answered.
        marker = f"after the pause {uuid.uuid4()}"
        deadline = time.monotonic() + DEADLINE_S
        while not any(marker in str(update) for update in client.updates):
            assert time.monotonic() < deadline, "no event answered once the budget refilled"
            await client.send(set_field(marker))
            await asyncio.sleep(0.5)
        await client.close()

    run(scenario)
    assert len([line for line in log_lines_about(live_app, address) if "dropped events" in line]) == 1


def test_one_address_gets_a_bounded_number_of_sockets(live_app: LiveApp):
    address = new_address()

    async def scenario():
        clients = [Client(live_app, address) for _ in range(LIMITS.max_connections)]
        results = await asyncio.gather(*(client.connect() for client in clients))
        assert all(results)
        extra = Client(live_app, address)
        assert not await extra.connect()
        assert extra.connect_errors and "too many" in str(extra.connect_errors[0])
        other = Client(live_app, new_address())  # someone else is not affected
        assert await other.connect()
        await other.close()
        await clients[0].close()
        retry = Client(live_app, address)
        deadline = time.monotonic() + DEADLINE_S
        while not await retry.connect():
            assert time.monotonic() < deadline, "a freed place was not given back"
            retry = Client(live_app, address)
            await asyncio.sleep(0.5)
        await asyncio.gather(*(client.close() for client in [*clients[1:], retry]))

    run(scenario)
    assert any("refused sockets from" in line for line in log_lines_about(live_app, address))
