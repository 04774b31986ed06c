"""Admin: the contact inbox — filter, read, mark handled, delete, export as CSV."""

import reflex as rx

from sqlmodel import Session

from vws_app.models import ContactStatus, Editor, as_utc
from vws_app.services import inbox
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

STATUS_FILTERS = ("", ContactStatus.NEW.value, ContactStatus.HANDLED.value)


def _message_row(message) -> dict[str, str]:
    """What the inbox shows of one message."""
    return {
        "id": str(message.id),
        "name": message.name,
        "email": message.email,
        "phone": message.phone,
        "message": message.message,
        "wants_meeting": "true" if message.wants_meeting else "false",
        "language": message.language,
        "status": message.status,
        "created_at": as_utc(message.created_at).strftime("%Y-%m-%d %H:%M UTC"),
    }


class AdminInboxState(AdminState):
    """Messages newest first; every handler that reads or changes them runs behind `admin_handler`."""

    messages: list[dict[str, str]] = []
    status_filter: str = ""
    opened_id: str = ""

    def _clear_admin_data(self) -> None:
        """Forget every message this tab was shown."""
        self.messages, self.opened_id = [], ""

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """The filtered inbox."""
        rows, _total = inbox.list_messages(session, status=self.status_filter, per_page=200)
        self.messages = [_message_row(row) for row in rows]

    @rx.event
    def filter_by(self, status: str):
        """Show all, only new, or only handled messages."""
        self.status_filter = status if status in STATUS_FILTERS else ""
        return AdminInboxState.load

    @rx.event
    def toggle_open(self, message_id: str):
        """Open a message to read it whole (or close it)."""
        self.opened_id = "" if self.opened_id == message_id else str(message_id)

    @admin_handler()
    def set_status(self, session: Session, editor: Editor, message_id: int, status: str):
        """Mark a message handled, or new again."""
        try:
            inbox.set_message_status(session, int(message_id), status, editor)
        except (inbox.NotFound, inbox.ValidationFailed):
            pass  # deleted or changed meanwhile: the reload shows how it is now
        return AdminInboxState.load

    @admin_handler()
    def delete_message(self, session: Session, editor: Editor, message_id: int):
        """Delete a message for good (the page asked for confirmation first)."""
        try:
            inbox.delete_message(session, int(message_id), editor)
        except inbox.NotFound:
            pass  # already deleted, perhaps by another editor
        return AdminInboxState.load

    @admin_handler()
    def export_csv(self, session: Session, editor: Editor):
        """Download the filtered list as a CSV file that spreadsheets open with accents intact."""
        text = inbox.export_csv(session, status=self.status_filter)
        return rx.download(data=text.encode("utf-8"), filename="contact-messages.csv", mime_type="text/csv;charset=utf-8")
