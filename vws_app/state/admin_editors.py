"""Admin (admins only): the editor accounts — add one, enable or disable it, change its role."""

import reflex as rx

from vws_app.models import EditorRole
from vws_app.services import audit, auth, editors
from vws_app.services.database import open_session
from vws_app.state.admin_form import AdminFormMixin
from vws_app.state.admin_session import AdminState

EDITOR_FORM_FIELDS = ("email", "display_name", "password", "role")
ADMIN_ONLY = EditorRole.ADMIN.value
# Typed errors of the services, as catalogue keys shown beside the form.
ERROR_KEYS = {
    auth.InvalidEditorEmail: ("email", "contact_error_email_invalid"),
    auth.WeakPassword: ("password", "admin_error_password_weak"),
    auth.EditorExists: ("email", "admin_error_editor_exists"),
    editors.LastAdmin: ("form", "admin_error_last_admin"),
    editors.EditorNotFound: ("form", "admin_error_generic"),
}


def _row(editor) -> dict[str, str]:
    """What the list shows of an account (never its password hash)."""
    return {
        "id": str(editor.id),
        "email": editor.email,
        "display_name": editor.display_name,
        "role": editor.role,
        "active": "true" if editor.is_active else "false",
    }


class AdminEditorsState(AdminFormMixin, AdminState):
    """Every handler asks `_current_editor(session, role="admin")` first."""

    accounts: list[dict[str, str]] = []
    form: dict[str, str] = {}

    def _clear_admin_data(self) -> None:
        """Forget the accounts this tab was shown."""
        self.accounts, self.form, self.form_errors, self.notice = [], {}, {}, ""

    def _reload(self, session) -> None:
        self.accounts = [_row(editor) for editor in editors.list_editors(session)]

    @rx.event
    def load(self):
        """The accounts, and an empty form for a new one."""
        with open_session() as session:
            if self._current_editor(session, role=ADMIN_ONLY) is None:
                return
            self._reload(session)
        self.form = {field: "" for field in EDITOR_FORM_FIELDS} | {"role": EditorRole.EDITOR.value}
        self.form_errors, self.notice = {}, ""

    @rx.event
    def set_form_field(self, field: str, value: str):
        """Keep what the admin types in the new-account form."""
        if field in EDITOR_FORM_FIELDS:
            self.form = {**self.form, field: str(value)[:1024]}

    def _apply(self, session, admin, change, action: str, target_id: int | None, summary: str) -> None:
        """Run `change`, audit it, commit; a refused change becomes a message beside the form."""
        try:
            change()
        except tuple(ERROR_KEYS) as refused:
            session.rollback()
            field, key = ERROR_KEYS[type(refused)]
            self.form_errors = {field: key}
            return
        audit.record(session, admin, action, "editor", target_id, summary)
        session.commit()
        self.form_errors, self.notice = {}, "admin_saved"
        self._reload(session)

    @rx.event
    def create(self):
        """Add an account with the typed password (hashed; never shown again)."""
        with open_session() as session:
            admin = self._current_editor(session, role=ADMIN_ONLY)
            if admin is None:
                return
            self._apply(session, admin, lambda: auth.create_editor(
                session, self.form.get("email", ""), self.form.get("password", ""),
                role=self.form.get("role", "editor"), display_name=self.form.get("display_name", ""),
            ), "create", None, self.form.get("email", ""))
            if not self.form_errors:
                self.form = {field: "" for field in EDITOR_FORM_FIELDS} | {"role": EditorRole.EDITOR.value}

    @rx.event
    def set_active(self, editor_id: int, active: bool):
        """Disable an account (ending its sessions) or enable it again."""
        with open_session() as session:
            admin = self._current_editor(session, role=ADMIN_ONLY)
            if admin is None:
                return
            action = "enable" if active else "disable"
            self._apply(session, admin, lambda: editors.set_editor_active(session, int(editor_id), bool(active)),
                        action, int(editor_id), "")

    @rx.event
    def set_role(self, editor_id: int, role: str):
        """Make an account an admin or a plain editor."""
        with open_session() as session:
            admin = self._current_editor(session, role=ADMIN_ONLY)
            if admin is None or role not in (EditorRole.ADMIN.value, EditorRole.EDITOR.value):
                return
            self._apply(session, admin, lambda: editors.change_role(session, int(editor_id), role),
                        "update", int(editor_id), f"role {role}")
