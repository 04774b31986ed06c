"""The outbox's rules: rows are added in their cause's transaction, deduplicated, claimed once, retried and given up on."""

from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from vws_app.models import ContactMessage, Editor, OutboxMessage, utc_now
from vws_app.services import outbox_queue
from vws_app.services.contact import ContactSubmission, submit_contact_message
from vws_app.services.mail_render import UnknownTemplate
from vws_app.services.outbox import BadHeader, enqueue, enqueue_many

CONTEXT = {
    "name": "Ana",
    "email": "ana@example.com",
    "phone": "",
    "wants_meeting": False,
    "message_language": "en",
    "message": "Hello",
    "inbox_url": "https://vws.example.org/admin/inbox",
}


def notice(session, to="ed@example.org", **options):
    return enqueue(
        session, kind="contact_notice", to=to, language="en", template="contact_notice", context=CONTEXT, **options
    )


def count(engine, model) -> int:
    with Session(engine) as fresh:
        return len(fresh.exec(select(model)).all())


@pytest.fixture(autouse=True)
def editors_address(monkeypatch):
    monkeypatch.setenv("CONTACT_NOTIFY_TO", "ed@example.org")


def test_a_failure_before_commit_keeps_neither_the_contact_message_nor_its_notice(session, engine):
    def fail_before_commit(_session):
        raise RuntimeError("the process stops here")

    event.listen(session, "before_commit", fail_before_commit)
    with pytest.raises(RuntimeError):
        submit_contact_message(
            session,
            ContactSubmission(name="Ana", email="ana@example.com", message="Hola"),
            submission_key="k",
            client_address="198.51.100.1",
        )
    session.rollback()
    assert count(engine, ContactMessage) == 0
    assert count(engine, OutboxMessage) == 0


def test_a_constraint_broken_in_the_same_transaction_rolls_back_the_outbox_row(session, engine, editor):
    notice(session)
    session.add(Editor(email=editor.email, password_hash="x"))  # the same email twice: unique
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    assert count(engine, OutboxMessage) == 0


def test_the_contact_message_and_its_notice_are_committed_together(session, engine):
    submit_contact_message(
        session,
        ContactSubmission(name="Ana", email="ana@example.com", message="Hola"),
        submission_key="k",
        client_address="198.51.100.1",
    )
    assert count(engine, ContactMessage) == 1
    assert count(engine, OutboxMessage) == 1


def test_nothing_is_committed_by_enqueue_itself(session, engine):
    row = notice(session)
    assert row.id is not None and row.message_id.startswith("<") and row.message_id.endswith(">")
    assert count(engine, OutboxMessage) == 0
    session.commit()
    assert count(engine, OutboxMessage) == 1


def test_a_second_enqueue_with_the_same_dedupe_key_adds_nothing(session, engine):
    assert notice(session, dedupe_key="once") is not None
    session.commit()
    assert notice(session, dedupe_key="once") is None
    session.commit()
    assert count(engine, OutboxMessage) == 1


def test_enqueue_many_adds_in_bulk_and_skips_known_and_repeated_keys(session, engine):
    notice(session, dedupe_key="n:0")
    rows = [
        {
            "kind": "contact_notice",
            "to": f"r{number}@example.org",
            "language": "es",
            "template": "contact_notice",
            "context": CONTEXT,
            "dedupe_key": f"n:{number % 1200}",
            "mailing_id": None,
        }
        for number in range(1300)
    ]
    assert enqueue_many(session, rows) == 1199
    session.commit()
    assert count(engine, OutboxMessage) == 1200
    ids = {row.message_id for row in session.exec(select(OutboxMessage)).all()}
    assert len(ids) == 1200


def test_extra_headers_are_stored_and_unsafe_ones_refused(session):
    row = notice(session, headers={"List-Unsubscribe": "<https://vws.example.org/u?t=abc>"})
    assert "List-Unsubscribe" in row.headers_json
    for bad in ({"X-Bad": "a\r\nBcc: all@example.org"}, {"From": "someone@else.org"}, {"X Bad:": "v"}):
        with pytest.raises(BadHeader):
            notice(session, headers=bad)


def test_an_unknown_template_is_an_error(session):
    for name in ("nope", "base", "../base", "Contact_Notice"):
        with pytest.raises(UnknownTemplate):
            enqueue(session, kind="x", to="a@example.org", language="en", template=name, context={})


