"""The sender against real SMTP servers: refusals retried then given up, the rate limit, and exclusive claims."""

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlmodel import Session, select

from tests.unit.smtp_server import Collector, start_server
from vws_app.models import OutboxMessage
from vws_app.services.database import engine_for
from vws_app.services.mail_sender import SenderSettings, send_due
from vws_app.services.outbox import enqueue_many

CONTEXT = {
    "name": "Ana",
    "email": "ana@example.com",
    "phone": "",
    "wants_meeting": False,
    "message_language": "en",
    "message": "Hello",
    "inbox_url": "https://vws.example.org/admin/inbox",
}


def queue(session, number: int) -> None:
    """`number` committed outbox rows to distinct addresses."""
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


def rows(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def opener(database_url: str):
    return lambda: Session(engine_for(database_url))


@contextmanager
def smtp_server(monkeypatch, collector: Collector) -> Iterator[Collector]:
    """`collector` served on a free port for the block, with SMTP_URL pointing at it."""
    controller = start_server(collector)
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture
def mail_settings(monkeypatch):
    """Fast retries and no rate limit unless a test sets one."""
    monkeypatch.setenv("MAIL_RATE_PER_MINUTE", "0")
    monkeypatch.setenv("MAIL_BACKOFF_SECONDS", "0")
    monkeypatch.setenv("MAIL_MAX_ATTEMPTS", "3")
    monkeypatch.delenv("MAIL_FROM", raising=False)
    monkeypatch.setenv("CONTACT_NOTIFY_FROM", "site@vws.example.org")


@pytest.mark.parametrize("reply", ["451 4.3.0 Try again later", "550 5.1.1 No such user"])
def test_a_refusing_server_is_tried_max_attempts_times_then_the_row_is_failed(
    session, database_url, monkeypatch, mail_settings, reply
):
    with smtp_server(monkeypatch, Collector(reply=reply)) as collector:
        queue(session, 1)
        for attempt in (1, 2):
            assert send_due(opener(database_url), SenderSettings.from_environment()) == 1
            [row] = rows(session)
            assert (row.status, row.attempts) == ("queued", attempt)
            assert reply.split()[0] in row.last_error
        assert send_due(opener(database_url), SenderSettings.from_environment()) == 1
        assert send_due(opener(database_url), SenderSettings.from_environment()) == 0
    [row] = rows(session)
    assert (row.status, row.attempts, collector.refused) == ("failed", 3, 3)
    assert collector.envelopes == []


def test_after_a_failure_the_row_waits_its_backoff(session, database_url, monkeypatch, mail_settings):
    monkeypatch.setenv("MAIL_BACKOFF_SECONDS", "600")
    with smtp_server(monkeypatch, Collector(reply="451 busy")) as collector:
        queue(session, 1)
        assert send_due(opener(database_url), SenderSettings.from_environment()) == 1
        [row] = rows(session)
        assert send_due(opener(database_url), SenderSettings.from_environment()) == 0
    assert row.status == "queued" and collector.refused == 1
    assert (row.next_attempt_at - row.created_at).total_seconds() >= 600


def test_the_rate_limit_caps_sends_per_minute(session, database_url, monkeypatch, mail_settings):
    monkeypatch.setenv("MAIL_RATE_PER_MINUTE", "3")
    with smtp_server(monkeypatch, Collector()) as collector:
        queue(session, 5)
        assert send_due(opener(database_url), SenderSettings.from_environment()) == 3
        assert send_due(opener(database_url), SenderSettings.from_environment()) == 0
    assert len(collector.envelopes) == 3
    assert Counter(row.status for row in rows(session)) == {"sent": 3, "queued": 2}


def test_two_concurrent_senders_send_each_of_500_rows_exactly_once(session, database_url, monkeypatch, mail_settings):
    """PostgreSQL: claims pick rows FOR UPDATE SKIP LOCKED; SQLite: each claim holds the write lock."""
    queue(session, 500)
    stored_ids = {row.message_id for row in rows(session)}
    tried_by_sender: list[int] = [0, 0]
    start = threading.Barrier(2)

    def sender(number: int, config: SenderSettings) -> None:
        start.wait()
        while tried := send_due(opener(database_url), config):
            tried_by_sender[number] += tried

    with smtp_server(monkeypatch, Collector()) as collector:
        config = SenderSettings.from_environment()
        threads = [threading.Thread(target=sender, args=(number, config)) for number in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
    received = Counter(collector.message_ids())
    assert set(received) == stored_ids
    assert set(received.values()) == {1}
    assert sum(tried_by_sender) == 500 and min(tried_by_sender) > 0
    assert Counter(row.status for row in rows(session)) == {"sent": 500}


def test_a_row_that_cannot_be_built_fails_its_try_and_the_others_still_go_out(
    session, database_url, monkeypatch, mail_settings
):
    queue(session, 3)
    broken = rows(session)[0]
    broken.headers_json = "not json"
    session.add(broken)
    session.commit()
    with smtp_server(monkeypatch, Collector()) as collector:
        assert send_due(opener(database_url), SenderSettings.from_environment()) == 3
    assert len(collector.envelopes) == 2
    first, *others = rows(session)
    assert (first.status, first.attempts) == ("queued", 1) and "JSONDecodeError" in first.last_error
    assert {row.status for row in others} == {"sent"}
