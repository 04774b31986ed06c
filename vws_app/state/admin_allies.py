"""Admin: the allied organisations in the visitors' order — reorder, edit, delete, add."""

import contextlib

from sqlmodel import Session

from vws_app.models import AllyLink, Editor
from vws_app.services import editorial
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_records import RecordFormMixin
from vws_app.state.admin_session import AdminState

ALLY_FORM_FIELDS = ("name", "url", "description_en", "description_es")


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


class AdminAlliesState(RecordFormMixin, AdminState):
    """Every handler runs behind `admin_handler`; nothing is read or written without a session."""

    allies: list[dict[str, str]] = []
    form: dict[str, str] = _form_values(None)

    def _form_values(self, record: AllyLink | None) -> dict[str, str]:
        return _form_values(record)

    def _form_anchor(self) -> str:
        return "ally-form"

    def _load_lists(self, session: Session) -> None:
        self.allies = [_row(ally) for ally in editorial.list_allies_admin(session)]

    def _clear_lists(self) -> None:
        self.allies = []

    def _find(self, session: Session, record_id: int) -> AllyLink | None:
        return session.get(AllyLink, record_id)

    def _store(self, session: Session, editor: Editor) -> AllyLink:
        data = editorial.AllyInput(**{field: self.form.get(field, "") for field in ALLY_FORM_FIELDS})
        if self.editing_id:
            return editorial.update_ally(session, self.editing_id, data, editor)
        return editorial.create_ally(session, data, editor)

    def _remove(self, session: Session, record_id: int, editor: Editor) -> None:
        editorial.delete_ally(session, record_id, editor)

    @admin_handler()
    def move(self, session: Session, editor: Editor, ally_id: int, direction: int):
        """Swap an ally with the one above (-1) or below (+1)."""
        if int(direction) not in (-1, 1):
            return
        with contextlib.suppress(editorial.NotFound):
            editorial.move_ally(session, int(ally_id), int(direction), editor)
        self.notice = ""
        self._load_lists(session)
