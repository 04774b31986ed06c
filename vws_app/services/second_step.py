"""The step between a right password and a session: a short-lived pending sign-in that waits for a code.

After the password, the browser gets a random token (an HttpOnly cookie; only its hash is
stored) valid for PENDING_LIFETIME. The code is checked under the same limits as passwords:
a wrong code is a failure of that account from that client, so guessed codes lock out as
guessed passwords do, and knowing the password does not reset the count.
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from vws_app.models import Editor, PendingSignIn, as_utc, utc_now
from vws_app.services import auth, sign_in_limits, two_factor
from vws_app.services.row_ids import id_of

PENDING_LIFETIME = timedelta(minutes=5)


class PendingExpired(auth.AuthError):
    """No pending sign-in for this browser, or it is too old: start again with the password."""


def start(session: Session, editor: Editor, now: datetime | None = None, user_agent: str = "") -> str:
    """A pending sign-in for `editor` after a right password; its token (only the hash is stored). Commits."""
    now = as_utc(now) if now else utc_now()
    session.exec(delete(PendingSignIn).where(col(PendingSignIn.expires_at) <= now))
    token = secrets.token_urlsafe(32)
    session.add(
        PendingSignIn(
            token_hash=auth.token_hash(token),
            editor_id=id_of(editor),
            user_agent=(user_agent or "")[: auth.USER_AGENT_MAX_LENGTH],
            expires_at=now + PENDING_LIFETIME,
        )
    )
    session.commit()
    return token


def _pending(session: Session, token: str, now: datetime) -> tuple[PendingSignIn, Editor]:
    row = session.exec(select(PendingSignIn).where(PendingSignIn.token_hash == auth.token_hash(token or ""))).first()
    editor = session.get(Editor, row.editor_id) if row else None
    if row is None or editor is None or not editor.is_active or now >= as_utc(row.expires_at):
        raise PendingExpired("sign in again")
    return row, editor


def complete(
    session: Session,
    token: str,
    code: str,
    client_key: str,
    now: datetime | None = None,
    device_token: str = "",
) -> tuple[Editor, str]:
    """The editor and a new session token, when `code` is right for the pending sign-in of `token`. Commits.

    Raises:
        PendingExpired: no such pending sign-in, or it ran out (start again).
        auth.AccountLocked: this client (or unknown clients, for the account) failed too often.
        two_factor.WrongCode: neither a fresh authenticator code nor an unused recovery code (counted as a failure).
    """
    now = as_utc(now) if now else utc_now()
    row, editor = _pending(session, token, now)
    known = sign_in_limits.known_device_id(device_token, editor.email, now) is not None
    client_hash = auth.client_hash_for(editor.email, client_key, device_token, now)
    auth.check_limits(session, editor.email, client_hash, known, now)
    if not two_factor.verify_code(session, id_of(editor), code, now):
        sign_in_limits.record_failure(session, editor.email, client_hash, now)
        raise two_factor.WrongCode("the code is wrong")
    user_agent = row.user_agent
    session.delete(row)
    return editor, auth.finish_sign_in(session, editor, client_key, now, device_token, user_agent)


def cancel(session: Session, token: str) -> None:
    """Forget a pending sign-in (after a lockout, say). Commits."""
    session.exec(delete(PendingSignIn).where(col(PendingSignIn.token_hash) == auth.token_hash(token or "")))
    session.commit()
