"""The audit log: who created, changed, published or deleted what, and when."""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from vws_app.models import AuditEntry, Editor, as_utc, utc_now

SYSTEM_ACTOR = "system"  # editor_email of changes made outside the admin (the command line)
NAME_MAX_LENGTH = 40
SUMMARY_MAX_LENGTH = 500
MAX_PAGE_SIZE = 200


def record(
    session: Session,
    editor: Editor | None,
    action: str,
    entity: str,
    entity_id: int | None = None,
    summary: str = "",
    *,
    now: datetime | None = None,
) -> AuditEntry:
    """Add an audit entry for a change; `editor=None` means the system (e.g. the CLI).

    Does not commit: the caller commits with its change, so the change and its audit row
    are saved together or not at all. The email is copied so the entry still names the
    editor after the account is deleted. A long summary is shortened, never refused.

    Raises:
        ValueError: `action` or `entity` is empty or longer than NAME_MAX_LENGTH
            (they are names chosen in code, like 'publish' and 'post').
    """
    action, entity = action.strip(), entity.strip()
    for name in (action, entity):
        if not name or len(name) > NAME_MAX_LENGTH:
            raise ValueError(f"audit action and entity need 1 to {NAME_MAX_LENGTH} characters, got {name!r}")
    summary = summary.strip()
    if len(summary) > SUMMARY_MAX_LENGTH:
        summary = summary[: SUMMARY_MAX_LENGTH - 1] + "…"
    entry = AuditEntry(
        editor_id=editor.id if editor else None,
        editor_email=editor.email if editor else SYSTEM_ACTOR,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary,
        created_at=as_utc(now) if now else utc_now(),
    )
    session.add(entry)
    return entry


def recent_entries(session: Session, limit: int = 50, offset: int = 0) -> list[AuditEntry]:
    """One page of the log, newest first (ties broken by insertion order, newest first).

    `limit` is clamped to 1..MAX_PAGE_SIZE and `offset` to 0 or more, so a tampered page
    number cannot ask for the whole table.
    """
    limit = min(max(limit, 1), MAX_PAGE_SIZE)
    statement = (
        select(AuditEntry)
        .order_by(col(AuditEntry.created_at).desc(), col(AuditEntry.id).desc())
        .offset(max(offset, 0))
        .limit(limit)
    )
    return list(session.exec(statement).all())


def count_entries(session: Session) -> int:
    """How many entries the log holds, for pagination."""
    return session.exec(select(func.count()).select_from(AuditEntry)).one()
