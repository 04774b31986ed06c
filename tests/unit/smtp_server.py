"""A real SMTP server for mail tests (aiosmtpd on 127.0.0.1), and helpers to read what it got."""

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (as soon as this returns)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every envelope it accepts.

    `reply` answers every DATA (e.g. "451 …" to refuse for now, "550 …" to refuse for good);
    `delay` seconds make each acceptance slow, like a busy server. `in_flight` holds the
    Message-ID of a message being accepted right now.
    """

    def __init__(self, reply: str = "250 Message accepted for delivery", delay: float = 0.0):
        self.reply = reply
        self.delay = delay
        self.envelopes: list = []
        self.refused = 0
        self.in_flight: str | None = None
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message_id = parsed(envelope)["Message-ID"]
        self.in_flight = message_id
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            if self.reply.startswith("250"):
                self.envelopes.append(envelope)
            else:
                self.refused += 1
        self.in_flight = None
        return self.reply

    def message_ids(self) -> list[str]:
        """The Message-ID of every accepted message, in order (repeats included)."""
        with self._lock:
            return [parsed(envelope)["Message-ID"] for envelope in self.envelopes]


def start_server(collector: Collector, port: int | None = None, **options) -> Controller:
    """A running server on 127.0.0.1 (SMTPUTF8 on, as real servers have); stop it with `.stop()`."""
    controller = Controller(collector, hostname="127.0.0.1", port=port or free_port(), enable_SMTPUTF8=True, **options)
    controller.start()
    return controller


def parsed(envelope) -> EmailMessage:
    """The message in an envelope, parsed with the modern API (headers decoded)."""
    return message_from_bytes(envelope.original_content, policy=policy.default)


def wait_until(condition: Callable[[], object], timeout: float = 30.0, interval: float = 0.05) -> object:
    """Poll `condition` until it returns something true; its value. Fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {condition}")
        time.sleep(interval)
