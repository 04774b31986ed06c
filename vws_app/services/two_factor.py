"""Two-factor sign-in: an authenticator app's codes (TOTP, RFC 6238) and single-use recovery codes.

Enrolment shows a new secret once and turns the second factor on only after a code made
from it is typed back, so a mistyped secret cannot lock anyone out. The secret itself must
be stored (the server computes the same codes); recovery codes are random and long, so
their SHA-256 is enough to store. A code is accepted once: the step it belongs to is
remembered and no code of that step or an earlier one is accepted again, by a conditional
UPDATE, so two requests racing with the same code cannot both pass.
"""

import hashlib
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from vws_app.models import AccountPolicy, Editor, EditorTotp, RecoveryCode, as_utc, utc_now
from vws_app.services import audit
from vws_app.services.row_ids import id_of

ISSUER = "VWS admin"
RECOVERY_CODE_COUNT = 10
VALID_WINDOW = 1  # one step either side: a phone's clock may be 30 s off


class TwoFactorError(Exception):
    """Base of this module's errors."""


class WrongCode(TwoFactorError):
    """The code is not the authenticator's current one, was used already, or is no recovery code."""


class NotEnrolling(TwoFactorError):
    """A code was confirmed without an enrolment started (or it is on already)."""


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _normalise(code: str) -> str:
    """What the editor typed, without spaces and dashes, lower-case."""
    return "".join(character for character in (code or "") if character.isalnum()).lower()


def is_enabled(session: Session, editor_id: int) -> bool:
    """Whether sign-in asks this editor for a code."""
    row = session.get(EditorTotp, editor_id)
    return bool(row and row.confirmed)


def start_enrolment(session: Session, editor: Editor) -> str:
    """A new secret for the editor (replacing an unconfirmed one); shown once. Commits.

    Raises:
        NotEnrolling: two-factor sign-in is on already (turn it off first).
    """
    row = session.get(EditorTotp, editor.id)
    if row and row.confirmed:
        raise NotEnrolling("two-factor sign-in is on already")
    secret = pyotp.random_base32()
    if row is None:
        row = EditorTotp(editor_id=id_of(editor), secret=secret)
    row.secret, row.last_used_step = secret, 0
    session.add(row)
    session.commit()
    return secret


def provisioning_uri(secret: str, email: str) -> str:
    """The `otpauth://` address an authenticator app reads (from a QR code or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def _fresh_step(row: EditorTotp, code: str, now: datetime) -> int | None:
    """The step `code` belongs to, if it is a current code of a step after the last one used."""
    code = _normalise(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(row.secret)
    current = totp.timecode(as_utc(now))
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if step > row.last_used_step and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(session: Session, editor_id: int, step: int) -> bool:
    """Record `step` as used, unless a request at the same moment used it (or a later one) first."""
    claimed = session.exec(
        update(EditorTotp)
        .where(
            col(EditorTotp.editor_id) == editor_id,
            col(EditorTotp.last_used_step) < step,
        )
        .values(last_used_step=step)
    ).rowcount
    return claimed == 1


def confirm_enrolment(session: Session, editor: Editor, code: str, now: datetime | None = None) -> list[str]:
    """Turn two-factor sign-in on with a first code; the new recovery codes (shown once).

    Commits the change with its audit entry.

    Raises:
        NotEnrolling: no enrolment was started, or it is on already.
        WrongCode: the code does not match the new secret.
    """
    row = session.get(EditorTotp, editor.id)
    if row is None or row.confirmed:
        raise NotEnrolling("start the enrolment first")
    step = _fresh_step(row, code, now or utc_now())
    if step is None or not _use_step(session, id_of(editor), step):
        raise WrongCode("the code does not match")
    session.refresh(row)
    row.confirmed = True
    session.add(row)
    codes = _replace_recovery_codes(session, id_of(editor))
    audit.record(session, editor, "enable", "two_factor", editor.id)
    session.commit()
    return codes


def _replace_recovery_codes(session: Session, editor_id: int) -> list[str]:
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.editor_id) == editor_id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODE_COUNT)]
    session.add_all(RecoveryCode(editor_id=editor_id, code_hash=_hash(code)) for code in codes)
    return codes


def verify_code(session: Session, editor_id: int, code: str, now: datetime | None = None) -> bool:
    """Whether `code` is a fresh authenticator code or an unused recovery code (then used up). Commits a success."""
    now = as_utc(now) if now else utc_now()
    row = session.get(EditorTotp, editor_id)
    if row is None or not row.confirmed:
        return False
    step = _fresh_step(row, code, now)
    if step is not None:
        used = _use_step(session, editor_id, step)
        session.commit()
        return used
    recovery = session.exec(
        select(RecoveryCode).where(
            col(RecoveryCode.editor_id) == editor_id,
            col(RecoveryCode.code_hash) == _hash(code),
            col(RecoveryCode.used_at).is_(None),
        )
    ).first()
    if recovery is None:
        return False
    used = (
        session.exec(
            update(RecoveryCode)
            .where(col(RecoveryCode.id) == recovery.id, col(RecoveryCode.used_at).is_(None))
            .values(used_at=now)
        ).rowcount
        == 1
    )
    session.commit()
    return used


def recovery_codes_left(session: Session, editor_id: int) -> int:
    """How many recovery codes the editor has not used."""
    return len(
        session.exec(
            select(RecoveryCode.id).where(col(RecoveryCode.editor_id) == editor_id, col(RecoveryCode.used_at).is_(None))
        ).all()
    )


def turn_off(session: Session, editor: Editor) -> None:
    """Remove the editor's authenticator and recovery codes; commits with the audit entry."""
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.editor_id) == editor.id))
    session.exec(delete(EditorTotp).where(col(EditorTotp.editor_id) == editor.id))
    audit.record(session, editor, "disable", "two_factor", editor.id)
    session.commit()


def is_required(session: Session) -> bool:
    """Whether an admin requires two-factor sign-in of every editor."""
    policy = session.get(AccountPolicy, 1)
    return bool(policy and policy.require_two_factor)


def set_required(session: Session, required: bool) -> None:
    """Require two-factor sign-in of every editor, or not. Does not commit (the caller audits)."""
    policy = session.get(AccountPolicy, 1) or AccountPolicy(id=1)
    policy.require_two_factor = required
    session.add(policy)


def must_enrol(session: Session, editor_id: int) -> bool:
    """Whether this editor may only set up two-factor sign-in until they have (the policy requires it)."""
    return is_required(session) and not is_enabled(session, editor_id)