def test_a_claim_takes_each_due_row_once(session):
    for number in range(5):
        notice(session, to=f"r{number}@example.org")
    session.commit()
    first = outbox_queue.claim_due(session, limit=3, lease_seconds=60)
    second = outbox_queue.claim_due(session, limit=10, lease_seconds=60)
    third = outbox_queue.claim_due(session, limit=10, lease_seconds=60)
    assert len(first.rows) == 3 and len(second.rows) == 2 and third.rows == []
    assert not {row.id for row in first.rows} & {row.id for row in second.rows}
    assert {row.status for row in first.rows} == {"sending"} and {row.attempts for row in first.rows} == {1}


def test_an_expired_lease_makes_the_row_due_again_with_the_same_message_id(session):
    row = notice(session)
    session.commit()
    message_id = row.message_id
    claimed = outbox_queue.claim_due(session, limit=1, lease_seconds=30)
    assert outbox_queue.claim_due(session, limit=1, lease_seconds=30).rows == []
    later = outbox_queue.claim_due(session, limit=1, lease_seconds=30, now=claimed.lease_until + timedelta(seconds=1))
    assert [(again.id, again.message_id, again.attempts) for again in later.rows] == [(row.id, message_id, 2)]


def test_released_rows_are_due_at_once_and_the_try_is_not_counted(session):
    notice(session)
    session.commit()
    claim = outbox_queue.claim_due(session, limit=1, lease_seconds=30)
    outbox_queue.release(session, [claim.rows[0].id], claim.lease_until)
    [again] = outbox_queue.claim_due(session, limit=1, lease_seconds=30).rows
    assert again.attempts == 1


def test_backoff_doubles_up_to_its_maximum():
    waits = [
        outbox_queue.backoff(attempt, base_seconds=60, max_seconds=1000).total_seconds() for attempt in range(1, 7)
    ]
    assert waits == [60, 120, 240, 480, 960, 1000]


def test_a_failed_try_waits_its_backoff_and_the_last_allowed_try_marks_the_row_failed(session):
    notice(session)
    session.commit()
    now = utc_now()
    for attempt in range(1, 4):
        [row] = outbox_queue.claim_due(session, limit=1, lease_seconds=30, now=now).rows
        assert row.attempts == attempt
        wait = outbox_queue.backoff(attempt, base_seconds=60, max_seconds=3600)
        status = outbox_queue.mark_attempt_failed(
            session, row, "451 try later", max_attempts=3, retry_after=wait, now=now
        )
        assert status == ("failed" if attempt == 3 else "queued")
        assert (
            outbox_queue.claim_due(session, limit=1, lease_seconds=30, now=now + wait - timedelta(seconds=1)).rows == []
        )
        now += wait
    assert outbox_queue.claim_due(session, limit=1, lease_seconds=30, now=now + timedelta(days=1)).rows == []
    assert outbox_queue.counts_by_status(session) == {"queued": 0, "sending": 0, "sent": 0, "failed": 1}
    [failed] = outbox_queue.failed_rows(session)
    assert (failed.attempts, failed.last_error) == (3, "451 try later")


def test_retrying_failed_rows_queues_them_with_fresh_attempts(session):
    for number in range(3):
        notice(session, to=f"r{number}@example.org")
    session.commit()
    for row in outbox_queue.claim_due(session, limit=3, lease_seconds=30).rows:
        outbox_queue.mark_attempt_failed(session, row, "550 no", max_attempts=1, retry_after=timedelta(0))
    first, *rest = outbox_queue.failed_rows(session)
    assert outbox_queue.retry_failed(session, [first.id]) == 1
    assert outbox_queue.counts_by_status(session)["failed"] == 2
    assert outbox_queue.retry_failed(session) == 2
    claimed = outbox_queue.claim_due(session, limit=10, lease_seconds=30).rows
    assert len(claimed) == 3 and {row.attempts for row in claimed} == {1}


def test_sent_rows_count_against_the_minute(session):
    for number in range(3):
        notice(session, to=f"r{number}@example.org")
    session.commit()
    claim = outbox_queue.claim_due(session, limit=2, lease_seconds=30)
    assert outbox_queue.sends_in_last_minute(session) == 2
    outbox_queue.mark_sent(session, claim.rows[0].id)
    assert outbox_queue.sends_in_last_minute(session) == 2
    assert outbox_queue.sends_in_last_minute(session, now=utc_now() + timedelta(minutes=2)) == 0
