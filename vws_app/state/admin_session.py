"""Who is signed in to the admin, decided on the server for every event from the socket's session cookie.

Signing in and out are HTTP forms (`vws_app/server/admin_auth.py`) that set and clear an
HttpOnly cookie; the event socket's handshake carries it, reduced to the token's digest. Each
admin event resolves the editor from that digest (`admin_guard.admin_handler`), so a tab's
Reflex token replayed from another browser, which lacks the cookie, is not signed in, and
`TabHandoverGuard` drops the data a tab holds before it is sent to a socket with another cookie.
Public vars here only say what the page shows; none has a setter a client could call.
"""

import logging
from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.middleware import Middleware
from sqlmodel import Session

from vws_app.i18n import translate
from vws_app.models import Editor, EditorRole
from vws_app.server.admin_auth import session_digest_from_cookie_header
from vws_app.services import auth, inbox, two_factor
from vws_app.services.database import open_session
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import write_off_loop

logger = logging.getLogger(__name__)
SIGN_IN_ERRORS = {
    "invalid": "admin_sign_in_invalid",
    "locked": "admin_sign_in_locked",
    "expired": "admin_sign_in_expired",
    "code_invalid": "admin_code_invalid",
}
ACCOUNT_PATH = "/admin/account"
ENROLMENT_ONLY = "enrolment only"  # what a refused call of an editor who must first enrol returns
MAX_LOCK_MINUTES = 60


class AdminState(LanguageState):
    """Base of every admin state: the sign-in outcome, the one session check, forgetting."""

    _bound_digest: str = ""  # the session digest the admin data of this tab was loaded under
    signed_in: bool = False
    editor_email: str = ""
    editor_name: str = ""  # the display name, shown in the header when the editor has one
    is_admin: bool = False
    new_message_count: int = 0
    sign_in_error: str = ""
    lock_minutes: int = 0

    def _session_digest(self) -> str:
        """The digest of the session cookie the socket of this event was opened with ('' without)."""
        return session_digest_from_cookie_header(self.router.headers.cookie)

    def _checked_call(self, body: Callable[..., Any], role: str | None, digest: str, args, kwargs):
        """In a worker thread: (ran, signed_out, result). The body runs only for a valid session with `role`.

        Without a valid session the tab is to drop everything it showed; with a valid session
        but too low a role it stays signed in and gets nothing.
        """
        with open_session() as session:
            try:
                editor = auth.require_editor_by_hash(session, digest, role)
            except auth.NotAuthorised:
                signed_out = role is None or not self._has_valid_session(session, digest)
                return False, signed_out, None
            self._show_editor(session, editor, digest)
            if not getattr(body, "allowed_before_enrolment", False) and two_factor.must_enrol(session, editor.id):
                return False, False, ENROLMENT_ONLY
            return True, False, body(self, session, editor, *args, **kwargs)

    async def _run_guarded(self, body: Callable[..., Any], role: str | None, args, kwargs):
        """What `admin_handler` events do: the checked call off the event loop, then forget if refused."""
        digest = self._session_digest()
        ran, signed_out, result = await write_off_loop(self._checked_call, body, role, digest, args, kwargs)
        if signed_out:
            await self._forget_everything()
        if result == ENROLMENT_ONLY and not ran:  # the admins require a second factor this editor lacks
            return rx.redirect(ACCOUNT_PATH)
        return result if ran else None

    def _has_valid_session(self, session: Session, digest: str) -> bool:
        """Whether the session is still valid, whatever the editor's role."""
        try:
            auth.require_editor_by_hash(session, digest)
        except auth.NotAuthorised:
            return False
        return True

    def _show_editor(self, session: Session, editor: Editor, digest: str) -> None:
        self._bound_digest = digest
        self.signed_in = True
        self.editor_email = editor.email
        self.editor_name = editor.display_name
        self.is_admin = editor.role == EditorRole.ADMIN.value
        self.new_message_count = inbox.count_new(session)

    def _forget_session(self) -> None:
        """Back to the sign-in form, with nothing of the admin left in this state."""
        self._bound_digest = ""
        self.signed_in = False
        self.editor_email = ""
        self.editor_name = ""
        self.is_admin = False
        self.new_message_count = 0
        self._clear_admin_data()

    def _clear_admin_data(self) -> None:
        """Each admin state drops the data it loaded; the base holds none."""

    async def _forget_everything(self) -> None:
        """Drop the session and the data of every admin state of this tab."""
        self._forget_session()
        for state_class in _admin_state_classes():
            substate = await self.get_state(state_class)
            substate._clear_admin_data()

    def _show_sign_in_outcome(self) -> None:
        """The error the sign-in form was sent back with (`/admin?sign_in=locked&minutes=12`)."""
        query = self.router.url.query_parameters
        self.sign_in_error = SIGN_IN_ERRORS.get(query.get("sign_in", ""), "")
        minutes = str(query.get("minutes", ""))
        self.lock_minutes = min(int(minutes), MAX_LOCK_MINUTES) if minutes.isdigit() and len(minutes) < 4 else 1

    @rx.var
    def sign_in_message(self) -> str:
        """The sign-in error in the editor's language."""
        if not self.sign_in_error:
            return ""
        return translate(self.sign_in_error, self.lang, minutes=self.lock_minutes)

    @rx.var
    def new_message_label(self) -> str:
        """ "3 new" beside the inbox link."""
        return translate("admin_new_messages", self.lang, count=self.new_message_count)

    @rx.event
    async def check_session(self):
        """On every admin page load: is this tab still signed in? If not, forget everything."""
        self._show_sign_in_outcome()
        await self._run_guarded(_show_only, None, (), {})


def _show_only(_state: AdminState, _session: Session, _editor: Editor) -> None:
    """The body of a check that only (re)shows who is signed in."""


_show_only.allowed_before_enrolment = True  # the account page's frame needs it while enrolling


def _admin_state_classes() -> list[type]:
    """Every admin state below the base (the base itself holds no admin data)."""
    found, pending = [], list(AdminState.get_substates())
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(current.get_substates())
    return found


class TabHandoverGuard(Middleware):
    """Before any event of a socket whose session cookie is not the one a tab's admin data was
    loaded under (a copied tab token, a sign-out, another editor), that data is dropped, so
    Reflex's full-state hydrate never sends it there."""

    async def preprocess(self, app, state, event):
        admin = await state.get_state(AdminState)
        if admin._bound_digest and admin._bound_digest != admin._session_digest():
            logger.info("Admin data of a tab dropped: its socket carries another session")
            await admin._forget_everything()
        return None
