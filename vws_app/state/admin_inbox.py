"""Admin: the contact inbox — filter, read, move through statuses, assign, note, reply, delete, export as CSV."""

import contextlib

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import SUPPORTED_LANGUAGES, translate
from vws_app.models import ContactNote, ContactStatus, Editor, as_utc
from vws_app.services import inbox, inbox_notes
from vws_app.services.inbox_reply import reply_link
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

STATUS_FILTERS = ("", *inbox.STATUSES)
ASSIGNEE_FILTERS = ("", inbox.ASSIGNEE_ME, inbox.ASSIGNEE_NOBODY)
LANGUAGE_FILTERS = ("", *SUPPORTED_LANGUAGES)
OTHER_FILTERS = ("assignee", "language", "meeting")
TIME_FORMAT = "%Y-%m-%d %H:%M UTC"
NOTE_ERROR = "inbox_error_note"  # the start of the keys of a refused note
NOTE_DRAFT_MAX = 4 * inbox_notes.NOTE_MAX_LENGTH  # the field stops at the limit; this only bounds a tampered client


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _message_row(message, assignees: dict[int, str]) -> dict[str, str]:
    """What the inbox shows of one message, and which status moves its buttons offer."""
    moves = inbox.ALLOWED_MOVES.get(message.status, frozenset())
    reopened = message.status in (ContactStatus.HANDLED.value, ContactStatus.SPAM.value)
    return {
        "id": str(message.id),
        "name": message.name,
        "email": message.email,
        "phone": message.phone,
        "message": message.message,
        "wants_meeting": _flag(message.wants_meeting),
        "language": message.language,
        "status": message.status,
        "assignee_id": "" if message.assignee_id is None else str(message.assignee_id),
        "assignee": assignees.get(message.assignee_id, "") if message.assignee_id is not None else "",
        "reply_href": reply_link(message),
        "toggle_to": ContactStatus.NEW.value if reopened else ContactStatus.HANDLED.value,
        "can_start": _flag(ContactStatus.IN_PROGRESS.value in moves),
        "can_spam": _flag(ContactStatus.SPAM.value in moves),
        "created_at": as_utc(message.created_at).strftime(TIME_FORMAT),
    }


def _note_row(note: ContactNote) -> dict[str, str]:
    return {
        "id": str(note.id),
        "author": note.author_email,
        "created_at": as_utc(note.created_at).strftime(TIME_FORMAT),
        "body": note.body,
    }


