"""Who is signed in to the admin, decided on the server for every event.

The session token never leaves the server: it is a backend-only var tied to the
browser tab's Reflex session, so no client can read, send or forge it. Public vars
here only say what the page shows; none has a setter a client could call.
"""

import logging

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import translate
from vws_app.models import Editor, EditorRole
from vws_app.services import auth, inbox
from vws_app.services.database import open_session
from vws_app.state.language import LanguageState

logger = logging.getLogger(__name__)


class AdminState(LanguageState):
    """Base of every admin state: sign-in, sign-out and the one session check."""

    _session_token: str = ""
    signed_in: bool = False
    editor_email: str = ""
    is_admin: bool = False
    new_message_count: int = 0
    sign_in_error: str = ""
    lock_minutes: int = 0

    def _current_editor(self, session: Session, role: str | None = None) -> Editor | None:
        """The signed-in editor if the session is valid and has `role`, else None.

        Every admin handler calls this first. Without a valid session the tab drops
        everything it showed; with a valid session but too low a role it stays signed in
        and gets nothing. (Underscored so Reflex does not make it a client-callable event.)
        """
        try:
            editor = auth.require_editor(session, self._session_token, role)
        except auth.NotAuthorised:
            if role is None or not self._has_valid_session(session):
                self._forget_session()
            return None
        self.signed_in = True
        self.editor_email = editor.email
        self.is_admin = editor.role == EditorRole.ADMIN.value
        self.new_message_count = inbox.count_new(session)
        return editor

    def _has_valid_session(self, session: Session) -> bool:
        """Whether this tab's session is still valid, whatever the editor's role."""
        try:
            auth.require_editor(session, self._session_token)
        except auth.NotAuthorised:
            return False
        return True

    def _forget_session(self) -> None:
        """Back to the sign-in form, with nothing of the admin left in this browser's state."""
        self._session_token = ""
        self.signed_in = False
        self.editor_email = ""
        self.is_admin = False
        self.new_message_count = 0
        self._clear_admin_data()

    def _clear_admin_data(self) -> None:
        """Each admin state drops the data it loaded; the base holds none."""

    async def _clear_every_admin_state(self) -> None:
        """Drop the data of every admin state of this tab (after sign-out or expiry)."""
        for state_class in _admin_state_classes():
            substate = await self.get_state(state_class)
            substate._clear_admin_data()

    @rx.var
    def sign_in_message(self) -> str:
        """The sign-in error in the editor's language."""
        if not self.sign_in_error:
            return ""
        return translate(self.sign_in_error, self.lang, minutes=self.lock_minutes)

    @rx.var
    def new_message_label(self) -> str:
        """"3 new" beside the inbox link."""
        return translate("admin_new_messages", self.lang, count=self.new_message_count)

    @rx.event
    async def check_session(self):
        """On every admin page load: is this tab still signed in? If not, forget everything."""
        with open_session() as session:
            editor = self._current_editor(session)
        if editor is None:
            await self._clear_every_admin_state()

    @rx.event
    def sign_in(self, form_data: dict):
        """Check the email and password; five failures lock this account for this client."""
        email = str(form_data.get("email", ""))
        password = str(form_data.get("password", ""))
        client_key = self.router.session.client_ip or self.router.session.client_token
        self.sign_in_error = ""
        with open_session() as session:
            try:
                self._session_token = auth.sign_in(session, email, password, client_key)
            except auth.AccountLocked as locked:
                self.lock_minutes = locked.retry_after_minutes
                self.sign_in_error = "admin_sign_in_locked"
                return
            except auth.InvalidCredentials:
                self.sign_in_error = "admin_sign_in_invalid"
                return
            self._current_editor(session)
        logger.info("Editor %s signed in", self.editor_email)
        return rx.redirect("/admin")

    @rx.event
    async def sign_out(self):
        """End the session on the server, forget every admin state's data, show the sign-in form."""
        with open_session() as session:
            auth.sign_out(session, self._session_token)
        self._forget_session()
        await self._clear_every_admin_state()
        return rx.redirect("/admin")


def _admin_state_classes() -> list[type]:
    """Every admin state below the base (the base itself holds no admin data)."""
    base = AdminState
    found, pending = [], list(base.get_substates())
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(current.get_substates())
    return found
