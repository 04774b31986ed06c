"""Admin: an editor's own account — two-factor sign-in, their password, their sessions.

Every handler that reads or changes the account runs behind `admin_handler`, and all of
them stay open to an editor whom the admins require to set up two-factor sign-in, since
this page is where they do it. Secrets shown here (the new key, recovery codes) are shown
once and dropped from the tab on the next load.
"""

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import translate
from vws_app.models import Editor
from vws_app.services import accounts, auth, passwords, two_factor
from vws_app.state.admin_form import AdminFormMixin
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

ACCOUNT_FORM_FIELDS = ("code", "current_password", "new_password")
TIME_FORMAT = "%Y-%m-%d %H:%M UTC"


def _session_row(view: accounts.SessionView) -> dict[str, str]:
    """What "Your sessions" shows of one session."""
    return {
        "id": str(view.id),
        "user_agent": view.user_agent,
        "current": "true" if view.is_current else "false",
        "started": view.created_at.strftime(TIME_FORMAT),
        "seen": view.last_seen_at.strftime(TIME_FORMAT),
    }


class AdminAccountState(AdminFormMixin, AdminState):
    """The signed-in editor's own account page."""

    form: dict[str, str] = {}
    two_factor_on: bool = False
    two_factor_required: bool = False
    recovery_left: int = 0
    new_secret: str = ""
    new_secret_uri: str = ""
    recovery_codes: list[str] = []
    sessions: list[dict[str, str]] = []

    @rx.var
    def two_factor_status(self) -> str:
        """ "On. Recovery codes left: 7." in the editor's language."""
        if self.two_factor_on:
            return translate("admin_two_factor_on", self.lang, count=self.recovery_left)
        return translate("admin_two_factor_off", self.lang)

    def _clear_admin_data(self) -> None:
        """Forget the account data, the key and the codes this tab was shown."""
        self.form, self.form_errors, self.notice = {}, {}, ""
        self.two_factor_on = self.two_factor_required = False
        self.recovery_left, self.new_secret, self.new_secret_uri = 0, "", ""
        self.recovery_codes, self.sessions = [], []

    def _reload(self, session: Session, editor: Editor) -> None:
        self.two_factor_on = two_factor.is_enabled(session, editor.id)
        self.two_factor_required = two_factor.is_required(session)
        self.recovery_left = two_factor.recovery_codes_left(session, editor.id)
        self.sessions = [
            _session_row(view) for view in accounts.sessions_of(session, editor.id, self._session_digest())
        ]

    def _done(self, session: Session, editor: Editor, notice: str) -> None:
        self.form = {field: "" for field in ACCOUNT_FORM_FIELDS}
        self.form_errors, self.notice = {}, notice
        self._reload(session, editor)

    @admin_handler(allowed_before_enrolment=True)
    def load(self, session: Session, editor: Editor):
        """The account's state and sessions; nothing secret from an earlier visit."""
        self.new_secret, self.new_secret_uri, self.recovery_codes = "", "", []
        self._done(session, editor, "")

    @rx.event
    def set_form_field(self, field: str, value: str):
        """Keep what the editor types (a code, the current and the new password)."""
        if field in ACCOUNT_FORM_FIELDS:
            self.form = {**self.form, field: str(value)[: passwords.MAX_LENGTH]}

    @admin_handler(allowed_before_enrolment=True)
    def start_two_factor(self, session: Session, editor: Editor):
        """A new authenticator key, shown once, waiting for a first code."""
        try:
            self.new_secret = two_factor.start_enrolment(session, editor)
        except two_factor.NotEnrolling:
            self._reload(session, editor)
            return
        self.new_secret_uri = two_factor.provisioning_uri(self.new_secret, editor.email)
        self.recovery_codes, self.form_errors, self.notice = [], {}, ""

    @admin_handler(allowed_before_enrolment=True)
    def confirm_two_factor(self, session: Session, editor: Editor):
        """Turn two-factor sign-in on with the first code; show the recovery codes once."""
        try:
            codes = two_factor.confirm_enrolment(session, editor, self.form.get("code", ""))
        except two_factor.NotEnrolling:
            self.form_errors = {"code": "admin_two_factor_not_enrolling"}
            return
        except two_factor.WrongCode:
            self.form_errors = {"code": "admin_code_invalid"}
            return
        self.new_secret, self.new_secret_uri, self.recovery_codes = "", "", codes
        self._done(session, editor, "admin_saved")

    @admin_handler(allowed_before_enrolment=True)
    def turn_off_two_factor(self, session: Session, editor: Editor):
        """Turn two-factor sign-in off, once the current password is typed (not while the admins require it)."""
        current = self.form.get("current_password", "")
        if two_factor.is_required(session):
            self.form_errors = {"current_password": "admin_two_factor_required"}
            return
        if len(current) > passwords.MAX_LENGTH or not auth.verify_password(editor.password_hash, current):
            self.form_errors = {"current_password": "admin_error_current_password"}
            return
        two_factor.turn_off(session, editor)
        self._done(session, editor, "admin_two_factor_turned_off")

    @admin_handler(allowed_before_enrolment=True)
    def change_password(self, session: Session, editor: Editor):
        """A new password after the current one; every other session of the editor ends."""
        try:
            accounts.change_password(
                session,
                editor,
                self.form.get("current_password", ""),
                self.form.get("new_password", ""),
                self._session_digest(),
            )
        except accounts.WrongCurrentPassword:
            session.rollback()
            self.form_errors = {"current_password": "admin_error_current_password"}
            return
        except auth.WeakPassword as weak:
            session.rollback()
            self.form_errors = {"new_password": passwords.MESSAGE_KEYS.get(weak.reason, "admin_error_password_weak")}
            return
        self._done(session, editor, "admin_password_changed")

    @admin_handler(allowed_before_enrolment=True)
    def sign_out_session(self, session: Session, editor: Editor, session_id: int):
        """End one of the editor's own sessions."""
        if accounts.sign_out_session(session, editor.id, int(session_id)):
            session.commit()
            self._done(session, editor, "admin_sessions_ended")

    @admin_handler(allowed_before_enrolment=True)
    def sign_out_others(self, session: Session, editor: Editor):
        """End every session of the editor but this browser's."""
        accounts.sign_out_others(session, editor.id, self._session_digest())
        session.commit()
        self._done(session, editor, "admin_sessions_ended")
