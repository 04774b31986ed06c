"""Admin: the allied organisations in the visitors' order — reorder, edit, delete, add."""

import reflex as rx

from vws_app.models import AllyLink
from vws_app.services import editorial
from vws_app.services.database import open_session
from vws_app.state.admin_form import AdminFormMixin
from vws_app.state.admin_session import AdminState

ALLY_FORM_FIELDS = ("name", "url", "description_en", "description_es")
FIELD_MAX_LENGTH = 20_000  # what a tampered client may park in state; the service checks the real limits


def _row(ally: AllyLink) -> dict[str, str]:
    """What the admin list shows of an ally."""
    return {"id": str(ally.id), "name": ally.name, "url": ally.url}


def _form_values(ally: AllyLink | None) -> dict[str, str]:
    """The form's fields for `ally`, or the empty form of a new one."""
    if ally is None:
        return {field: "" for field in ALLY_FORM_FIELDS}
    return {
        "name": ally.name,
        "url": ally.url,
        "description_en": ally.description_en,
        "description_es": ally.description_es,
    }


class AdminAlliesState(AdminFormMixin, AdminState):
    """Every handler asks `_current_editor` first; nothing is read or written without a session."""

    allies: list[dict[str, str]] = []
    form: dict[str, str] = _form_values(None)
    editing_id: int = 0
    loaded: bool = False  # the form shows only once loaded, so nothing typed is reset

    def _clear_admin_data(self) -> None:
        """Forget every ally this tab was shown."""
        self.allies, self.form_errors = [], {}
        self.form, self.editing_id, self.notice = _form_values(None), 0, ""
        self.loaded = False

    def _load_list(self, session) -> None:
        self.allies = [_row(ally) for ally in editorial.list_allies_admin(session)]

    @rx.event
    def load(self):
        """On page load: the list, and an empty form for a new ally."""
        with open_session() as session:
            if self._current_editor(session) is None:
                return
            self._load_list(session)
            self.form, self.form_errors, self.editing_id, self.notice = _form_values(None), {}, 0, ""
            self.loaded = True

    @rx.event
    def start_new(self):
        """Empty the form to add a new ally."""
        with open_session() as session:
            if self._current_editor(session) is None:
                return
        self.form, self.form_errors, self.editing_id, self.notice = _form_values(None), {}, 0, ""
        return rx.scroll_to("ally-form")

    @rx.event
    def edit_ally(self, ally_id: int):
        """Fill the form with ally `ally_id`."""
        with open_session() as session:
            if self._current_editor(session) is None:
                return
            ally = session.get(AllyLink, int(ally_id))
            self.form_errors, self.notice = {}, ""
            if ally is None:
                self.notice = "admin_error_generic"
                self._load_list(session)
                return
            self.editing_id, self.form = ally.id, _form_values(ally)
        return rx.scroll_to("ally-form")

    @rx.event
    def set_form_field(self, field: str, value: str):
        """Keep what the editor types in the ally form."""
        if field in ALLY_FORM_FIELDS:
            self.form = {**self.form, field: str(value)[:FIELD_MAX_LENGTH]}

    @rx.event
    def save(self):
        """Create or update the ally; errors show beside the fields and the form keeps everything."""
        with open_session() as session:
            editor = self._current_editor(session)
            if editor is None:
                return
            data = editorial.AllyInput(
                name=self.form.get("name", ""),
                url=self.form.get("url", ""),
                description_en=self.form.get("description_en", ""),
                description_es=self.form.get("description_es", ""),
            )
            try:
                ally = (
                    editorial.update_ally(session, self.editing_id, data, editor)
                    if self.editing_id
                    else editorial.create_ally(session, data, editor)
                )
            except editorial.ValidationFailed as failed:
                self.form_errors, self.notice = failed.errors, ""
                return
            except editorial.NotFound:
                self.form_errors, self.notice, self.editing_id = {"form": "admin_error_generic"}, "", 0
                return
            self.form_errors, self.notice = {}, "admin_saved"
            self.editing_id, self.form = ally.id, _form_values(ally)
            self._load_list(session)

    @rx.event
    def move(self, ally_id: int, direction: int):
        """Swap an ally with the one above (-1) or below (+1)."""
        with open_session() as session:
            editor = self._current_editor(session)
            if editor is None or int(direction) not in (-1, 1):
                return
            try:
                editorial.move_ally(session, int(ally_id), int(direction), editor)
            except editorial.NotFound:
                pass
            self.notice = ""
            self._load_list(session)

    @rx.event
    def delete_ally(self, ally_id: int):
        """Remove an ally (the page asked for confirmation first)."""
        with open_session() as session:
            editor = self._current_editor(session)
            if editor is None:
                return
            try:
                editorial.delete_ally(session, int(ally_id), editor)
            except editorial.NotFound:
                pass
            if self.editing_id == int(ally_id):
                self.form, self.form_errors, self.editing_id = _form_values(None), {}, 0
            self.notice = "admin_deleted"
            self._load_list(session)
