"""The editors' inbox: contact messages listed, counted, marked handled, deleted and exported."""

import csv
import io
import unicodedata
from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, select

from vws_app.models import ContactMessage, ContactStatus, Editor, as_utc
from vws_app.services import audit
from vws_app.services.editorial_common import NotFound, ValidationFailed, delete_audited, get_or_raise

INBOX_PER_PAGE = 25
MAX_PER_PAGE = 200
CSV_BOM = "\ufeff"
CSV_HEADER = ("id", "created_at", "status", "language", "name", "email", "phone", "wants_meeting", "message")
# A cell starting with one of these is run as a formula by spreadsheets (OWASP "CSV
# injection"); tab and carriage return are on OWASP's list too. A leading character is
# NFKC-normalised first, so the full-width, small, superscript and subscript forms
# (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫ ⁺ ₊) count as the characters they stand for.
_FORMULA_STARTS = frozenset("=+-@\t\r")
# Look-alikes NFKC leaves apart, which a spreadsheet may still read as a sign: the minus
# sign (what ⁻ and ₋ normalise to), the hyphens, the dashes and the heavy plus and minus.
_FORMULA_LOOK_ALIKES = frozenset("\u2212\u2010\u2011\u2012\u2013\u2014\u2015\ufe58\u2795\u2796")
STATUSES = tuple(status.value for status in ContactStatus)

__all__ = [
    "NotFound",
    "ValidationFailed",
    "count_new",
    "csv_text",
    "delete_message",
    "export_csv",
    "get_message",
    "list_messages",
    "set_message_status",
]


def _filtered(status: str):
    """The messages with `status`, or all of them for ''. An unknown status matches none."""
    statement = select(ContactMessage)
    return statement.where(ContactMessage.status == status) if status else statement


def _newest_first(statement):
    return statement.order_by(ContactMessage.created_at.desc(), ContactMessage.id.desc())


def list_messages(
    session: Session, status: str = "", page: int = 1, per_page: int = INBOX_PER_PAGE
) -> tuple[list[ContactMessage], int]:
    """One page of messages, newest first, and how many match in all.

    `status` is '' (all), 'new' or 'handled'. `page` and `per_page` are clamped
    (1.., 1..MAX_PER_PAGE) so a tampered URL cannot ask for the whole table.
    """
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    total = session.exec(select(func.count()).select_from(_filtered(status).subquery())).one()
    rows = session.exec(_newest_first(_filtered(status)).offset((max(page, 1) - 1) * per_page).limit(per_page))
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
    """Mark a message handled ("handle") or new again ("reopen"), audited in the same commit.

    Setting the status it already has changes and records nothing.

    Raises:
        ValidationFailed: {"status": "admin_error_status_invalid"}.
        NotFound: no such message.
    """
    if status not in STATUSES:
        raise ValidationFailed({"status": "admin_error_status_invalid"})
    message = get_message(session, message_id)
    if message.status == status:
        return message
    message.status = status
    session.add(message)
    action = "handle" if status == ContactStatus.HANDLED.value else "reopen"
    audit.record(session, editor, action, "contact_message", message.id, f"{message.name} <{message.email}>")
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


def export_csv(session: Session, status: str = "") -> str:
    """The messages with `status` ('' for all), newest first, as CSV text for a spreadsheet.

    Starts with a UTF-8 byte-order mark so Excel reads accented names correctly; a
    message's line breaks stay inside its quoted cell; every cell is `spreadsheet_safe`
    (so a phone number like "+58 …" is exported as "'+58 …").
    """
    rows = (
        (
            str(message.id),
            as_utc(message.created_at).isoformat(),
            message.status,
            message.language,
            message.name,
            message.email,
            message.phone,
            "yes" if message.wants_meeting else "no",
            message.message,
        )
        for message in session.exec(_newest_first(_filtered(status))).all()
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
