"""Editors' authentication: hashing, sign-in lockout, session timeouts and roles."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from vws_app.models import Editor, EditorSession, SignInFailure
from vws_app.services import auth
from vws_app.services.auth import (
    AccountLocked,
    EditorExists,
    InvalidCredentials,
    InvalidEditorEmail,
    NotAuthorised,
    SessionExpired,
    WeakPassword,
)

PASSWORD = "correct horse battery"
T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
CLIENT = "203.0.113.7"
OTHER_CLIENT = "198.51.100.23"
PRODUCTION_HASHER = auth.PASSWORD_HASHER


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Real argon2 with cheap parameters: these tests check behaviour, not hashing cost."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def editor(session) -> Editor:
    """A plain editor, committed."""
    created = auth.create_editor(session, "ana@example.org", PASSWORD, display_name="Ana")
    session.commit()
    return created


@pytest.fixture
def admin(session) -> Editor:
    """An admin, committed."""
    created = auth.create_editor(session, "root@example.org", PASSWORD, role="admin")
    session.commit()
    return created


def fail_sign_ins(session, count: int, *, email="ana@example.org", client=CLIENT, start=T0):
    """`count` wrong-password attempts, one second apart; returns when the last happened."""
    moment = start
    for attempt in range(count):
        moment = start + timedelta(seconds=attempt)
        with pytest.raises(InvalidCredentials):
            auth.sign_in(session, email, "wrong password!!", client, now=moment)
    return moment


def test_password_is_stored_as_argon2_hash_never_plaintext(session, editor):
    assert PASSWORD not in editor.password_hash
    assert editor.password_hash.startswith("$argon2id$")
    assert auth.verify_password(editor.password_hash, PASSWORD)
    assert not auth.verify_password(editor.password_hash, PASSWORD + "x")


def test_production_hashing_is_argon2id_at_rfc_9106_strength():
    hasher = PRODUCTION_HASHER
    assert hasher.type.name == "ID"
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) >= (3, 65536, 4)


def test_malformed_hash_never_matches():
    assert not auth.verify_password("not-a-hash", PASSWORD)


def test_same_password_gets_a_different_salted_hash_each_time():
    assert auth.hash_password(PASSWORD) != auth.hash_password(PASSWORD)


def test_password_shorter_than_twelve_characters_is_refused(session):
    with pytest.raises(WeakPassword):
        auth.create_editor(session, "short@example.org", "elevenchars")
    assert auth.create_editor(session, "twelve@example.org", "twelve chars").id is not None


def test_email_is_stored_trimmed_and_lower_case(session):
    created = auth.create_editor(session, "  Maria.Perez@Example.ORG ", PASSWORD)
    assert created.email == "maria.perez@example.org"


def test_duplicate_email_in_any_case_raises_editor_exists(session, editor):
    with pytest.raises(EditorExists):
        auth.create_editor(session, "ANA@example.org", PASSWORD)


def test_invalid_email_or_role_is_refused(session):
    with pytest.raises(InvalidEditorEmail):
        auth.create_editor(session, "not an email", PASSWORD)
    with pytest.raises(ValueError):
        auth.create_editor(session, "role@example.org", PASSWORD, role="owner")


def test_sign_in_returns_a_token_and_stores_only_its_sha256(session, editor):
    token = auth.sign_in(session, "Ana@Example.org", PASSWORD, CLIENT, now=T0)
    rows = session.exec(select(EditorSession)).all()
    assert len(rows) == 1
    assert rows[0].token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in rows[0].token_hash
    assert auth.editor_for_token(session, token, now=T0).id == editor.id


def test_wrong_password_and_unknown_email_fail_alike(session, editor):
    with pytest.raises(InvalidCredentials) as wrong_password:
        auth.sign_in(session, "ana@example.org", "wrong password!!", CLIENT, now=T0)
    with pytest.raises(InvalidCredentials) as unknown_email:
        auth.sign_in(session, "nobody@example.org", PASSWORD, CLIENT, now=T0)
    assert str(wrong_password.value) == str(unknown_email.value)


def test_inactive_editor_cannot_sign_in(session, editor):
    editor.is_active = False
    session.add(editor)
    session.commit()
    with pytest.raises(InvalidCredentials):
        auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=T0)


def test_outdated_hash_is_upgraded_on_sign_in(session, editor):
    old_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)
    editor.password_hash = old_hash
    session.add(editor)
    session.commit()
    assert auth.password_needs_rehash(old_hash)
    auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=T0)
    session.refresh(editor)
    assert editor.password_hash != old_hash
    assert not auth.password_needs_rehash(editor.password_hash)
    assert auth.verify_password(editor.password_hash, PASSWORD)


def test_five_failures_lock_the_account_for_that_client_only(session, editor):
    last = fail_sign_ins(session, 5)
    with pytest.raises(AccountLocked) as locked:
        auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=last + timedelta(seconds=1))
    assert locked.value.retry_after_minutes == 15
    assert auth.sign_in(session, "ana@example.org", PASSWORD, OTHER_CLIENT, now=last + timedelta(seconds=1))


def test_four_failures_do_not_lock(session, editor):
    last = fail_sign_ins(session, 4)
    assert auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=last + timedelta(seconds=1))


def test_lock_reports_minutes_left_and_lifts_after_fifteen_minutes(session, editor):
    last = fail_sign_ins(session, 5)
    with pytest.raises(AccountLocked) as locked:
        auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=last + timedelta(minutes=14))
    assert locked.value.retry_after_minutes == 1
    assert auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=last + timedelta(minutes=15))


def test_attempts_while_locked_do_not_extend_the_lock(session, editor):
    last = fail_sign_ins(session, 5)
    for minute in (1, 5, 10):
        with pytest.raises(AccountLocked):
            auth.sign_in(session, "ana@example.org", "wrong password!!", CLIENT, now=last + minute * MINUTE)
    assert auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=last + timedelta(minutes=15))


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(session, editor):
    for attempt in range(6):
        fail_sign_ins(session, 1, start=T0 + attempt * timedelta(minutes=4))
    assert auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=T0 + timedelta(minutes=24))


def test_unknown_email_is_locked_like_a_real_one(session):
    last = fail_sign_ins(session, 5, email="ghost@example.org")
    with pytest.raises(AccountLocked):
        auth.sign_in(session, "ghost@example.org", PASSWORD, CLIENT, now=last + timedelta(seconds=1))


def test_successful_sign_in_clears_that_clients_failures(session, editor):
    last = fail_sign_ins(session, 4)
    auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=last + timedelta(seconds=1))
    assert session.exec(select(SignInFailure)).all() == []
    last = fail_sign_ins(session, 4, start=last + timedelta(seconds=2))
    assert auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=last + timedelta(seconds=1))


def test_client_key_is_stored_hashed(session, editor):
    fail_sign_ins(session, 1)
    failure = session.exec(select(SignInFailure)).one()
    assert CLIENT not in failure.client_hash
    assert failure.client_hash == auth.hash_client_key(CLIENT)


def test_session_expires_after_two_idle_hours_and_its_row_is_deleted(session, editor):
    token = auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=T0)
    seen = T0 + timedelta(hours=1, minutes=59)
    auth.editor_for_token(session, token, now=seen)  # activity slides the idle timeout
    auth.editor_for_token(session, token, now=seen + auth.SESSION_IDLE_TIMEOUT - timedelta(seconds=1))
    with pytest.raises(SessionExpired):
        auth.editor_for_token(session, token, now=seen + timedelta(hours=4))
    assert session.exec(select(EditorSession)).all() == []
    with pytest.raises(NotAuthorised):
        auth.editor_for_token(session, token, now=seen + timedelta(hours=4))


def test_session_expires_twelve_hours_after_sign_in_even_when_active(session, editor):
    token = auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=T0)
    for hour in range(1, 12):
        auth.editor_for_token(session, token, now=T0 + timedelta(hours=hour))
    with pytest.raises(SessionExpired):
        auth.editor_for_token(session, token, now=T0 + auth.SESSION_ABSOLUTE_TIMEOUT)


def test_sign_out_ends_the_session(session, editor):
    token = auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=T0)
    other = auth.sign_in(session, "ana@example.org", PASSWORD, OTHER_CLIENT, now=T0)
    auth.sign_out(session, token)
    auth.sign_out(session, token)  # twice is harmless
    with pytest.raises(NotAuthorised):
        auth.editor_for_token(session, token, now=T0)
    assert auth.editor_for_token(session, other, now=T0).id == editor.id


def test_sign_out_everywhere_ends_every_session_of_the_editor(session, editor, admin):
    tokens = [auth.sign_in(session, "ana@example.org", PASSWORD, key, now=T0) for key in (CLIENT, OTHER_CLIENT)]
    admin_token = auth.sign_in(session, "root@example.org", PASSWORD, CLIENT, now=T0)
    assert auth.sign_out_everywhere(session, editor.id) == 2
    for token in tokens:
        with pytest.raises(NotAuthorised):
            auth.editor_for_token(session, token, now=T0)
    assert auth.editor_for_token(session, admin_token, now=T0).id == admin.id


@pytest.mark.parametrize("token", ["", "made-up-token"])
def test_missing_or_unknown_token_is_not_authorised(session, token):
    with pytest.raises(NotAuthorised):
        auth.require_editor(session, token, now=T0)


def test_editor_is_refused_where_admin_is_needed(session, editor, admin):
    editor_token = auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=T0)
    admin_token = auth.sign_in(session, "root@example.org", PASSWORD, CLIENT, now=T0)
    assert auth.require_editor(session, editor_token, now=T0).id == editor.id
    assert auth.require_editor(session, editor_token, role="editor", now=T0).id == editor.id
    with pytest.raises(NotAuthorised):
        auth.require_editor(session, editor_token, role="admin", now=T0)
    assert auth.require_editor(session, admin_token, role="admin", now=T0).id == admin.id


def test_disabled_editor_session_is_refused(session, editor):
    token = auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=T0)
    editor.is_active = False
    session.add(editor)
    session.commit()
    with pytest.raises(NotAuthorised):
        auth.require_editor(session, token, now=T0)


def test_purge_removes_expired_sessions_and_stale_failures(session, editor):
    auth.sign_in(session, "ana@example.org", PASSWORD, CLIENT, now=T0)
    fail_sign_ins(session, 2, start=T0)
    assert auth.purge_stale_rows(session, now=T0 + timedelta(hours=3)) == 3
    assert session.exec(select(EditorSession)).all() == []
