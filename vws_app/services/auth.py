"""Editors' authentication: password hashing, sign-in with lockout, sessions and roles."""

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from vws_app.models import Editor, EditorRole, EditorSession, PasswordResetToken, PendingSignIn, as_utc, utc_now
from vws_app.services import passwords, two_factor
from vws_app.services import sign_in_limits as limits
from vws_app.services.row_ids import id_of
from vws_app.services.sign_in_limits import hash_client_key  # noqa: F401 - part of this module's interface

PASSWORD_MIN_LENGTH = passwords.MIN_LENGTH
PASSWORD_MAX_LENGTH = passwords.MAX_LENGTH
USER_AGENT_MAX_LENGTH = 300
SESSION_IDLE_TIMEOUT = timedelta(hours=2)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_SLIDE_GRANULARITY = timedelta(minutes=1)  # don't write last_seen_at on every click

PASSWORD_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (t=3, 64 MiB, p=4)


class AuthError(Exception):
    """Base of every error this module raises."""


class InvalidCredentials(AuthError):
    """Wrong email or password (deliberately not saying which)."""

    def __init__(self):
        super().__init__("email or password is wrong")


class AccountLocked(AuthError):
    """Too many failed sign-ins for this account from this client, or from everywhere; try again later."""

    def __init__(self, retry_after_minutes: int):
        super().__init__(f"too many failed sign-ins; try again in {retry_after_minutes} minutes")
        self.retry_after_minutes = retry_after_minutes


class NotAuthorised(AuthError):
    """No valid session, an inactive editor, or a role too low for the action."""


class SessionExpired(NotAuthorised):
    """The session existed but timed out; a NotAuthorised, so one `except` covers both."""


class WeakPassword(AuthError):
    """The password breaks the rules of `passwords`; `reason` is one of its codes (too_short, common, …)."""

    def __init__(self, message: str, reason: str = passwords.TOO_SHORT):
        super().__init__(message)
        self.reason = reason


class SecondFactorRequired(AuthError):
    """The password was right, but this account signs in with a code too (see `server/admin_auth.py`)."""


class InvalidEditorEmail(AuthError):
    """The editor's email address is not a valid address."""


class EditorExists(AuthError):
    """An editor with this email is already on file."""


_WEAK_PASSWORD_TEXT = {  # for the command line; the admin shows passwords.MESSAGE_KEYS from the catalogues
    passwords.TOO_SHORT: f"a password needs at least {PASSWORD_MIN_LENGTH} characters",
    passwords.TOO_LONG: f"a password may have at most {PASSWORD_MAX_LENGTH} characters",
    passwords.TOO_COMMON: "this password is one of the most common ones; choose another",
    passwords.IS_EMAIL: "a password may not be the account's e-mail address",
}


def check_password_policy(password: str, email: str = "") -> None:
    """Accept `password` for the account `email`, new or changed, or say why not (`services/passwords.py`).

    Raises:
        WeakPassword: too short, too long, one of the most common passwords, or the e-mail itself.
    """
    reason = passwords.password_problem(password, email)
    if reason:
        raise WeakPassword(_WEAK_PASSWORD_TEXT[reason], reason)


