"""An editor's own account: password rules (NIST 800-63B), changing the password, "Your sessions"."""

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from vws_app.services import accounts, auth, passwords

PASSWORD = "correct horse battery"
EMAIL = "ana@example.org"
T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Real argon2 with cheap parameters: these tests check behaviour, not hashing cost."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def editor(session):
    created = auth.create_editor(session, EMAIL, PASSWORD)
    session.commit()
    return created


@pytest.mark.parametrize(
    "password, reason",
    [
        ("short pass", passwords.TOO_SHORT),
        ("qwerty123456", passwords.TOO_COMMON),  # long enough, and in the common-password list
        ("LeaveMeAlone", passwords.TOO_COMMON),  # case does not help
        ("x" * (passwords.MAX_LENGTH + 1), passwords.TOO_LONG),
    ],
)
def test_password_rules_refuse_short_common_and_absurd_passwords(password, reason):
    assert passwords.password_problem(password) == reason


def test_password_rules_accept_a_long_passphrase_without_any_composition_rule():
    assert passwords.password_problem("the quiet river walks home slowly") == ""
    assert passwords.password_problem("all lower case words here") == ""


def test_the_account_email_is_refused_as_its_password(session):
    with pytest.raises(auth.WeakPassword) as refused:
        auth.create_editor(session, "solidarity.editor@example.org", "solidarity.editor@example.org")
    assert refused.value.reason == passwords.IS_EMAIL
    assert passwords.password_problem("Solidarity.Editor", "solidarity.editor@example.org") == passwords.IS_EMAIL


def test_changing_the_password_asks_the_current_one_and_signs_out_the_other_sessions(session, editor):
    here = auth.sign_in(session, EMAIL, PASSWORD, "203.0.113.1", now=T0, user_agent="Firefox")
    elsewhere = auth.sign_in(session, EMAIL, PASSWORD, "198.51.100.2", now=T0, user_agent="Chromium")
    with pytest.raises(accounts.WrongCurrentPassword):
        accounts.change_password(session, editor, "not my password", "a brand new passphrase", auth.token_hash(here))
    with pytest.raises(auth.WeakPassword):
        accounts.change_password(session, editor, PASSWORD, "password1234", auth.token_hash(here))
    session.rollback()
    assert accounts.change_password(session, editor, PASSWORD, "a brand new passphrase", auth.token_hash(here)) == 1
    session.commit()
    assert auth.editor_for_token(session, here, now=T0).id == editor.id
    with pytest.raises(auth.NotAuthorised):
        auth.editor_for_token(session, elsewhere, now=T0)
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in(session, EMAIL, PASSWORD, "203.0.113.1", now=T0)
    assert auth.sign_in(session, EMAIL, "a brand new passphrase", "203.0.113.1", now=T0)


def test_your_sessions_lists_the_current_first_and_signs_out_one_or_all_others(session, editor):
    current = auth.sign_in(session, EMAIL, PASSWORD, "203.0.113.1", now=T0, user_agent="Firefox")
    phone = auth.sign_in(session, EMAIL, PASSWORD, "198.51.100.2", now=T0 + timedelta(minutes=5), user_agent="Phone")
    auth.sign_in(session, EMAIL, PASSWORD, "198.51.100.3", now=T0 + timedelta(minutes=6), user_agent="Tablet")
    other = auth.create_editor(session, "bea@example.org", PASSWORD)
    session.commit()
    theirs = auth.sign_in(session, "bea@example.org", PASSWORD, "198.51.100.4", now=T0)
    views = accounts.sessions_of(session, editor.id, auth.token_hash(current), now=T0 + timedelta(minutes=7))
    assert [(view.user_agent, view.is_current) for view in views] == [
        ("Firefox", True),
        ("Tablet", False),
        ("Phone", False),
    ]
    their_id = accounts.sessions_of(session, other.id, auth.token_hash(theirs), now=T0)[0].id
    assert not accounts.sign_out_session(session, editor.id, their_id), "another editor's session is not one's own"
    phone_id = next(view.id for view in views if view.user_agent == "Phone")
    assert accounts.sign_out_session(session, editor.id, phone_id)
    session.commit()
    with pytest.raises(auth.NotAuthorised):
        auth.editor_for_token(session, phone, now=T0 + timedelta(minutes=7))
    assert accounts.sign_out_others(session, editor.id, auth.token_hash(current)) == 1
    session.commit()
    remaining = accounts.sessions_of(session, editor.id, auth.token_hash(current), now=T0 + timedelta(minutes=7))
    assert [view.user_agent for view in remaining] == ["Firefox"]
    assert auth.editor_for_token(session, theirs, now=T0).email == "bea@example.org"
