"""Guessing an account's password is slowed across every address, and its owner is never locked out by it."""

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from vws_app.models import Editor
from vws_app.services import auth, sign_in_limits
from vws_app.services.auth import AccountLocked, InvalidCredentials

PASSWORD = "correct horse battery"
EMAIL = "ana@example.org"
T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Real argon2 with cheap parameters: these tests check the limits, not hashing cost."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def editor(session) -> Editor:
    created = auth.create_editor(session, EMAIL, PASSWORD)
    session.commit()
    return created


def guess_from_many_addresses(session, count: int, start=T0) -> datetime:
    """`count` wrong guesses, each from a new address (so no per-address lock ever trips)."""
    moment = start
    for attempt in range(count):
        moment = start + timedelta(seconds=attempt)
        with pytest.raises(InvalidCredentials):
            auth.sign_in(session, EMAIL, "wrong guess 12345", f"198.51.100.{attempt}", now=moment)
    return moment


def known_device(session, now=T0 - timedelta(days=1)) -> str:
    """What the owner's browser holds after signing in once: a known-device token for the account."""
    assert auth.sign_in(session, EMAIL, PASSWORD, "192.0.2.1", now=now)
    return sign_in_limits.issue_device_token(EMAIL, now)


def test_guesses_from_many_addresses_close_the_account_to_unknown_clients(session, editor):
    last = guess_from_many_addresses(session, sign_in_limits.ACCOUNT_FAILURE_BUDGET)
    with pytest.raises(AccountLocked) as locked:
        auth.sign_in(session, EMAIL, PASSWORD, "203.0.113.200", now=last + timedelta(seconds=1))
    assert 1 <= locked.value.retry_after_minutes <= 15


def test_fewer_guesses_than_the_budget_leave_the_account_open(session, editor):
    last = guess_from_many_addresses(session, sign_in_limits.ACCOUNT_FAILURE_BUDGET - 1)
    assert auth.sign_in(session, EMAIL, PASSWORD, "203.0.113.200", now=last + timedelta(seconds=1))


def test_the_budget_reopens_once_the_guesses_age_out_of_the_window(session, editor):
    guess_from_many_addresses(session, sign_in_limits.ACCOUNT_FAILURE_BUDGET)
    later = T0 + sign_in_limits.FAILURE_WINDOW + timedelta(minutes=1)
    assert auth.sign_in(session, EMAIL, PASSWORD, "203.0.113.200", now=later)


def test_attempts_while_closed_are_not_recorded_so_they_do_not_extend_it(session, editor):
    last = guess_from_many_addresses(session, sign_in_limits.ACCOUNT_FAILURE_BUDGET)
    for attempt in range(20):
        with pytest.raises(AccountLocked):
            auth.sign_in(session, EMAIL, "wrong guess 12345", f"203.0.113.{attempt}", now=last + timedelta(seconds=1))
    assert auth.sign_in(
        session, EMAIL, PASSWORD, "203.0.113.250", now=T0 + sign_in_limits.FAILURE_WINDOW + timedelta(minutes=1)
    )


def test_the_owner_with_a_known_device_gets_in_while_the_account_is_closed_to_others(session, editor):
    device = known_device(session)
    last = guess_from_many_addresses(session, sign_in_limits.ACCOUNT_FAILURE_BUDGET)
    with pytest.raises(AccountLocked):
        auth.sign_in(session, EMAIL, PASSWORD, "198.51.100.7", now=last)
    assert auth.sign_in(session, EMAIL, PASSWORD, "198.51.100.7", now=last, device_token=device)


def test_a_shared_address_locked_by_a_stranger_does_not_lock_the_owners_known_device(session, editor):
    shared = "203.0.113.50"
    for attempt in range(sign_in_limits.MAX_FAILED_SIGN_INS):
        with pytest.raises(InvalidCredentials):
            auth.sign_in(session, EMAIL, "wrong guess 12345", shared, now=T0 + timedelta(seconds=attempt))
    with pytest.raises(AccountLocked):
        auth.sign_in(session, EMAIL, PASSWORD, shared, now=T0 + timedelta(seconds=10))
    assert auth.sign_in(
        session, EMAIL, PASSWORD, shared, now=T0 + timedelta(seconds=11), device_token=known_device(session)
    )


def test_a_known_device_still_gets_only_five_wrong_guesses(session, editor):
    device = known_device(session)
    for attempt in range(sign_in_limits.MAX_FAILED_SIGN_INS):
        with pytest.raises(InvalidCredentials):
            auth.sign_in(
                session,
                EMAIL,
                "wrong guess 12345",
                "198.51.100.7",
                now=T0 + timedelta(seconds=attempt),
                device_token=device,
            )
    with pytest.raises(AccountLocked):
        auth.sign_in(session, EMAIL, PASSWORD, "198.51.100.8", now=T0 + timedelta(seconds=10), device_token=device)


@pytest.mark.parametrize("tampering", ["other account", "forged signature", "expired", "garbage"])
def test_a_device_token_counts_only_for_its_account_signed_and_unexpired(tampering):
    token = sign_in_limits.issue_device_token(EMAIL, T0)
    assert sign_in_limits.known_device_id(token, EMAIL, T0 + timedelta(days=1))
    email, now = EMAIL, T0 + timedelta(days=1)
    if tampering == "other account":
        email = "someone@example.org"
    elif tampering == "forged signature":
        token = token[:-4] + ("0000" if not token.endswith("0000") else "1111")
    elif tampering == "expired":
        now = T0 + sign_in_limits.DEVICE_LIFETIME + timedelta(days=1)
    else:
        token = "not.a.device.token"
    assert sign_in_limits.known_device_id(token, email, now) is None


def test_a_device_token_signed_with_another_deployments_secret_is_refused(monkeypatch):
    token = sign_in_limits.issue_device_token(EMAIL, T0)
    monkeypatch.setenv("VWS_SECRET_KEY", "another deployment's secret")
    assert sign_in_limits.known_device_id(token, EMAIL, T0) is None


def test_a_device_token_does_not_reveal_the_account():
    token = sign_in_limits.issue_device_token(EMAIL, T0)
    assert EMAIL not in token and EMAIL.split("@")[1] not in token
