"""Editors' internal notes on a contact message: written, listed with their author, never sent to the sender."""

from sqlmodel import Session, col, select

from vws_app.models import ContactMessage, ContactNote, Editor, utc_now
from vws_app.services import audit
from vws_app.services.editorial_common import NotFound, ValidationFailed, get_or_raise
from vws_app.services.row_ids import id_of

NOTE_MAX_LENGTH = 5000

__all__ = ["NOTE_MAX_LENGTH", "NotFound", "ValidationFailed", "add_note", "list_notes"]


def add_note(session: Session, message_id: int, body: str, editor: Editor) -> ContactNote:
    """Store `editor`'s note on a message, audited in the same commit (the audit names the note, not its text).

    Raises:
        ValidationFailed: {"note": "inbox_error_note_empty"} or {"note": "inbox_error_note_long"}
            (more than NOTE_MAX_LENGTH characters); nothing is stored.
        NotFound: no such message.
    """
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"note": "inbox_error_note_empty"})
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationFailed({"note": "inbox_error_note_long"})
    message = get_or_raise(session, ContactMessage, message_id)
    note = ContactNote(
        message_id=id_of(message), author_id=id_of(editor), author_email=editor.email, body=body, created_at=utc_now()
    )
    session.add(note)
    session.flush()
    audit.record(session, editor, "add_note", "contact_message", message.id, f"note {note.id}")
    session.commit()
    session.refresh(note)
    return note


def list_notes(session: Session, message_id: int) -> list[ContactNote]:
    """A message's notes, oldest first, so they read as a conversation among editors."""
    statement = (
        select(ContactNote)
        .where(ContactNote.message_id == message_id)
        .order_by(col(ContactNote.created_at), col(ContactNote.id))
    )
    return list(session.exec(statement).all())
