"""The editors' inbox: contact messages filtered, counted, moved through their statuses, assigned, deleted and exported."""

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import false, func
from sqlmodel import Session, col, select

from vws_app.models import ContactMessage, ContactStatus, Editor, as_utc
from vws_app.services import audit
from vws_app.services.editorial_common import NotFound, ValidationFailed, delete_audited, get_or_raise

INBOX_PER_PAGE = 25
MAX_PER_PAGE = 200
CSV_BOM = "\ufeff"
CSV_HEADER = (
    "id",
    "created_at",
    "status",
    "assignee",
    "language",
    "name",
    "email",
    "phone",
    "wants_meeting",
    "message",
)
# A cell starting with one of these is run as a formula by spreadsheets (OWASP "CSV
# injection"); tab and carriage return are on OWASP's list too. A leading character is
# NFKC-normalised first, so the full-width, small, superscript and subscript forms
# (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫ ⁺ ₊) count as the characters they stand for.
_FORMULA_STARTS = frozenset("=+-@\t\r")
# Look-alikes NFKC leaves apart, which a spreadsheet may still read as a sign: the minus
# sign (what ⁻ and ₋ normalise to), the hyphens, the dashes and the heavy plus and minus.
_FORMULA_LOOK_ALIKES = frozenset("\u2212\u2010\u2011\u2012\u2013\u2014\u2015\ufe58\u2795\u2796")
STATUSES = tuple(status.value for status in ContactStatus)
_NEW, _IN_PROGRESS, _HANDLED, _SPAM = (status.value for status in ContactStatus)
# Where a message may go from each status: work starts, ends, or is reopened; spam is only
# ever sent back to "new" (a handled message was a real one, so it cannot turn into spam).
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    _NEW: frozenset({_IN_PROGRESS, _HANDLED, _SPAM}),
    _IN_PROGRESS: frozenset({_NEW, _HANDLED, _SPAM}),
    _HANDLED: frozenset({_NEW, _IN_PROGRESS}),
    _SPAM: frozenset({_NEW}),
}
STATUS_AUDIT_ACTIONS = {_NEW: "reopen", _IN_PROGRESS: "start", _HANDLED: "handle", _SPAM: "mark_spam"}
ASSIGNEE_ME, ASSIGNEE_NOBODY = "me", "nobody"  # '' (anyone) applies no assignee filter


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows: each field '' (or False) applies no filter.

    `assignee` is 'me' (the viewing editor), 'nobody', or ''; an unknown status, assignee or
    language matches no message, so a tampered value shows nothing rather than everything.
    """

    status: str = ""
    assignee: str = ""
    language: str = ""
    wants_meeting: bool = False


__all__ = [
    "NotFound",
    "InboxFilter",
    "ValidationFailed",
    "assign_message",
    "assignable_editors",
    "count_new",
    "csv_text",
    "delete_message",
    "export_csv",
    "get_message",
    "list_messages",
    "set_message_status",
]


def _filtered(filters: InboxFilter, viewer_id: int | None = None):
    """The messages `filters` lets through; 'me' means the editor with `viewer_id`."""
    statement = select(ContactMessage)
    if filters.status:
        statement = statement.where(ContactMessage.status == filters.status)
    if filters.assignee == ASSIGNEE_ME:  # `== None` would be IS NULL: without a viewer, "me" is no one
        statement = statement.where(ContactMessage.assignee_id == viewer_id if viewer_id is not None else false())
    elif filters.assignee == ASSIGNEE_NOBODY:
        statement = statement.where(col(ContactMessage.assignee_id).is_(None))
    elif filters.assignee:
        statement = statement.where(false())
    if filters.language:
        statement = statement.where(ContactMessage.language == filters.language)
    if filters.wants_meeting:
        statement = statement.where(col(ContactMessage.wants_meeting).is_(True))
    return statement


def _newest_first(statement):
    return statement.order_by(col(ContactMessage.created_at).desc(), col(ContactMessage.id).desc())


def list_messages(
    session: Session,
    status: str = "",
    page: int = 1,
    per_page: int = INBOX_PER_PAGE,
    *,
    filters: InboxFilter | None = None,
    viewer_id: int | None = None,
) -> tuple[list[ContactMessage], int]:
    """One page of messages, newest first, and how many match in all.

    `filters` (or, alone, `status`: '' for all) picks the messages; `viewer_id` is the editor
    the 'me' assignee filter means. `page` and `per_page` are clamped (1.., 1..MAX_PER_PAGE)
    so a tampered URL cannot ask for the whole table.
    """
    filters = filters or InboxFilter(status=status)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    matching = _filtered(filters, viewer_id)
    total = session.exec(select(func.count()).select_from(matching.subquery())).one()
    rows = session.exec(_newest_first(matching).offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows.all()), total


def count_new(session: Session) -> int:
    """How many messages nobody has handled yet, for the badge beside the inbox link."""
    statement = select(func.count()).select_from(ContactMessage).where(ContactMessage.status == ContactStatus.NEW.value)
    return session.exec(statement).one()


def get_message(session: Session, message_id: int) -> ContactMessage:
    """One message.

    Raises:
        NotFound: no such message.
    """
    return get_or_raise(session, ContactMessage, message_id)


def set_message_status(session: Session, message_id: int, status: str, editor: Editor) -> ContactMessage:
    """Move a message to `status` along `ALLOWED_MOVES`, audited in the same commit.

    Setting the status it already has changes and records nothing.

    Raises:
        ValidationFailed: {"status": "inbox_error_status_invalid"} for an unknown status,
            {"status": "inbox_error_status_move"} for a move `ALLOWED_MOVES` does not allow.
        NotFound: no such message.
    """
    if status not in STATUSES:
        raise ValidationFailed({"status": "inbox_error_status_invalid"})
    message = get_message(session, message_id)
    if message.status == status:
        return message
    if status not in ALLOWED_MOVES.get(message.status, frozenset()):
        raise ValidationFailed({"status": "inbox_error_status_move"})
    previous, message.status = message.status, status
    session.add(message)
    audit.record(session, editor, STATUS_AUDIT_ACTIONS[status], "contact_message", message.id, f"{previous} → {status}")
    session.commit()
    session.refresh(message)
    return message


def assignable_editors(session: Session) -> list[Editor]:
    """The editors a message can be given to: the active ones, by email."""
    return list(session.exec(select(Editor).where(col(Editor.is_active).is_(True)).order_by(Editor.email)).all())


def editor_emails(session: Session) -> dict[int, str]:
    """Every editor's email by id (disabled ones too: a message may still be theirs)."""
    return {
        editor_id: email
        for editor_id, email in session.exec(select(Editor.id, Editor.email)).all()
        if editor_id is not None
    }


