"""The sender as the separate process production runs (`python -m vws_app.cli mail-worker`):
a mail server that is down for 30 s, and the sender killed with SIGKILL mid-send."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlmodel import select

from tests.unit.smtp_server import Collector, free_port, start_server, wait_until
from vws_app.models import OutboxMessage
from vws_app.services.outbox import enqueue_many
from vws_app.settings import PROJECT_ROOT

OUTAGE_SECONDS = 30
CONTEXT = {
    "name": "Ana",
    "email": "ana@example.com",
    "phone": "",
    "wants_meeting": False,
    "message_language": "en",
    "message": "Hello",
    "inbox_url": "https://vws.example.org/admin/inbox",
}


def queue(session, number: int) -> set[str]:
    """`number` committed outbox rows; their Message-IDs."""
    enqueue_many(
        session,
        [
            {
                "kind": "contact_notice",
                "to": f"r{index}@example.org",
                "language": "en",
                "template": "contact_notice",
                "context": CONTEXT,
            }
            for index in range(number)
        ],
    )
    session.commit()
    return {row.message_id for row in session.exec(select(OutboxMessage)).all()}


def statuses(session) -> Counter:
    session.expire_all()
    return Counter(row.status for row in session.exec(select(OutboxMessage)).all())


class Worker:
    """One `mail-worker` process on the test's database and SMTP port."""

    def __init__(self, database_url: str, smtp_port: int, **settings: str):
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "MAIL_RATE_PER_MINUTE": "0",
            "MAIL_POLL_SECONDS": "0.1",
            "MAIL_FROM": "site@vws.example.org",
            "SMTP_TIMEOUT_SECONDS": "5",
            **settings,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "vws_app.cli", "mail-worker"],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    """Worker processes a test starts; stopped at the end whatever happened."""
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def test_mail_queued_while_the_server_is_down_for_30_s_arrives_once_when_it_is_back(session, database_url, workers):
    port = free_port()
    message_ids = queue(session, 20)
    worker = Worker(
        database_url, port, MAIL_BACKOFF_SECONDS="0.5", MAIL_BACKOFF_MAX_SECONDS="2", MAIL_MAX_ATTEMPTS="1000"
    ).start()
    workers.append(worker)
    down_since = time.monotonic()
    wait_until(lambda: statuses(session)["queued"] == 20 and _all_tried(session), timeout=60)
    collector = Collector()
    wait_until(lambda: time.monotonic() - down_since >= OUTAGE_SECONDS, timeout=OUTAGE_SECONDS + 5, interval=0.5)
    assert worker.process.poll() is None
    controller = start_server(collector, port=port)
    try:
        wait_until(lambda: statuses(session)["sent"] == 20, timeout=60)
    finally:
        controller.stop()
    received = Counter(collector.message_ids())
    assert set(received) == message_ids
    assert set(received.values()) == {1}
    assert worker.process.poll() is None


def _all_tried(session) -> bool:
    """Every row was tried at least once (the server being down was noticed)."""
    return all(row.attempts >= 1 and row.last_error for row in session.exec(select(OutboxMessage)).all())


def test_a_sender_killed_mid_send_loses_nothing_and_repeats_at_most_the_message_in_flight(
    session, database_url, workers
):
    collector = Collector(delay=0.2)
    controller = start_server(collector)
    message_ids = queue(session, 30)
    settings = {"MAIL_LEASE_SECONDS": "2", "MAIL_BACKOFF_SECONDS": "0.2"}
    try:
        first = Worker(database_url, controller.port, **settings).start()
        workers.append(first)
        wait_until(lambda: len(collector.envelopes) >= 5, timeout=60)
        in_flight = {wait_until(lambda: collector.in_flight, timeout=30, interval=0.005)}
        first.kill()
        in_flight.add(collector.in_flight)  # the one being accepted as the sender died (the same, or None)
        assert statuses(session)["sent"] < 30
        second = Worker(database_url, controller.port, **settings).start()
        workers.append(second)
        wait_until(lambda: statuses(session)["sent"] == 30, timeout=120)
    finally:
        controller.stop()
    received = Counter(collector.message_ids())
    assert set(received) == message_ids
    repeated = {message_id for message_id, times in received.items() if times > 1}
    assert len(repeated) <= 1 and repeated <= in_flight
    assert all(times <= 2 for times in received.values())