class AdminInboxState(AdminState):
    """One page of messages newest first; every handler that reads or changes them runs behind `admin_handler`."""

    messages: list[dict[str, str]] = []
    assignees: list[dict[str, str]] = []  # the active editors a message can be given to
    viewer_id: str = ""
    status_filter: str = ""
    assignee_filter: str = ""
    language_filter: str = ""
    meeting_only: bool = False
    page: int = 1
    page_count: int = 1
    total: int = 0
    opened_id: str = ""
    notes: list[dict[str, str]] = []
    note_draft: str = ""
    error_key: str = ""

    def _clear_admin_data(self) -> None:
        """Forget every message, note and editor this tab was shown."""
        self.messages, self.assignees, self.notes = [], [], []
        self.viewer_id = self.opened_id = self.note_draft = self.error_key = ""
        self.total, self.page_count = 0, 1

    def _filters(self) -> inbox.InboxFilter:
        return inbox.InboxFilter(self.status_filter, self.assignee_filter, self.language_filter, self.meeting_only)

    def _refused(self, error: Exception) -> None:
        """A refused change, as a catalogue key the page shows."""
        errors = getattr(error, "errors", None)
        self.error_key = next(iter(errors.values())) if errors else "inbox_error_gone"

    @rx.var
    def error_message(self) -> str:
        """Why the last change was refused, in the editor's language (a note's error shows beside the note)."""
        return (
            translate(self.error_key, self.lang) if self.error_key and not self.error_key.startswith(NOTE_ERROR) else ""
        )

    @rx.var
    def note_error_message(self) -> str:
        """Why the note was not added, beside the note field."""
        return translate(self.error_key, self.lang) if self.error_key.startswith(NOTE_ERROR) else ""

    @rx.var
    def page_label(self) -> str:
        """ "Page 2 of 5 (104 messages)"."""
        return translate("inbox_page_of", self.lang, page=self.page, pages=self.page_count, total=self.total)

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """The filtered page of the inbox, the editors to assign to, and the open message's notes."""
        rows, self.total = inbox.list_messages(session, page=self.page, filters=self._filters(), viewer_id=editor.id)
        self.page_count = max(1, -(-self.total // inbox.INBOX_PER_PAGE))
        if not rows and self.page > self.page_count:  # the last page emptied (deleted, moved, filtered)
            self.page = self.page_count
            rows, self.total = inbox.list_messages(
                session, page=self.page, filters=self._filters(), viewer_id=editor.id
            )
        emails = inbox.editor_emails(session)
        self.messages = [_message_row(row, emails) for row in rows]
        self.assignees = [{"id": str(row.id), "email": row.email} for row in inbox.assignable_editors(session)]
        self.viewer_id = str(editor.id)
        self.notes = (
            [_note_row(note) for note in inbox_notes.list_notes(session, int(self.opened_id))] if self.opened_id else []
        )

    @rx.event
    def filter_by(self, status: str):
        """Show all messages, or those with one status."""
        self.status_filter = status if status in STATUS_FILTERS else ""
        self.page = 1
        return AdminInboxState.load

    @rx.event
    def set_filter(self, name: str, value: str):
        """Filter by assignee ('me', 'nobody', '' for anyone), language, or only those wanting a meeting ('true')."""
        if name == "assignee":
            self.assignee_filter = value if value in ASSIGNEE_FILTERS else ""
        elif name == "language":
            self.language_filter = value if value in LANGUAGE_FILTERS else ""
        elif name == "meeting":
            self.meeting_only = str(value).lower() == "true"
        else:
            return None
        self.page = 1
        return AdminInboxState.load

    @rx.event
    def go_to_page(self, page: int):
        """Newer or older messages (the list clamps a page beyond the last)."""
        self.page = min(max(int(page), 1), self.page_count)
        return AdminInboxState.load

    @rx.event
    def keep_note_draft(self, text: str):
        """Keep the note the editor is typing."""
        self.note_draft = str(text)[:NOTE_DRAFT_MAX]

    @admin_handler()
    def open_message(self, session: Session, editor: Editor, message_id: int):
        """Open a message to read it whole with its notes (or close it)."""
        self.note_draft = self.error_key = ""
        if self.opened_id == str(message_id):
            self.opened_id, self.notes = "", []
            return None
        try:
            inbox.get_message(session, int(message_id))
        except inbox.NotFound as error:
            self._refused(error)
            return AdminInboxState.load
        self.opened_id = str(message_id)
        self.notes = [_note_row(note) for note in inbox_notes.list_notes(session, int(message_id))]
        return None

    @admin_handler()
    def set_status(self, session: Session, editor: Editor, message_id: int, status: str):
        """Move a message to another status (new, in progress, handled, spam)."""
        self.error_key = ""
        try:
            inbox.set_message_status(session, int(message_id), status, editor)
        except (inbox.NotFound, inbox.ValidationFailed) as error:
            self._refused(error)  # deleted or moved meanwhile: the reload shows how it is now
        return AdminInboxState.load

    @admin_handler()
    def assign(self, session: Session, editor: Editor, message_id: int, assignee_id: str):
        """Give a message to an editor, or to nobody (an empty id)."""
        self.error_key = ""
        try:
            target = int(assignee_id) if str(assignee_id).strip() else None
            inbox.assign_message(session, int(message_id), target, editor)
        except ValueError:
            self.error_key = "inbox_error_assignee_invalid"
        except (inbox.NotFound, inbox.ValidationFailed) as error:
            self._refused(error)
        return AdminInboxState.load

    @admin_handler()
    def assign_to_me(self, session: Session, editor: Editor, message_id: int):
        """Take a message on."""
        self.error_key = ""
        try:
            inbox.assign_message(session, int(message_id), editor.id, editor)
        except (inbox.NotFound, inbox.ValidationFailed) as error:
            self._refused(error)
        return AdminInboxState.load

    @admin_handler()
    def add_note(self, session: Session, editor: Editor, note_form: dict):
        """Add the note form's text as an internal note on the open message; the draft stays if it is refused."""
        self.error_key = ""
        if not self.opened_id:
            self.error_key = "inbox_error_gone"
            return None
        try:
            inbox_notes.add_note(session, int(self.opened_id), str(note_form.get("note", "")), editor)
        except (inbox_notes.NotFound, inbox_notes.ValidationFailed) as error:
            self._refused(error)
            return None
        self.note_draft = ""
        return AdminInboxState.load

    @admin_handler()
    def delete_message(self, session: Session, editor: Editor, message_id: int):
        """Delete a message for good (the page asked for confirmation first)."""
        with contextlib.suppress(inbox.NotFound):  # already deleted, perhaps by another editor
            inbox.delete_message(session, int(message_id), editor)
        if self.opened_id == str(message_id):
            self.opened_id, self.notes = "", []
        return AdminInboxState.load

    @admin_handler()
    def export_csv(self, session: Session, editor: Editor):
        """Download the filtered list as a CSV file that spreadsheets open with accents intact."""
        text = inbox.export_csv(session, filters=self._filters(), viewer_id=editor.id)
        return rx.download(
            data=text.encode("utf-8"), filename="contact-messages.csv", mime_type="text/csv;charset=utf-8"
        )