def assign_message(session: Session, message_id: int, assignee_id: int | None, editor: Editor) -> ContactMessage:
    """Give a message to an active editor, or to nobody (`None`), audited in the same commit.

    Giving it to whom it already belongs changes and records nothing.

    Raises:
        ValidationFailed: {"assignee": "inbox_error_assignee_invalid"}: no such editor, or disabled.
        NotFound: no such message.
    """
    assignee = session.get(Editor, assignee_id) if assignee_id is not None else None
    if assignee_id is not None and (assignee is None or not assignee.is_active):
        raise ValidationFailed({"assignee": "inbox_error_assignee_invalid"})
    message = get_message(session, message_id)
    if message.assignee_id == assignee_id:
        return message
    message.assignee_id = assignee_id
    session.add(message)
    action, summary = ("assign", f"to {assignee.email}") if assignee else ("unassign", "")
    audit.record(session, editor, action, "contact_message", message.id, summary)
    session.commit()
    session.refresh(message)
    return message


def delete_message(session: Session, message_id: int, editor: Editor) -> None:
    """Delete a message for good (e.g. spam, or a sender's erasure request), audited.

    Raises:
        NotFound: no such message.
    """
    message = get_message(session, message_id)
    delete_audited(session, message, editor, "contact_message", f"{message.name} <{message.email}>")


def starts_like_a_formula(value: str) -> bool:
    """Whether a spreadsheet could read `value` as a formula, by its first character or a look-alike of it."""
    if not value:
        return False
    first = unicodedata.normalize("NFKC", value[0])[:1]
    return first in _FORMULA_STARTS or first in _FORMULA_LOOK_ALIKES


def spreadsheet_safe(value: str) -> str:
    """`value` with a leading apostrophe when a spreadsheet would run it as a formula."""
    return "'" + value if starts_like_a_formula(value) else value


def export_csv(
    session: Session, status: str = "", *, filters: InboxFilter | None = None, viewer_id: int | None = None
) -> str:
    """The messages `filters` (or `status`) lets through, newest first, as CSV text for a spreadsheet.

    Starts with a UTF-8 byte-order mark so Excel reads accented names correctly; a
    message's line breaks stay inside its quoted cell; every cell is `spreadsheet_safe`
    (so a phone number like "+58 …" is exported as "'+58 …"). The assignee is the editor's
    email; internal notes are never exported.
    """
    assignees = editor_emails(session)
    rows = (
        (
            str(message.id),
            as_utc(message.created_at).isoformat(),
            message.status,
            assignees.get(message.assignee_id, "") if message.assignee_id is not None else "",
            message.language,
            message.name,
            message.email,
            message.phone,
            "yes" if message.wants_meeting else "no",
            message.message,
        )
        for message in session.exec(_newest_first(_filtered(filters or InboxFilter(status=status), viewer_id))).all()
    )
    return csv_text(CSV_HEADER, rows)


def csv_text(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """`header` and `rows` as CSV text for a spreadsheet: a UTF-8 byte-order mark first, every cell `spreadsheet_safe`."""
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()
