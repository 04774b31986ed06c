"""The list-plus-one-form admin pages (events, allies): load, new, edit, type, save, delete.

Each page's state says what its form holds and how records go to and from the form; this
mixin does the rest the same way everywhere: the one guard (`admin_handler`) before anything
is read or written, field errors that keep the form as typed, and the list refreshed after each change.
"""

import contextlib
from typing import Any

import reflex as rx
from sqlmodel import Session

from vws_app.models import Editor
from vws_app.services import editorial
from vws_app.state.admin_form import AdminFormMixin
from vws_app.state.admin_guard import admin_handler

FIELD_MAX_LENGTH = 20_000  # what a tampered client may park in state; the services check the real limits


class RecordFormMixin(AdminFormMixin, mixin=True):
    """Mixed in before `AdminState`; subclasses fill in the `_…` hooks below."""

    form: dict[str, str] = {}
    editing_id: int = 0
    loaded: bool = False  # the form shows only once loaded, so nothing typed is reset

    # Hooks each page's state provides.
    def _form_values(self, record: Any | None) -> dict[str, str]:
        """The form's fields for `record`, or the empty form of a new one."""
        raise NotImplementedError

    def _form_anchor(self) -> str:
        """The id of the form's element, scrolled to when it is filled."""
        raise NotImplementedError

    def _load_lists(self, session: Session) -> None:
        """Refresh the page's lists from the database."""
        raise NotImplementedError

    def _clear_lists(self) -> None:
        """Forget the lists (the editor signed out)."""
        raise NotImplementedError

    def _find(self, session: Session, record_id: int) -> Any | None:
        """The record with `record_id`, or None."""
        raise NotImplementedError

    def _store(self, session: Session, editor: Editor) -> Any:
        """Create (`editing_id == 0`) or update the record from `form`.

        Raises:
            editorial.ValidationFailed: a field is wrong.
            editorial.NotFound: the record being edited is gone.
        """
        raise NotImplementedError

    def _remove(self, session: Session, record_id: int, editor: Editor) -> None:
        """Delete the record (raises editorial.NotFound if it is gone)."""
        raise NotImplementedError

    # Shared behaviour.
    def _reset_form(self) -> None:
        self.form, self.form_errors, self.editing_id, self.notice = self._form_values(None), {}, 0, ""

    def _clear_admin_data(self) -> None:
        """Forget everything this tab was shown."""
        self._clear_lists()
        self._reset_form()
        self.loaded = False

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """On page load: the lists, and an empty form for a new record."""
        self._load_lists(session)
        self._reset_form()
        self.loaded = True

    @admin_handler()
    def start_new(self, session: Session, editor: Editor):
        """Empty the form to write a new record."""
        self._reset_form()
        return rx.scroll_to(self._form_anchor())

    @admin_handler()
    def edit(self, session: Session, editor: Editor, record_id: int):
        """Fill the form with record `record_id`."""
        record = self._find(session, int(record_id))
        self.form_errors, self.notice = {}, ""
        if record is None:
            self.notice = "admin_error_generic"
            self._load_lists(session)
            return None
        self.editing_id, self.form = record.id, self._form_values(record)
        return rx.scroll_to(self._form_anchor())

    @rx.event
    def set_form_field(self, field: str, value: str):
        """Keep what the editor types; unknown fields are ignored."""
        if field in self._form_values(None):
            self.form = {**self.form, field: str(value)[:FIELD_MAX_LENGTH]}

    @admin_handler()
    def save(self, session: Session, editor: Editor):
        """Create or update; errors show beside the fields and the form keeps everything."""
        try:
            record = self._store(session, editor)
        except editorial.ValidationFailed as failed:
            self.form_errors, self.notice = failed.errors, ""
            return
        except editorial.NotFound:
            self.form_errors, self.notice, self.editing_id = {"form": "admin_error_generic"}, "", 0
            return
        self.form_errors, self.notice = {}, "admin_saved"
        self.editing_id, self.form = record.id, self._form_values(record)
        self._load_lists(session)

    @admin_handler()
    def delete(self, session: Session, editor: Editor, record_id: int):
        """Delete a record (the page asked for confirmation first)."""
        with contextlib.suppress(editorial.NotFound):
            self._remove(session, int(record_id), editor)
        if self.editing_id == int(record_id):
            self._reset_form()
        self.notice = "admin_deleted"
        self._load_lists(session)
