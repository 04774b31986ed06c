"""Two-factor sign-in as a service: enrolment, codes once only, recovery codes once, lockout on guessed codes."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlmodel import Session, select

from vws_app.models import EditorSession, EditorTotp, PendingSignIn, RecoveryCode
from vws_app.services import auth, second_step, sign_in_limits, two_factor

PASSWORD = "correct horse battery"
EMAIL = "ana@example.org"
CLIENT = "203.0.113.7"
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


def enrol(session, editor, now=T0) -> tuple[str, list[str]]:
    """Enrolled as a person would: a secret, then a code computed from it; (secret, recovery codes)."""
    secret = two_factor.start_enrolment(session, editor)
    codes = two_factor.confirm_enrolment(session, editor, pyotp.TOTP(secret).at(now), now=now)
    return secret, codes


def password_step(session, now):
    """The password accepted for an account with a second factor: a pending sign-in's token."""
    editor = auth.check_password(session, EMAIL, PASSWORD, CLIENT, now=now)
    return second_step.start(session, editor, now=now, user_agent="Test browser")


def test_enrolment_needs_a_code_from_the_new_secret_before_it_is_on(session, editor):
    secret = two_factor.start_enrolment(session, editor)
    assert len(secret) >= 32 and not two_factor.is_enabled(session, editor.id)
    with pytest.raises(two_factor.WrongCode):
        two_factor.confirm_enrolment(session, editor, guess(secret, T0, 1), now=T0)
    assert not two_factor.is_enabled(session, editor.id)
    codes = two_factor.confirm_enrolment(session, editor, pyotp.TOTP(secret).at(T0), now=T0)
    assert two_factor.is_enabled(session, editor.id) and len(set(codes)) == two_factor.RECOVERY_CODE_COUNT
    stored = [row.code_hash for row in session.exec(select(RecoveryCode)).all()]
    assert len(stored) == 10 and not set(codes) & set(stored), "recovery codes are stored hashed"
    with pytest.raises(two_factor.NotEnrolling):
        two_factor.start_enrolment(session, editor)


def test_with_two_factor_on_the_password_alone_opens_no_session(session, editor):
    enrol(session, editor)
    with pytest.raises(auth.SecondFactorRequired):
        auth.sign_in(session, EMAIL, PASSWORD, CLIENT, now=T0)
    assert session.exec(select(EditorSession)).all() == []


def test_sign_in_with_password_and_code_opens_a_session_and_the_code_cannot_be_replayed(session, editor):
    secret, _codes = enrol(session, editor)
    later = T0 + timedelta(minutes=3)
    code = pyotp.TOTP(secret).at(later)
    signed_in, token = second_step.complete(session, password_step(session, later), code, CLIENT, now=later)
    assert signed_in.id == editor.id and auth.editor_for_token(session, token, now=later).email == EMAIL
    assert session.exec(select(PendingSignIn)).all() == [], "the pending sign-in is used up"
    assert session.exec(select(EditorSession)).one().user_agent == "Test browser"
    with pytest.raises(two_factor.WrongCode):  # the same code, within its window, on a new attempt
        second_step.complete(session, password_step(session, later), code, CLIENT, now=later + timedelta(seconds=20))


def test_a_recovery_code_works_once(session, editor):
    _secret, codes = enrol(session, editor)
    later = T0 + timedelta(hours=1)
    second_step.complete(session, password_step(session, later), codes[0].upper(), CLIENT, now=later)
    with pytest.raises(two_factor.WrongCode):
        second_step.complete(session, password_step(session, later), codes[0], CLIENT, now=later)
    assert two_factor.recovery_codes_left(session, editor.id) == 9


def test_guessed_codes_lock_the_client_out_and_a_right_password_does_not_reset_the_count(session, editor):
    secret, _codes = enrol(session, editor)
    moment = T0 + timedelta(minutes=10)
    for attempt in range(sign_in_limits.MAX_FAILED_SIGN_INS):
        pending = password_step(session, moment)  # the password again each time: still counted
        with pytest.raises(two_factor.WrongCode):
            second_step.complete(session, pending, guess(secret, moment, attempt), CLIENT, now=moment)
        moment += timedelta(seconds=5)
    with pytest.raises(auth.AccountLocked):
        auth.check_password(session, EMAIL, PASSWORD, CLIENT, now=moment)
    editor_row = auth.check_password(session, EMAIL, PASSWORD, "198.51.100.1", now=moment)  # another client may try
    pending = second_step.start(session, editor_row, now=moment)
    with pytest.raises(auth.AccountLocked):  # but the locked client cannot send a code, even the right one
        second_step.complete(session, pending, pyotp.TOTP(secret).at(moment), CLIENT, now=moment)


def test_a_pending_sign_in_expires(session, editor):
    secret, _codes = enrol(session, editor)
    pending = password_step(session, T0)
    late = T0 + second_step.PENDING_LIFETIME + timedelta(seconds=1)
    with pytest.raises(second_step.PendingExpired):
        second_step.complete(session, pending, pyotp.TOTP(secret).at(late), CLIENT, now=late)
    with pytest.raises(second_step.PendingExpired):
        second_step.complete(session, "made-up", pyotp.TOTP(secret).at(T0), CLIENT, now=T0)


def test_the_policy_sends_editors_without_a_second_factor_to_enrol(session, editor):
    assert not two_factor.must_enrol(session, editor.id)
    two_factor.set_required(session, True)
    session.commit()
    assert two_factor.must_enrol(session, editor.id)
    enrol(session, editor)
    assert not two_factor.must_enrol(session, editor.id)


def guess(secret: str, moment: datetime, attempt: int) -> str:
    """A six-digit code that is certainly not one the authenticator accepts at `moment`."""
    valid = {pyotp.TOTP(secret).at(moment + timedelta(seconds=30 * offset)) for offset in (-1, 0, 1)}
    return next(
        candidate for candidate in (f"{attempt:06d}", f"{attempt + 500000:06d}", "999999") if candidate not in valid
    )


def test_two_requests_racing_with_the_same_code_cannot_both_pass(session, engine, editor):
    """The second request read the authenticator's row before the first one used the code."""
    secret, _codes = enrol(session, editor)
    later = T0 + timedelta(minutes=2)
    code = pyotp.TOTP(secret).at(later)
    with Session(engine) as racing:
        assert racing.get(EditorTotp, editor.id).last_used_step < pyotp.TOTP(secret).timecode(later)  # read first
        assert two_factor.verify_code(session, editor.id, code, now=later)
        assert not two_factor.verify_code(racing, editor.id, code, now=later)
