"""Admin: the events list (upcoming and past) and the one form that creates or edits an event."""

from datetime import datetime

import reflex as rx

from vws_app.i18n import zone_info
from vws_app.models import Event, as_utc
from vws_app.services import content, editorial
from vws_app.services.database import open_session
from vws_app.state.admin_form import AdminFormMixin
from vws_app.state.admin_session import AdminState

EVENT_FORM_FIELDS = (
    "title_en", "title_es", "description_en", "description_es",
    "starts_at", "ends_at", "timezone", "place", "online_url",
)
DEFAULT_TIMEZONE = editorial.EventInput(title_en="", starts_at=None).timezone
FIELD_MAX_LENGTH = 20_000  # what a tampered client may park in state; the service checks the real limits
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _local_input(moment: datetime | None, timezone: str) -> str:
    """A stored UTC time as a `datetime-local` value in the event's own time zone."""
    if moment is None:
        return ""
    return as_utc(moment).astimezone(zone_info(timezone)).strftime(DATETIME_LOCAL_FORMAT)


def _utc_from_local(text: str, timezone: str) -> datetime:
    """A `datetime-local` value read in `timezone` (UTC for an unknown zone, which the
    service then refuses), as an aware UTC time.

    Raises:
        ValueError: `text` is not a date and time.
    """
    naive = datetime.fromisoformat(text).replace(tzinfo=None)
    return as_utc(naive.replace(tzinfo=zone_info(timezone)))


def _row(event: Event) -> dict[str, str]:
    """What the admin list shows of an event: its start as the clock read where it happens."""
    return {
        "id": str(event.id),
        "title_en": event.title_en,
        "title_es": event.title_es,
        "starts_at": _local_input(event.starts_at, event.timezone).replace("T", " "),
        "timezone": event.timezone,
        "place": event.place,
        "online_url": event.online_url,
    }


def _form_values(event: Event | None) -> dict[str, str]:
    """The form's fields for `event`, or the empty form of a new event."""
    if event is None:
        return {field: "" for field in EVENT_FORM_FIELDS} | {"timezone": DEFAULT_TIMEZONE}
    return {
        "title_en": event.title_en,
        "title_es": event.title_es,
        "description_en": event.description_en,
        "description_es": event.description_es,
        "starts_at": _local_input(event.starts_at, event.timezone),
        "ends_at": _local_input(event.ends_at, event.timezone),
        "timezone": event.timezone,
        "place": event.place,
        "online_url": event.online_url,
    }


class AdminEventsState(AdminFormMixin, AdminState):
    """Every handler asks `_current_editor` first; nothing is read or written without a session."""

    upcoming: list[dict[str, str]] = []
    past: list[dict[str, str]] = []
    form: dict[str, str] = _form_values(None)
    editing_id: int = 0
    loaded: bool = False  # the form shows only once loaded, so nothing typed is reset

    def _clear_admin_data(self) -> None:
        """Forget every event this tab was shown."""
        self.upcoming, self.past, self.form_errors = [], [], {}
        self.form, self.editing_id, self.notice = _form_values(None), 0, ""
        self.loaded = False

    def _load_lists(self, session) -> None:
        """Upcoming (soonest first) and past (latest first); which is which is decided by the
        same query the public events page uses, so the rule lives in one place."""
        upcoming_ids = {view.id for view in content.upcoming_events(session, "en")}
        events = editorial.list_events_admin(session)
        self.upcoming = [_row(event) for event in reversed(events) if event.id in upcoming_ids]
        self.past = [_row(event) for event in events if event.id not in upcoming_ids]

    @rx.event
    def load(self):
        """On page load: both lists, and an empty form for a new event."""
        with open_session() as session:
            if self._current_editor(session) is None:
                return
            self._load_lists(session)
            self.form, self.form_errors, self.editing_id, self.notice = _form_values(None), {}, 0, ""
            self.loaded = True

    @rx.event
    def start_new(self):
        """Empty the form to write a new event."""
        with open_session() as session:
            if self._current_editor(session) is None:
                return
        self.form, self.form_errors, self.editing_id, self.notice = _form_values(None), {}, 0, ""
        return rx.scroll_to("event-form")

    @rx.event
    def edit_event(self, event_id: int):
        """Fill the form with event `event_id`, its times in its own time zone."""
        with open_session() as session:
            if self._current_editor(session) is None:
                return
            event = session.get(Event, int(event_id))
            self.form_errors, self.notice = {}, ""
            if event is None:
                self.notice = "admin_error_generic"
                self._load_lists(session)
                return
            self.editing_id, self.form = event.id, _form_values(event)
        return rx.scroll_to("event-form")

    @rx.event
    def set_form_field(self, field: str, value: str):
        """Keep what the editor types in the event form."""
        if field in EVENT_FORM_FIELDS:
            self.form = {**self.form, field: str(value)[:FIELD_MAX_LENGTH]}

    def _times(self) -> tuple[datetime | None, datetime | None, dict[str, str]]:
        """The form's start and end as UTC, and an error for any that is not a date and time."""
        timezone, times, errors = self.form.get("timezone", "").strip(), [], {}
        for field in ("starts_at", "ends_at"):
            text = self.form.get(field, "").strip()
            try:
                times.append(_utc_from_local(text, timezone) if text else None)
            except ValueError:
                times.append(None)
                errors[field] = "admin_error_generic"
        return times[0], times[1], errors

    @rx.event
    def save(self):
        """Create or update the event; errors show beside the fields and the form keeps everything."""
        with open_session() as session:
            editor = self._current_editor(session)
            if editor is None:
                return
            starts_at, ends_at, time_errors = self._times()
            if time_errors:
                self.form_errors, self.notice = time_errors, ""
                return
            data = editorial.EventInput(
                title_en=self.form.get("title_en", ""),
                title_es=self.form.get("title_es", ""),
                description_en=self.form.get("description_en", ""),
                description_es=self.form.get("description_es", ""),
                starts_at=starts_at,
                ends_at=ends_at,
                timezone=self.form.get("timezone", "").strip(),
                place=self.form.get("place", ""),
                online_url=self.form.get("online_url", ""),
            )
            try:
                event = (
                    editorial.update_event(session, self.editing_id, data, editor)
                    if self.editing_id
                    else editorial.create_event(session, data, editor)
                )
            except editorial.ValidationFailed as failed:
                self.form_errors, self.notice = failed.errors, ""
                return
            except editorial.NotFound:
                self.form_errors, self.notice, self.editing_id = {"form": "admin_error_generic"}, "", 0
                return
            self.form_errors, self.notice = {}, "admin_saved"
            self.editing_id, self.form = event.id, _form_values(event)
            self._load_lists(session)

    @rx.event
    def delete_event(self, event_id: int):
        """Delete an event (the page asked for confirmation first)."""
        with open_session() as session:
            editor = self._current_editor(session)
            if editor is None:
                return
            try:
                editorial.delete_event(session, int(event_id), editor)
            except editorial.NotFound:
                pass
            if self.editing_id == int(event_id):
                self.form, self.form_errors, self.editing_id = _form_values(None), {}, 0
            self.notice = "admin_deleted"
            self._load_lists(session)
