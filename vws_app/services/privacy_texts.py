"""The privacy texts: the short notice beside every public form and the full privacy page, per language, in versions.

A save never changes a text: it adds the next version, so every submission's
`consent_notice_id` keeps pointing at the words its sender saw. The first version of each
text comes from the catalogue (`privacy_initial_short`, `privacy_initial_full`) and is written
the first time anyone asks for it.
"""

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from vws_app.i18n import SUPPORTED_LANGUAGES, normalise_language, translate
from vws_app.models import Editor, PrivacyText, PrivacyTextKind
from vws_app.services.editorial_common import ValidationFailed, save_audited

KINDS = tuple(kind.value for kind in PrivacyTextKind)
MAX_LENGTHS = {PrivacyTextKind.SHORT.value: 2_000, PrivacyTextKind.FULL.value: 20_000}
HISTORY_SIZE = 20
AUDIT_ENTITY = "privacytext"


def _latest(session: Session, kind: str, language: str) -> PrivacyText | None:
    return session.exec(
        select(PrivacyText)
        .where(PrivacyText.kind == kind, PrivacyText.language == language)
        .order_by(col(PrivacyText.version).desc())
        .limit(1)
    ).first()


def _write_first_version(session: Session, kind: str, language: str) -> None:
    """Version 1 from the catalogue, in a session of its own (another worker may write it first: fine)."""
    with Session(session.get_bind()) as own:
        own.add(
            PrivacyText(kind=kind, language=language, version=1, body=translate(f"privacy_initial_{kind}", language))
        )
        try:
            own.commit()
        except IntegrityError:
            own.rollback()


def current_text(session: Session, kind: str, language: str) -> PrivacyText:
    """The newest version of `kind` ("short" or "full") in `language`, writing version 1 if there is none.

    Call it before the caller's own writes: on SQLite a first version is written by a second
    connection, which would wait on the caller's open write.

    Raises:
        ValueError: `kind` is not one of `KINDS`.
    """
    if kind not in KINDS:
        raise ValueError(f"no privacy text kind {kind!r}")
    language = normalise_language(language)
    row = _latest(session, kind, language)
    if row is None:
        _write_first_version(session, kind, language)
        row = _latest(session, kind, language)
    assert row is not None  # written just now, by us or by another worker
    return row


def current_notice(session: Session, language: str) -> PrivacyText:
    """The short notice a form shows now in `language`: the one place that decides it."""
    return current_text(session, PrivacyTextKind.SHORT.value, language)


def current_notices(session: Session) -> dict[str, PrivacyText]:
    """The current short notice in every language (a page shows the reader's, and follows a switch)."""
    return {language: current_notice(session, language) for language in SUPPORTED_LANGUAGES}


def shown_notice(session: Session, notice_id: int | None) -> PrivacyText | None:
    """The short notice with `notice_id` (any version: a page may have been rendered before an edit), or None."""
    if notice_id is None:
        return None
    row = session.get(PrivacyText, notice_id)
    return row if row is not None and row.kind == PrivacyTextKind.SHORT.value else None


def history(session: Session, kind: str, language: str, limit: int = HISTORY_SIZE) -> list[PrivacyText]:
    """The newest versions of one text, newest first."""
    return list(
        session.exec(
            select(PrivacyText)
            .where(PrivacyText.kind == kind, PrivacyText.language == normalise_language(language))
            .order_by(col(PrivacyText.version).desc())
            .limit(limit)
        ).all()
    )


def save_version(session: Session, kind: str, language: str, body: str, editor: Editor) -> PrivacyText:
    """Add the next version of one text, audited in the same commit; the older versions stay as they were.

    Raises:
        ValidationFailed: {"body": "admin_error_body_required" | "admin_error_too_long"}; or
            {"form": "admin_error_conflict"} when another editor saved the same text at the same moment.
        ValueError: `kind` or `language` is not one we have (a programming error or a tampered client).
    """
    if kind not in KINDS or language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"no privacy text {kind!r} in {language!r}")
    text = (body or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationFailed({"body": "admin_error_body_required"})
    if len(text) > MAX_LENGTHS[kind]:
        raise ValidationFailed({"body": "admin_error_too_long"})
    current = current_text(session, kind, language)
    if text == current.body:
        return current  # nothing changed: no new version, nothing to audit
    highest = session.exec(
        select(func.max(PrivacyText.version)).where(PrivacyText.kind == kind, PrivacyText.language == language)
    ).one()
    row = PrivacyText(
        kind=kind,
        language=language,
        version=(highest or 0) + 1,
        body=text,
        editor_id=editor.id,
        editor_email=editor.email,
    )
    try:
        return save_audited(
            session, row, editor, "update", AUDIT_ENTITY, f"{kind} privacy text ({language}), version {row.version}"
        )
    except IntegrityError as error:
        session.rollback()
        raise ValidationFailed({"form": "admin_error_conflict"}) from error
