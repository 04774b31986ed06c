"""The same history for the site texts (mission, goal): each save kept, diffed and restorable.

`update_site_text` records a revision before its commit; a restore saves the old wording again
through the same path, so it is a new revision and is audited ("restore").
"""

from sqlmodel import Session, col, select

from vws_app.models import Editor, SiteText, SiteTextRevision, utc_now
from vws_app.services import audit
from vws_app.services.editorial_common import NotFound, get_or_raise
from vws_app.services.row_ids import id_of
from vws_app.services.text_diff import FieldDiff, diff_fields

HISTORY_LIMIT = 500


def record_site_text_revision(
    session: Session,
    text: SiteText,
    editor: Editor | None,
    *,
    restored_from: int | None = None,
) -> SiteTextRevision:
    """Add the text's current wording as a revision (flushed, not committed)."""
    revision = SiteTextRevision(
        key=text.key,
        language=text.language,
        body=text.body,
        editor_id=editor.id if editor else None,
        editor_email=editor.email if editor else audit.SYSTEM_ACTOR,
        restored_from=restored_from,
        created_at=utc_now(),
    )
    session.add(revision)
    session.flush()
    return revision


def ensure_site_text_baseline(session: Session, text: SiteText) -> None:
    """Before changing a saved text that has no revision yet (seeded): keep its wording, by the system."""
    if text.id is None:
        return
    statement = select(SiteTextRevision.id).where(
        SiteTextRevision.key == text.key, SiteTextRevision.language == text.language
    )
    if session.exec(statement).first() is None:
        revision = record_site_text_revision(session, text, None)
        revision.created_at = text.updated_at


def site_text_history(session: Session, key: str, language: str) -> list[SiteTextRevision]:
    """One text's revisions in one language, newest first."""
    statement = (
        select(SiteTextRevision)
        .where(SiteTextRevision.key == key, SiteTextRevision.language == language)
        .order_by(col(SiteTextRevision.id).desc())
        .limit(HISTORY_LIMIT)
    )
    return list(session.exec(statement).all())


def _revision_of(session: Session, key: str, language: str, revision_id: int) -> SiteTextRevision:
    """Raises NotFound unless `revision_id` is a revision of this text in this language."""
    revision = session.get(SiteTextRevision, revision_id)
    if revision is None or (revision.key, revision.language) != (key, language):
        raise NotFound(f"no revision {revision_id} of {key} ({language})")
    return revision


def diff_site_text_revisions(
    session: Session, key: str, language: str, older_id: int, newer_id: int
) -> list[FieldDiff]:
    """The line diff between two revisions of one text (an empty list when the wording is the same).

    Raises:
        NotFound: either revision is not one of this text's.
    """
    older = _revision_of(session, key, language, older_id)
    newer = _revision_of(session, key, language, newer_id)
    return diff_fields({"body": older.body}, {"body": newer.body}, ("body",))


def restore_site_text_revision(session: Session, key: str, language: str, revision_id: int, editor: Editor) -> SiteText:
    """Save a revision's wording again: a new revision and a "restore" audit entry, one commit.

    Raises:
        NotFound: the revision is not one of this text's, or the text no longer exists.
    """
    revision = _revision_of(session, key, language, revision_id)
    text = session.exec(select(SiteText).where(SiteText.key == key, SiteText.language == language)).first()
    text = get_or_raise(session, SiteText, id_of(text) if text is not None else -1)
    text.body = revision.body
    text.updated_at = utc_now()
    session.add(text)
    record_site_text_revision(session, text, editor, restored_from=revision.id)
    audit.record(session, editor, "restore", "site_text", text.id, f"{key} ({language}) ← revision {revision.id}")
    session.commit()
    session.refresh(text)
    return text
