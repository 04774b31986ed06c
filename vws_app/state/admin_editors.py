"""Admin (admins only): the editor accounts — add one, enable or disable it, change its role."""

import reflex as rx
from sqlmodel import Session

from vws_app.models import Editor, EditorRole
from vws_app.services import auth, editors, two_factor
from vws_app.state.admin_form import AdminFormMixin
from vws_app.state.admin_guard import admin_handler
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
    """Every handler that reads or changes accounts runs behind `admin_handler(role="admin")`."""

    accounts: list[dict[str, str]] = []
    form: dict[str, str] = {}
    two_factor_required: bool = False

    def _clear_admin_data(self) -> None:
        """Forget the accounts this tab was shown."""
        self.accounts, self.form, self.form_errors, self.notice = [], {}, {}, ""
        self.two_factor_required = False

    def _reload(self, session) -> None:
        self.accounts = [_row(editor) for editor in editors.list_editors(session)]
        self.two_factor_required = two_factor.is_required(session)

    @admin_handler(role=ADMIN_ONLY)
    def load(self, session: Session, editor: Editor):
        """The accounts, and an empty form for a new one."""
        self._reload(session)
        self.form = {field: "" for field in EDITOR_FORM_FIELDS} | {"role": EditorRole.EDITOR.value}
        self.form_errors, self.notice = {}, ""

    @rx.event
    def set_form_field(self, field: str, value: str):
        """Keep what the admin types in the new-account form."""
        if field in EDITOR_FORM_FIELDS:
            self.form = {**self.form, field: str(value)[:1024]}

    def _apply(self, session, change) -> None:
        """Run `change` (a service call that saves and audits); a refused change becomes a message beside the form."""
        try:
            change()
        except tuple(ERROR_KEYS) as refused:
            session.rollback()
            field, key = ERROR_KEYS[type(refused)]
            self.form_errors = {field: key}
            return
        self.form_errors, self.notice = {}, "admin_saved"
        self._reload(session)

    @admin_handler(role=ADMIN_ONLY)
    def create(self, session: Session, editor: Editor):
        """Add an account with the typed password (hashed, in the guard's worker thread; never shown again)."""
        self._apply(
            session,
            lambda: editors.add_editor(
                session,
                editor,
                self.form.get("email", ""),
                self.form.get("password", ""),
                role=self.form.get("role", "editor"),
                display_name=self.form.get("display_name", ""),
            ),
        )
        if not self.form_errors:
            self.form = {field: "" for field in EDITOR_FORM_FIELDS} | {"role": EditorRole.EDITOR.value}

    @admin_handler(role=ADMIN_ONLY)
    def set_active(self, session: Session, editor: Editor, editor_id: int, active: bool):
        """Disable an account (ending its sessions) or enable it again."""
        self._apply(session, lambda: editors.set_active_by(session, editor, int(editor_id), bool(active)))

    @admin_handler(role=ADMIN_ONLY)
    def set_role(self, session: Session, editor: Editor, editor_id: int, role: str):
        """Make an account an admin or a plain editor."""
        if role not in (EditorRole.ADMIN.value, EditorRole.EDITOR.value):
            return
        self._apply(session, lambda: editors.change_role_by(session, editor, int(editor_id), role))

    @admin_handler(role=ADMIN_ONLY)
    def set_two_factor_required(self, session: Session, editor: Editor, required: bool):
        """Require two-factor sign-in of every editor (those without it set it up at their next step), or not."""
        self._apply(session, lambda: editors.require_two_factor_by(session, editor, bool(required)))
