"""The retention purge on SQLite and PostgreSQL: exactly what is due goes (rows a second either side of each
boundary), one audit entry counts it, and the daily job runs once however many workers try at once."""

import pathlib
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlmodel import Session, select

from vws_app.models import (
    AuditEntry,
    ContactMessage,
    ContactNote,
    DailyJobRun,
    Editor,
    EditorSession,
    Event,
    LetterSignature,
    LetterSignOn,
    OutboxMessage,
    Rsvp,
    SignInFailure,
    Subscriber,
)
from vws_app.services import daily_jobs
from vws_app.services.database import open_session
from vws_app.services.retention import purge_due
from vws_app.services.retention_policy import RetentionPolicy

PROJECT_ROOT = pathlib.Path(__file__).resolve().parents[2]
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
POLICY = RetentionPolicy(
    handled_contact_months=6, spam_contact_days=30, sent_mail_days=30, sign_in_failure_days=30, past_rsvp_days=90
)
SECOND = timedelta(seconds=1)
HANDLED_CUTOFF = NOW - relativedelta(months=6)
SPAM_CUTOFF = NOW - timedelta(days=30)
MAIL_CUTOFF = NOW - timedelta(days=30)
RSVP_CUTOFF = NOW - timedelta(days=90)


def _message(session: Session, name: str, status: str, created_at: datetime) -> ContactMessage:
    row = ContactMessage(
        name=name,
        email=f"{name}@example.org",
        message="Hi",
        status=status,
        submission_key=uuid.uuid4().hex,
        created_at=created_at,
    )
    session.add(row)
    session.flush()
    return row


def _mail(session: Session, name: str, status: str, created_at: datetime, sent_at: datetime | None = None) -> None:
    session.add(
        OutboxMessage(
            kind="test",
            recipient=f"{name}@example.org",
            subject=name,
            text_body="",
            html_body="",
            message_id=f"<{uuid.uuid4().hex}@example.org>",
            status=status,
            created_at=created_at,
            sent_at=sent_at,
        )
    )


def _event_with_rsvp(session: Session, name: str, ends_at: datetime, recurrence: str = "") -> Event:
    event = Event(
        title_en=name,
        starts_at=ends_at - timedelta(hours=2),
        ends_at=ends_at,
        rsvp_enabled=True,
        recurrence=recurrence,
        places_taken=2,
    )
    session.add(event)
    session.flush()
    session.add(Rsvp(event_id=event.id, name=name, email=f"{name}@example.org", people=2))
    return event


@pytest.fixture
def world(session, editor) -> dict[str, int]:
    """For each kind, rows just due and rows just not due at NOW; the names of what must go."""
    due = {}
    for status, cutoff in (("handled", HANDLED_CUTOFF), ("spam", SPAM_CUTOFF)):
        due[f"{status}-old"] = _message(session, f"{status}-old", status, cutoff).id
        _message(session, f"{status}-young", status, cutoff + SECOND)
        touched = _message(session, f"{status}-touched", status, cutoff - timedelta(days=400))
        session.add(
            AuditEntry(
                editor_email=editor.email,
                action="handle",
                entity="contact_message",
                entity_id=touched.id,
                created_at=cutoff + SECOND,
            )
        )
        noted = _message(session, f"{status}-noted", status, cutoff - timedelta(days=400))
        session.add(ContactNote(message_id=noted.id, author_email=editor.email, body="n", created_at=cutoff + SECOND))
        settled = _message(session, f"{status}-settled", status, cutoff - timedelta(days=400))
        session.add(
            AuditEntry(
                editor_email=editor.email,
                action="handle",
                entity="contact_message",
                entity_id=settled.id,
                created_at=cutoff,
            )
        )
        session.add(ContactNote(message_id=settled.id, author_email=editor.email, body="n", created_at=cutoff))
        due[f"{status}-settled"] = settled.id
    _message(session, "new-ancient", "new", NOW - timedelta(days=4000))
    _message(session, "progress-ancient", "in_progress", NOW - timedelta(days=4000))

    for name, status, expires in (
        ("sub-expired", "pending", NOW),
        ("sub-valid", "pending", NOW + SECOND),
        ("sub-confirmed", "confirmed", NOW - timedelta(days=300)),
    ):
        session.add(Subscriber(email=f"{name}@example.org", status=status, token_expires_at=expires))
    letter = LetterSignOn(translation_key=uuid.uuid4().hex, is_open=True)
    session.add(letter)
    session.flush()
    for name, status, expires in (
        ("sig-expired", "pending", NOW),
        ("sig-valid", "pending", NOW + SECOND),
        ("sig-shown", "shown", NOW - timedelta(days=300)),
    ):
        session.add(
            LetterSignature(
                letter_id=letter.id,
                email=f"{name}@example.org",
                email_key=f"{name}@example.org",
                name=name,
                status=status,
                token_expires_at=expires,
            )
        )

    _mail(session, "mail-sent-old", "sent", NOW - timedelta(days=90), sent_at=MAIL_CUTOFF)
    _mail(session, "mail-sent-young", "sent", NOW - timedelta(days=90), sent_at=MAIL_CUTOFF + SECOND)
    _mail(session, "mail-failed-old", "failed", MAIL_CUTOFF)
    _mail(session, "mail-failed-young", "failed", MAIL_CUTOFF + SECOND)
    _mail(session, "mail-queued-ancient", "queued", NOW - timedelta(days=400))

    due["ended"] = _event_with_rsvp(
        session, "ended", RSVP_CUTOFF - SECOND
    ).id  # `recurrence` counts the end instant as on
    _event_with_rsvp(session, "recent", RSVP_CUTOFF + SECOND)
    _event_with_rsvp(session, "series", RSVP_CUTOFF - timedelta(days=300), recurrence="FREQ=MONTHLY")

    session.add(EditorSession(token_hash="a" * 64, editor_id=editor.id, expires_at=NOW))
    session.add(EditorSession(token_hash="b" * 64, editor_id=editor.id, expires_at=NOW + SECOND))
    session.add(SignInFailure(email=editor.email, client_hash="c", created_at=NOW - timedelta(days=31)))
    session.commit()
    return due


