"""The audit log: entries saved with the change they describe, listed newest first."""

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from vws_app.models import AuditEntry, Editor
from vws_app.services import audit, auth

T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Real argon2 with cheap parameters: these tests check behaviour, not hashing cost."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def editor(session) -> Editor:
    created = auth.create_editor(session, "ana@example.org", "correct horse battery")
    session.commit()
    return created


def test_record_is_saved_only_with_the_callers_commit(session, editor):
    audit.record(session, editor, "publish", "post", 7, "Published 'Solidarity now'")
    session.rollback()
    assert audit.recent_entries(session) == []
    audit.record(session, editor, "publish", "post", 7, "Published 'Solidarity now'")
    session.commit()
    [entry] = audit.recent_entries(session)
    assert (entry.editor_id, entry.editor_email, entry.action, entry.entity, entry.entity_id) == (
        editor.id,
        "ana@example.org",
        "publish",
        "post",
        7,
    )
    assert entry.summary == "Published 'Solidarity now'"


def test_recent_entries_are_newest_first_and_paginated(session, editor):
    for minutes, action in [(5, "update"), (0, "create"), (10, "publish")]:
        audit.record(session, editor, action, "post", 1, now=T0 + timedelta(minutes=minutes))
    session.commit()
    assert [entry.action for entry in audit.recent_entries(session)] == ["publish", "update", "create"]
    assert [entry.action for entry in audit.recent_entries(session, limit=1, offset=1)] == ["update"]
    assert audit.count_entries(session) == 3


def test_entries_at_the_same_moment_list_the_latest_recorded_first(session, editor):
    for action in ("create", "update", "publish"):
        audit.record(session, editor, action, "post", 1, now=T0)
    session.commit()
    assert [entry.action for entry in audit.recent_entries(session)] == ["publish", "update", "create"]


def test_page_size_is_clamped(session, editor):
    for _ in range(3):
        audit.record(session, editor, "update", "event", 2)
    session.commit()
    assert len(audit.recent_entries(session, limit=0)) == 1
    assert len(audit.recent_entries(session, limit=10_000, offset=-5)) == 3


def test_system_changes_are_attributed_to_the_system(session):
    audit.record(session, None, "create", "editor", 1)
    session.commit()
    [entry] = audit.recent_entries(session)
    assert entry.editor_id is None and entry.editor_email == audit.SYSTEM_ACTOR


def test_long_summary_is_shortened_not_refused(session, editor):
    audit.record(session, editor, "update", "post", 1, "x" * 2000)
    session.commit()
    [entry] = audit.recent_entries(session)
    assert len(entry.summary) == audit.SUMMARY_MAX_LENGTH and entry.summary.endswith("…")


@pytest.mark.parametrize("action", ["", "x" * 41])
def test_empty_or_overlong_action_is_a_programming_error(session, editor, action):
    with pytest.raises(ValueError):
        audit.record(session, editor, action, "post")


def test_entry_keeps_the_email_after_the_editor_is_deleted(session, editor):
    audit.record(session, editor, "delete", "post", 3)
    session.commit()
    session.delete(editor)
    session.commit()
    session.expire_all()
    entry = session.exec(select(AuditEntry)).one()
    assert entry.editor_id is None and entry.editor_email == "ana@example.org"
