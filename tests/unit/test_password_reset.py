"""Forgotten passwords: the link by e-mail through the outbox works once, for an hour, and ends every session."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from vws_app.models import OutboxMessage, PasswordResetToken, PendingSignIn
from vws_app.services import auth, password_reset, second_step

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a completely new passphrase"
EMAIL = "ana@example.org"
T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Real argon2 with cheap parameters: these tests check behaviour, not hashing cost."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def editor(session, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://vws.example.org")
    created = auth.create_editor(session, EMAIL, PASSWORD)
    session.commit()
    return created


def mailed_token(session) -> str:
    """The token in the newest queued mail's link (the only place it exists in clear)."""
    mail = session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"/admin/reset\?t=([\w-]+)", mail.text_body).group(1)


def test_asking_queues_one_mail_for_an_editor_and_nothing_for_a_stranger(session, editor):
    password_reset.request_reset(session, "stranger@example.org", "en", now=T0)
    assert session.exec(select(OutboxMessage)).all() == []
    password_reset.request_reset(session, " Ana@Example.org ", "es", now=T0)
    mail = session.exec(select(OutboxMessage)).one()
    assert mail.recipient == EMAIL and mail.kind == "password_reset" and mail.language == "es"
    token = mailed_token(session)
    assert mail.text_body.count("https://vws.example.org/admin/reset?t=") == 1
    stored = session.exec(select(PasswordResetToken)).one()
    assert stored.token_hash != token and token not in stored.token_hash, "only the token's hash is stored"
    password_reset.request_reset(session, EMAIL, "en", now=T0 + timedelta(seconds=30))
    assert len(session.exec(select(OutboxMessage)).all()) == 1, "a second request at once sends nothing more"


def test_the_link_sets_the_password_once_and_ends_every_session(session, editor):
    here = auth.sign_in(session, EMAIL, PASSWORD, "203.0.113.1", now=T0)
    there = auth.sign_in(session, EMAIL, PASSWORD, "198.51.100.2", now=T0)
    password_reset.request_reset(session, EMAIL, "en", now=T0)
    token = mailed_token(session)
    with pytest.raises(auth.WeakPassword):
        password_reset.reset_password(session, token, "password1234", now=T0 + timedelta(minutes=5))
    session.rollback()
    assert password_reset.reset_password(session, token, NEW_PASSWORD, now=T0 + timedelta(minutes=5)) == 2
    for old in (here, there):
        with pytest.raises(auth.NotAuthorised):
            auth.editor_for_token(session, old, now=T0 + timedelta(minutes=5))
    assert auth.sign_in(session, EMAIL, NEW_PASSWORD, "203.0.113.1", now=T0 + timedelta(minutes=6))
    with pytest.raises(password_reset.ResetLinkInvalid):
        password_reset.reset_password(session, token, "yet another passphrase", now=T0 + timedelta(minutes=7))


def test_the_link_expires_after_an_hour(session, editor):
    password_reset.request_reset(session, EMAIL, "en", now=T0)
    token = mailed_token(session)
    password_reset.check_link(session, token, now=T0 + timedelta(minutes=59))
    with pytest.raises(password_reset.ResetLinkInvalid):
        password_reset.reset_password(session, token, NEW_PASSWORD, now=T0 + password_reset.LINK_LIFETIME)
    with pytest.raises(password_reset.ResetLinkInvalid):
        password_reset.check_link(session, "made-up", now=T0)
    assert auth.sign_in(session, EMAIL, PASSWORD, "203.0.113.1", now=T0 + timedelta(hours=2))


def test_expired_links_and_pending_sign_ins_are_purged_with_stale_sessions(session, editor):
    password_reset.request_reset(session, EMAIL, "en", now=T0)
    second_step.start(session, editor, now=T0)
    assert auth.purge_stale_rows(session, now=T0 + timedelta(minutes=1)) == 0
    assert auth.purge_stale_rows(session, now=T0 + password_reset.LINK_LIFETIME) == 2
    assert session.exec(select(PasswordResetToken)).all() == [] and session.exec(select(PendingSignIn)).all() == []