def _names(session: Session, model, column) -> set[str]:
    return {value.split("@")[0] for value in session.exec(select(column)).all()}


def test_exactly_what_is_due_is_purged_and_counted_once_in_the_audit(session, world):
    counts = purge_due(session, POLICY, NOW)
    assert counts == {
        "contact_handled": 2,
        "contact_spam": 2,
        "contact_note": 2,
        "subscriber_unconfirmed": 1,
        "rsvp_past": 1,
        "sign_in_failure": 1,
        "letter_signature_unconfirmed": 1,
        "editor_sign_in_rows": 1,
        "outbox_message": 2,
    }
    session.expire_all()
    assert _names(session, ContactMessage, ContactMessage.email) == {
        "handled-young",
        "handled-touched",
        "handled-noted",
        "spam-young",
        "spam-touched",
        "spam-noted",
        "new-ancient",
        "progress-ancient",
    }
    assert len(session.exec(select(ContactNote)).all()) == 2  # the notes of the kept messages
    assert _names(session, Subscriber, Subscriber.email) == {"sub-valid", "sub-confirmed"}
    assert _names(session, LetterSignature, LetterSignature.email) == {"sig-valid", "sig-shown"}
    assert _names(session, OutboxMessage, OutboxMessage.recipient) == {
        "mail-sent-young",
        "mail-failed-young",
        "mail-queued-ancient",
    }
    assert _names(session, Rsvp, Rsvp.email) == {"recent", "series"}
    assert session.get(Event, world["ended"]).places_taken == 0  # the count stays the sum of its RSVPs
    assert session.exec(select(EditorSession.token_hash)).all() == ["b" * 64]
    assert session.exec(select(SignInFailure)).all() == []

    entries = session.exec(select(AuditEntry).where(AuditEntry.action == "retention_purge")).all()
    assert len(entries) == 1
    assert entries[0].editor_email == "system" and "contact_handled=2" in entries[0].summary
    assert "@" not in entries[0].summary

    assert set(purge_due(session, POLICY, NOW).values()) == {0}  # nothing more is due


def _claiming_together(url: str, callers: int):
    """An `open_session` whose sessions wait until all `callers` have one, so their claims race."""
    barrier = threading.Barrier(callers, timeout=30)

    @contextmanager
    def opened():
        with open_session(url) as session:
            barrier.wait()
            yield session

    return opened


def _race(url: str, job) -> list[bool]:
    results: list[bool] = []
    opened = _claiming_together(url, 2)

    def worker():
        results.append(daily_jobs.run_once_today(opened, daily_jobs.RETENTION_JOB, job, now=NOW))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_workers_at_once_run_the_daily_job_once(database_url):
    runs: list[datetime] = []
    results = _race(database_url, lambda _session, now: runs.append(now))
    assert sorted(results) == [False, True] and runs == [NOW]
    assert _race(database_url, lambda _session, now: runs.append(now)) == [False, False]  # later the same day
    assert daily_jobs.run_once_today(
        lambda: open_session(database_url),
        daily_jobs.RETENTION_JOB,
        lambda _session, now: runs.append(now),
        now=NOW + timedelta(days=1),
    )
    assert len(runs) == 2
    with open_session(database_url) as session:
        claims = session.exec(select(DailyJobRun).order_by(DailyJobRun.day)).all()
        assert [(claim.day.isoformat(), claim.finished_at is not None) for claim in claims] == [
            ("2026-06-15", True),
            ("2026-06-16", True),
        ]


def test_the_retention_job_of_two_workers_purges_and_audits_once(database_url, session, world):
    results = []
    opened = _claiming_together(database_url, 2)
    threads = [
        threading.Thread(target=lambda: results.append(daily_jobs.run_retention(opened, now=NOW))) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == [False, True]
    session.expire_all()
    assert len(session.exec(select(AuditEntry).where(AuditEntry.action == "retention_purge")).all()) == 1
    assert session.get(ContactMessage, world["handled-old"]) is None
    assert session.exec(select(Editor)).all()  # editors are never purged


RACING_WORKER = """
import pathlib, sys, time
from datetime import datetime
from vws_app.services import daily_jobs
from vws_app.services.database import open_session
url, go, now = sys.argv[1], pathlib.Path(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
deadline = time.monotonic() + 60
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.01)
print(daily_jobs.run_retention(lambda: open_session(url), now=now))
"""


def test_two_worker_processes_started_together_purge_once(database_url, session, world, tmp_path):
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", RACING_WORKER, database_url, str(go), NOW.isoformat()],
            stdout=subprocess.PIPE,
            text=True,
            cwd=PROJECT_ROOT,
        )
        for _ in range(2)
    ]
    go.touch()
    answers = sorted(worker.communicate(timeout=120)[0].strip() for worker in workers)
    assert answers == ["False", "True"]
    session.expire_all()
    assert len(session.exec(select(AuditEntry).where(AuditEntry.action == "retention_purge")).all()) == 1
    assert session.get(ContactMessage, world["handled-old"]) is None
