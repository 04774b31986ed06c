"""How fast an account may be guessed at: per client, per account across clients, and the owner's known devices.

Two limits hold together. Per (account, client): MAX_FAILED_SIGN_INS failures lock that pair.
Per account across every client: ACCOUNT_FAILURE_BUDGET failures in FAILURE_WINDOW close the
account to clients it does not know, so guessing from many addresses stays slow. A browser
that signed in to the account before carries a signed "known device" token: it is its own
client (not its address, so sharing an address locks nothing) and the account-wide budget
does not apply to it, so a third party cannot lock the owner out.
"""

import hashlib
import hmac
import math
import os
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from vws_app.models import SignInFailure, as_utc

MAX_FAILED_SIGN_INS = 5
ACCOUNT_FAILURE_BUDGET = 10
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT_DURATION = timedelta(minutes=15)
DEVICE_LIFETIME = timedelta(days=180)
DEVICE_PREFIX = "device:"  # a client key that names a known device rather than an address


def secret_key() -> str:
    """The deployment's secret (`VWS_SECRET_KEY`); a fixed value on a laptop."""
    return os.environ.get("VWS_SECRET_KEY", "vws-default-salt")


def hash_client_key(client_key: str) -> str:
    """A salted hash of the client (its address or device): enough to count, not to identify."""
    return hashlib.sha256(f"{secret_key()}:sign-in:{client_key}".encode()).hexdigest()


def _signature(payload: str) -> str:
    return hmac.new(secret_key().encode(), f"known-device:{payload}".encode(), hashlib.sha256).hexdigest()


def _account_tag(email: str) -> str:
    """The account, as a device token names it: keyed, so the token does not reveal the address."""
    return _signature(f"account:{email}")[:32]


def issue_device_token(email: str, now: datetime) -> str:
    """A new known-device token for the account `email` (normalised), signed with the secret."""
    payload = f"{secrets.token_urlsafe(16)}.{_account_tag(email)}.{int(as_utc(now).timestamp())}"
    return f"{payload}.{_signature(payload)}"


def known_device_id(token: str, email: str, now: datetime) -> str | None:
    """The device id of a valid, unexpired token issued for `email`, else None."""
    parts = (token or "").split(".")
    if len(parts) != 4:
        return None
    device_id, account, issued, signature = parts
    payload = f"{device_id}.{account}.{issued}"
    if not hmac.compare_digest(signature, _signature(payload)) or account != _account_tag(email):
        return None
    if not issued.isdigit() or as_utc(now).timestamp() - int(issued) > DEVICE_LIFETIME.total_seconds():
        return None
    return device_id


def _minutes_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds() / 60))


def client_lock_minutes(session: Session, email: str, client_hash: str, now: datetime) -> int:
    """Minutes until this client may try this account again; 0 when it is not locked.

    Locked when the last MAX_FAILED_SIGN_INS failures fall within FAILURE_WINDOW; the lock runs
    LOCKOUT_DURATION from the last of them (attempts while locked are not recorded, so they
    don't extend it).
    """
    recent = session.exec(
        select(SignInFailure.created_at)
        .where(
            SignInFailure.email == email,
            SignInFailure.client_hash == client_hash,
            SignInFailure.created_at > now - FAILURE_WINDOW - LOCKOUT_DURATION,
        )
        .order_by(col(SignInFailure.created_at).desc())
        .limit(MAX_FAILED_SIGN_INS)
    ).all()
    if len(recent) < MAX_FAILED_SIGN_INS:
        return 0
    newest, oldest = as_utc(recent[0]), as_utc(recent[-1])
    locked_until = newest + LOCKOUT_DURATION
    if newest - oldest > FAILURE_WINDOW or now >= locked_until:
        return 0
    return _minutes_until(locked_until, now)


def account_budget_minutes(session: Session, email: str, now: datetime) -> int:
    """Minutes until unknown clients may try this account again; 0 while its budget lasts.

    The budget is ACCOUNT_FAILURE_BUDGET failures from all clients within FAILURE_WINDOW; it
    reopens as the oldest of them ages out of the window.
    """
    since = now - FAILURE_WINDOW
    count = session.exec(
        select(func.count())
        .select_from(SignInFailure)
        .where(SignInFailure.email == email, SignInFailure.created_at > since)
    ).one()
    if count < ACCOUNT_FAILURE_BUDGET:
        return 0
    oldest_counted = session.exec(
        select(SignInFailure.created_at)
        .where(SignInFailure.email == email, SignInFailure.created_at > since)
        .order_by(col(SignInFailure.created_at).desc())
        .offset(ACCOUNT_FAILURE_BUDGET - 1)
        .limit(1)
    ).first()
    assert oldest_counted is not None  # the count above says there is one
    return _minutes_until(as_utc(oldest_counted) + FAILURE_WINDOW, now)


def record_failure(session: Session, email: str, client_hash: str, now: datetime) -> None:
    """Store one failure and drop this pair's failures too old to count any more. Commits."""
    session.exec(
        delete(SignInFailure).where(
            col(SignInFailure.email) == email,
            col(SignInFailure.client_hash) == client_hash,
            col(SignInFailure.created_at) <= now - FAILURE_WINDOW - LOCKOUT_DURATION,
        )
    )
    session.add(SignInFailure(email=email, client_hash=client_hash, created_at=now))
    session.commit()


def forget_failures(session: Session, email: str, client_hash: str) -> None:
    """A success clears this client's failures for the account (not other clients'). Does not commit."""
    session.exec(
        delete(SignInFailure).where(col(SignInFailure.email) == email, col(SignInFailure.client_hash) == client_hash)
    )


def purge_old_failures(session: Session, now: datetime) -> int:
    """Delete failures too old to count for any limit; how many. Does not commit."""
    return session.exec(
        delete(SignInFailure).where(col(SignInFailure.created_at) <= now - FAILURE_WINDOW - LOCKOUT_DURATION)
    ).rowcount
