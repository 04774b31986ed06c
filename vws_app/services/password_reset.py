"""A forgotten password: a one-time link by e-mail (through the outbox), valid one hour, that ends every session.

Asking never says whether the address is an editor's: the answer is the same and only an
editor's address gets a mail. The token is random; only its SHA-256 is stored, and the mail
is queued in the same transaction as the token's row. Setting the password with it uses the
link up, ends every session of the account and any pending sign-in, and leaves two-factor
sign-in as it was (a reset password alone still needs the code).
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from vws_app.models import Editor, PasswordResetToken, PendingSignIn, as_utc, utc_now
from vws_app.services import auth, outbox
from vws_app.services.row_ids import id_of
from vws_app.settings import site_url

LINK_LIFETIME = timedelta(hours=1)
RESEND_AFTER = timedelta(minutes=2)  # a second request within this sends nothing more
RESET_PATH = "/admin/reset"
TEMPLATE = "password_reset"


class ResetLinkInvalid(auth.AuthError):
    """The link is unknown, used already or older than LINK_LIFETIME."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_url(token: str) -> str:
    """The link in the mail: a page with the form (opening it changes nothing)."""
    return f"{site_url()}{RESET_PATH}?t={token}"


def request_reset(session: Session, email: str, language: str, now: datetime | None = None) -> None:
    """Queue a reset mail when `email` is an active editor's; otherwise do nothing, visibly the same. Commits."""
    now = as_utc(now) if now else utc_now()
    editor = session.exec(select(Editor).where(Editor.email == auth.normalise_email(email))).first()
    if editor is None or not editor.is_active:
        return
    recent = session.exec(
        select(PasswordResetToken.created_at)
        .where(
            col(PasswordResetToken.editor_id) == editor.id,
            col(PasswordResetToken.used_at).is_(None),
        )
        .order_by(col(PasswordResetToken.created_at).desc())
    ).first()
    if recent is not None and now - as_utc(recent) < RESEND_AFTER:
        return
    session.exec(delete(PasswordResetToken).where(col(PasswordResetToken.editor_id) == editor.id))
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordResetToken(
            token_hash=_hash(token), editor_id=id_of(editor), created_at=now, expires_at=now + LINK_LIFETIME
        )
    )
    outbox.enqueue(
        session,
        kind="password_reset",
        to=editor.email,
        language=language,
        template=TEMPLATE,
        context={"reset_url": reset_url(token), "valid_minutes": int(LINK_LIFETIME.total_seconds() // 60)},
    )
    session.commit()


def _usable(session: Session, token: str, now: datetime) -> PasswordResetToken:
    row = session.exec(select(PasswordResetToken).where(PasswordResetToken.token_hash == _hash(token or ""))).first()
    if row is None or row.used_at is not None or now >= as_utc(row.expires_at) or len(token) > 200:
        raise ResetLinkInvalid("this link is unknown, used or expired")
    return row


def check_link(session: Session, token: str, now: datetime | None = None) -> None:
    """Whether the link may still be used; changes nothing.

    Raises:
        ResetLinkInvalid: unknown, used or expired.
    """
    _usable(session, token, as_utc(now) if now else utc_now())


def reset_password(session: Session, token: str, new_password: str, now: datetime | None = None) -> int:
    """Set the password with a link: it is used up and every session of the account ends; how many ended. Commits.

    Raises:
        ResetLinkInvalid: unknown, used or expired.
        auth.WeakPassword: the new password breaks the rules (the link stays usable).
    """
    now = as_utc(now) if now else utc_now()
    row = _usable(session, token, now)
    editor = session.get(Editor, row.editor_id)
    if editor is None or not editor.is_active:
        raise ResetLinkInvalid("the account is disabled")
    auth.check_password_policy(new_password, editor.email)
    editor.password_hash = auth.hash_password(new_password)
    row.used_at = now
    session.add_all([editor, row])
    ended = auth.end_sessions_of(session, id_of(editor))
    session.exec(delete(PendingSignIn).where(col(PendingSignIn.editor_id) == editor.id))
    session.commit()
    return ended