def hash_password(password: str) -> str:
    """The argon2id hash of `password`, salt and parameters included; the only form stored."""
    return PASSWORD_HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`; a malformed hash never matches."""
    try:
        return PASSWORD_HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than ours (then rehash on sign-in)."""
    return PASSWORD_HASHER.check_needs_rehash(password_hash)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash to verify against for unknown emails, so they take as long as known ones."""
    return hasher.hash(secrets.token_urlsafe(16))


def normalise_email(email: str) -> str:
    """The form emails are stored and looked up in: trimmed and lower-case."""
    return (email or "").strip().lower()


def _editor_by_email(session: Session, email: str) -> Editor | None:
    return session.exec(select(Editor).where(Editor.email == normalise_email(email))).first()


def parse_role(role: str) -> str:
    """`role` as stored; ValueError for anything that is not an EditorRole (a programming error)."""
    return EditorRole(role).value


def create_editor(session: Session, email: str, password: str, role: str = "editor", display_name: str = "") -> Editor:
    """Add an editor with a hashed password. Flushes but does not commit: the caller commits
    together with its audit entry.

    Raises:
        InvalidEditorEmail: the address is not valid.
        WeakPassword: the password breaks the policy.
        EditorExists: the email is taken (the session then needs a rollback if a flush failed).
        ValueError: `role` is not 'admin' or 'editor'.
    """
    address = normalise_email(email)
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEditorEmail(str(error)) from error
    check_password_policy(password, address)
    role = parse_role(role)
    if _editor_by_email(session, address) is not None:
        raise EditorExists(f"an editor with email {address} already exists")
    password_hash = hash_password(password)
    editor = Editor(email=address, display_name=display_name.strip(), password_hash=password_hash, role=role)
    session.add(editor)
    try:
        session.flush()
    except IntegrityError as error:  # another process added the same email meanwhile
        raise EditorExists(f"an editor with email {address} already exists") from error
    return editor


def sign_in(
    session: Session,
    email: str,
    password: str,
    client_key: str,
    now: datetime | None = None,
    device_token: str = "",
    user_agent: str = "",
) -> str:
    """Check the credentials and open a session; returns its token (only its hash is stored).

    For an account without two-factor sign-in; see `check_password` for the rest. Commits.

    Raises:
        AccountLocked, InvalidCredentials: as `check_password`.
        SecondFactorRequired: the account also needs a code (`server/admin_auth.py` asks for it).
    """
    now = as_utc(now) if now else utc_now()
    editor = check_password(session, email, password, client_key, now=now, device_token=device_token)
    if two_factor.is_enabled(session, id_of(editor)):
        session.commit()
        raise SecondFactorRequired("this account signs in with a code too")
    return finish_sign_in(session, editor, client_key, now, device_token, user_agent)


def finish_sign_in(
    session: Session,
    editor: Editor,
    client_key: str,
    now: datetime,
    device_token: str = "",
    user_agent: str = "",
) -> str:
    """After every factor was right: forget this client's failures and open a session; its token. Commits."""
    limits.forget_failures(session, editor.email, client_hash_for(editor.email, client_key, device_token, now))
    return open_editor_session(session, editor, now, user_agent)


def client_hash_for(email: str, client_key: str, device_token: str, now: datetime) -> str:
    """The client as the limits count it: the known device for this account, else the address."""
    device_id = limits.known_device_id(device_token, normalise_email(email), now)
    return hash_client_key(f"{limits.DEVICE_PREFIX}{device_id}" if device_id else client_key)


def check_limits(session: Session, email: str, client_hash: str, known_device: bool, now: datetime) -> None:
    """Refuse before any secret is checked while this client, or the account, is locked.

    Raises:
        AccountLocked: MAX_FAILED_SIGN_INS failures from this client within FAILURE_WINDOW,
            or the account's budget spent by clients it does not know.
    """
    minutes_left = limits.client_lock_minutes(session, email, client_hash, now)
    if not minutes_left and not known_device:
        minutes_left = limits.account_budget_minutes(session, email, now)
    if minutes_left:
        raise AccountLocked(minutes_left)


def check_password(
    session: Session,
    email: str,
    password: str,
    client_key: str,
    now: datetime | None = None,
    device_token: str = "",
) -> Editor:
    """The active editor whose password this is, under the sign-in limits; does not commit a success.

    `client_key` is the client's address; `device_token` the known-device token the browser
    holds, if any (see `sign_in_limits`): a valid one for this account makes the device the
    client and exempts it from the account-wide budget. Unknown emails and inactive editors
    fail exactly like a wrong password, after as much hashing work. Failures are committed;
    they are forgotten only once every factor is right, so a known password does not reset
    the count of guessed codes.

    Raises:
        AccountLocked: see `check_limits`; checked before the password, so even the right one waits.
        InvalidCredentials: unknown email, wrong password or inactive editor.
    """
    now = as_utc(now) if now else utc_now()
    email = normalise_email(email)
    known = limits.known_device_id(device_token, email, now) is not None
    client_hash = client_hash_for(email, client_key, device_token, now)
    check_limits(session, email, client_hash, known, now)
    editor = _editor_by_email(session, email)
    if len(password) > PASSWORD_MAX_LENGTH:
        matches = False
    else:  # unknown emails cost the same hashing work as known ones
        matches = verify_password(editor.password_hash if editor else _dummy_hash(PASSWORD_HASHER), password)
    if editor is None or not matches or not editor.is_active:
        limits.record_failure(session, email, client_hash, now)
        raise InvalidCredentials()
    if password_needs_rehash(editor.password_hash):
        editor.password_hash = hash_password(password)
        session.add(editor)
    return editor


def open_editor_session(session: Session, editor: Editor, now: datetime, user_agent: str = "") -> str:
    """A new session for `editor`, who has proven who they are (every factor); its token. Commits."""
    token = secrets.token_urlsafe(32)
    session.add(
        EditorSession(
            token_hash=token_hash(token),
            editor_id=id_of(editor),
            created_at=now,
            last_seen_at=now,
            expires_at=_session_ends_at(now, now),
            user_agent=(user_agent or "")[:USER_AGENT_MAX_LENGTH],
        )
    )
    session.commit()
    return token


def token_hash(token: str) -> str:
    """What is stored of a session token (and all a browser's state keeps of it): its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def _session_ends_at(created_at: datetime, last_seen_at: datetime) -> datetime:
    """When a session stops being valid: idle timeout or absolute timeout, whichever is first."""
    return min(as_utc(last_seen_at) + SESSION_IDLE_TIMEOUT, as_utc(created_at) + SESSION_ABSOLUTE_TIMEOUT)


def editor_for_token(session: Session, token: str, now: datetime | None = None) -> Editor:
    """The active editor a session token belongs to; slides the idle timeout. Commits.

    Raises:
        SessionExpired: the session timed out (its row is deleted).
        NotAuthorised: no token, an unknown one, or the editor is no longer active.
    """
    if not token:
        raise NotAuthorised("not signed in")
    return editor_for_token_hash(session, token_hash(token), now=now)


def editor_for_token_hash(session: Session, hashed_token: str, now: datetime | None = None) -> Editor:
    """As `editor_for_token`, given only the token's hash (all a browser's server-side state keeps).

    Raises:
        SessionExpired: the session timed out (its row is deleted).
        NotAuthorised: no hash, an unknown one, or the editor is no longer active.
    """
    now = as_utc(now) if now else utc_now()
    if not hashed_token:
        raise NotAuthorised("not signed in")
    row = session.exec(select(EditorSession).where(EditorSession.token_hash == hashed_token)).first()
    if row is None:
        raise NotAuthorised("not signed in")
    if now >= _session_ends_at(row.created_at, row.last_seen_at):
        session.delete(row)
        session.commit()
        raise SessionExpired("the session has expired; sign in again")
    editor = session.get(Editor, row.editor_id)
    if editor is None or not editor.is_active:
        raise NotAuthorised("this editor account is disabled")
    if now - as_utc(row.last_seen_at) >= SESSION_SLIDE_GRANULARITY:
        row.last_seen_at = now
        row.expires_at = _session_ends_at(row.created_at, now)
        session.add(row)
        session.commit()
        session.refresh(editor)
    return editor


def require_editor(session: Session, token: str, role: str | None = None, now: datetime | None = None) -> Editor:
    """The signed-in editor of session `token`, if they hold `role` (see `require_editor_by_hash`).

    Raises:
        NotAuthorised: no valid session (SessionExpired when it timed out), or role too low.
        ValueError: `role` is not an EditorRole.
    """
    return require_editor_by_hash(session, token_hash(token) if token else "", role, now=now)


def require_editor_by_hash(
    session: Session, hashed_token: str, role: str | None = None, now: datetime | None = None
) -> Editor:
    """The one check every admin handler makes: the signed-in editor, if they hold `role`.

    `role=None` or 'editor' admits any active editor; 'admin' admits admins only.

    Raises:
        NotAuthorised: no valid session (SessionExpired when it timed out), or role too low.
        ValueError: `role` is not an EditorRole.
    """
    needed = parse_role(role) if role is not None else None
    editor = editor_for_token_hash(session, hashed_token, now=now)
    if needed == EditorRole.ADMIN.value and editor.role != EditorRole.ADMIN.value:
        raise NotAuthorised("this needs an admin")
    return editor


def end_sessions_of(session: Session, editor_id: int) -> int:
    """Delete every session of an editor; how many. Does not commit (see `sign_out_everywhere`)."""
    return session.exec(delete(EditorSession).where(col(EditorSession.editor_id) == editor_id)).rowcount


def sign_out(session: Session, token: str) -> None:
    """End the session of `token`, if there is one. Commits."""
    session.exec(delete(EditorSession).where(col(EditorSession.token_hash) == token_hash(token or "")))
    session.commit()


def sign_out_everywhere(session: Session, editor_id: int) -> int:
    """End every session of an editor (after a password change, say); how many. Commits."""
    count = end_sessions_of(session, editor_id)
    session.commit()
    return count


def purge_stale_rows(session: Session, now: datetime | None = None) -> int:
    """Delete expired sessions, pending sign-ins and reset links, and failures too old to count; how many rows. Commits."""
    now = as_utc(now) if now else utc_now()
    removed = sum(
        session.exec(delete(table).where(col(table.expires_at) <= now)).rowcount
        for table in (EditorSession, PendingSignIn, PasswordResetToken)
    )
    failures = limits.purge_old_failures(session, now)
    session.commit()
    return removed + failures
