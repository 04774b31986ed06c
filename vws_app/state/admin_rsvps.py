"""Admin: one event's RSVPs — settings (on/off, capacity), headcount, the list with notes, CSV, attendance, removal, a message to all, cancelling.

Every handler runs behind `admin_handler` (the session check and the database work together
in a worker thread), so nothing waits on the event loop.
"""

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import translate
from vws_app.models import Editor, as_utc
from vws_app.services import editorial, rsvp_admin
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

EMPTY_HEADCOUNT = {"confirmed": 0, "waitlisted": 0, "capacity": ""}
SUBJECT_MAX_LENGTH = 300
BODY_MAX_LENGTH = 12_000


def _event_option(event) -> dict[str, str]:
    return {"id": str(event.id), "label": f"{as_utc(event.starts_at):%Y-%m-%d} · {event.title_en}"}


def _rsvp_row(row) -> dict[str, str]:
    return {
        "id": str(row.id),
        "name": row.name,
        "email": row.email,
        "people": str(row.people),
        "note": row.note,
        "language": row.language,
        "status": row.status,
        "attended": "yes" if row.attended else "",
        "created_at": as_utc(row.created_at).strftime("%Y-%m-%d %H:%M UTC"),
    }


class AdminRsvpsState(AdminState):
    """The chosen event (`?event=<id>` or the select) and what the page shows of it."""

    events: list[dict[str, str]] = []
    selected_id: int = 0
    rsvps: list[dict[str, str]] = []
    headcount: dict[str, int | str] = EMPTY_HEADCOUNT
    rsvp_enabled: bool = False
    capacity: str = ""
    cancelled: bool = False
    notice: str = ""  # a catalogue key
    queued: int = 0

    def _clear_admin_data(self) -> None:
        """Forget every event, name and address this tab was shown."""
        self.events, self.rsvps, self.headcount = [], [], EMPTY_HEADCOUNT
        self.selected_id, self.rsvp_enabled, self.capacity, self.cancelled = 0, False, "", False
        self.notice, self.queued = "", 0

    def _reload(self, session: Session) -> None:
        """The events to choose from and, for the chosen one, its settings, headcount and list."""
        events = editorial.list_events_admin(session)
        self.events = [_event_option(event) for event in events]
        chosen = next((event for event in events if event.id == self.selected_id), None)
        if chosen is None:
            self.selected_id, self.rsvps, self.headcount = 0, [], EMPTY_HEADCOUNT
            return
        count = rsvp_admin.headcount(session, chosen.id)
        self.headcount = {
            "confirmed": count.confirmed,
            "waitlisted": count.waitlisted,
            "capacity": "" if count.capacity is None else str(count.capacity),
        }
        self.rsvp_enabled, self.capacity, self.cancelled = (
            chosen.rsvp_enabled,
            self.headcount["capacity"],
            chosen.cancelled,
        )
        self.rsvps = [_rsvp_row(row) for row in rsvp_admin.list_rsvps(session, chosen.id)]

    def _needs_event(self) -> bool:
        """True (and says so) when no event is chosen."""
        if self.selected_id:
            return False
        self.notice = "admin_rsvps_error_no_event"
        return True

    @rx.var
    def notice_text(self) -> str:
        """The last outcome in the editor's language."""
        return translate(self.notice, self.lang, count=self.queued) if self.notice else ""

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """The page: the event named by `?event=` (or the one chosen before)."""
        raw = self.router.url.query_parameters.get("event", "")
        if raw.isdigit() and len(raw) < 12:
            self.selected_id = int(raw)
        self.notice = ""
        self._reload(session)

    @admin_handler()
    def choose_event(self, session: Session, editor: Editor, event_id: str):
        """Show another event's RSVPs."""
        self.selected_id = int(event_id) if str(event_id).isdigit() and len(str(event_id)) < 12 else 0
        self.notice = ""
        self._reload(session)

    @admin_handler()
    def save_settings(self, session: Session, editor: Editor, form_data: dict):
        """RSVPs on or off, and the capacity (empty: no limit); a larger capacity lets waiting people in."""
        enabled = form_data.get("rsvp_enabled") in ("on", "yes", "true", True)
        capacity_text = str(form_data.get("capacity", ""))[:12]
        if self._needs_event():
            return
        try:
            rsvp_admin.save_settings(
                session, self.selected_id, enabled, rsvp_admin.parse_capacity(capacity_text), editor
            )
            self.notice = "admin_rsvps_saved"
        except rsvp_admin.ValidationFailed as invalid:
            self.notice = invalid.errors["capacity"]
        except rsvp_admin.NotFound:
            self.selected_id = 0
        self._reload(session)

    @admin_handler()
    def set_attended(self, session: Session, editor: Editor, rsvp_id: int, attended: bool):
        """Mark whether someone came."""
        try:
            rsvp_admin.set_attended(session, int(rsvp_id), bool(attended), editor)
            self.notice = ""
        except rsvp_admin.NotFound:
            self.notice = "admin_rsvps_gone"
        self._reload(session)

    @admin_handler()
    def remove_rsvp(self, session: Session, editor: Editor, rsvp_id: int):
        """Erase an RSVP (the page asked for confirmation first); the waiting list moves up."""
        try:
            rsvp_admin.remove_rsvp(session, int(rsvp_id), editor)
            self.notice = "admin_rsvps_removed"
        except rsvp_admin.NotFound:
            self.notice = "admin_rsvps_gone"
        self._reload(session)

    @admin_handler()
    def send_message(self, session: Session, editor: Editor, form_data: dict):
        """Queue the editors' message to everyone who RSVPed, each in their language's layout."""
        subject = str(form_data.get("subject", ""))[:SUBJECT_MAX_LENGTH]
        body = str(form_data.get("body", ""))[:BODY_MAX_LENGTH]
        if self._needs_event():
            return
        try:
            self.queued = rsvp_admin.message_everyone(session, self.selected_id, subject, body, editor)
            self.notice = "admin_rsvps_message_queued"
        except rsvp_admin.ValidationFailed:
            self.notice = "admin_rsvps_error_message"
        except rsvp_admin.NotFound:
            self.selected_id = 0
            self._reload(session)

    @admin_handler()
    def cancel_event(self, session: Session, editor: Editor):
        """Cancel the chosen event (the page asked for confirmation first) and tell everyone who RSVPed."""
        if self._needs_event():
            return
        try:
            rsvp_admin.cancel_event(session, self.selected_id, editor)
            self.notice = "admin_rsvps_event_cancelled"
        except rsvp_admin.NotFound:
            self.selected_id = 0
        self._reload(session)

    @admin_handler()
    def export_csv(self, session: Session, editor: Editor):
        """Download the chosen event's RSVPs as CSV (spreadsheet-safe cells, accents intact)."""
        if self._needs_event():
            return None
        text = rsvp_admin.export_csv(session, self.selected_id)
        return rx.download(
            data=text.encode("utf-8"),
            filename=f"rsvps-event-{self.selected_id}.csv",
            mime_type="text/csv;charset=utf-8",
        )
