"""Admin: the events list (upcoming and past) and the one form that creates or edits an event."""

from datetime import datetime

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import zone_info
from vws_app.models import Editor, Event, as_utc
from vws_app.services import content, editorial, time_zones
from vws_app.state.admin_records import RecordFormMixin
from vws_app.state.admin_session import AdminState

EVENT_FORM_FIELDS = (
    "title_en",
    "title_es",
    "description_en",
    "description_es",
    "starts_at",
    "ends_at",
    "timezone",
    "place",
    "place_es",
    "online_url",
    "recurrence",
)
DEFAULT_TIMEZONE = editorial.EventInput(title_en="", starts_at=None).timezone
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
        "place_es": event.place_es,
        "online_url": event.online_url,
        "recurrence": event.recurrence,
    }


class AdminEventsState(RecordFormMixin, AdminState):
    """Every handler runs behind `admin_handler`; nothing is read or written without a session."""

    upcoming: list[dict[str, str]] = []
    past: list[dict[str, str]] = []
    form: dict[str, str] = _form_values(None)

    def _form_values(self, record: Event | None) -> dict[str, str]:
        return _form_values(record)

    def _form_anchor(self) -> str:
        return "event-form"

    def _load_lists(self, session: Session) -> None:
        """Upcoming (soonest first) and past (latest first); which is which is decided by the
        same query the public events page uses, so the rule lives in one place."""
        upcoming_ids = {view.id for view in content.upcoming_events(session, "en")}
        events = editorial.list_events_admin(session)
        self.upcoming = [_row(event) for event in reversed(events) if event.id in upcoming_ids]
        self.past = [_row(event) for event in events if event.id not in upcoming_ids]

    def _clear_lists(self) -> None:
        self.upcoming, self.past = [], []

    def _find(self, session: Session, record_id: int) -> Event | None:
        return session.get(Event, record_id)

    def _times(self) -> tuple[datetime | None, datetime | None]:
        """The form's start and end as UTC.

        Raises:
            editorial.ValidationFailed: a time is not a date and time.
        """
        timezone, times, errors = self.form.get("timezone", "").strip(), [], {}
        for field in ("starts_at", "ends_at"):
            text = self.form.get(field, "").strip()
            try:
                times.append(_utc_from_local(text, timezone) if text else None)
            except ValueError:
                times.append(None)
                errors[field] = "admin_error_generic"
        if errors:
            raise editorial.ValidationFailed(errors)
        return times[0], times[1]

    def _store(self, session: Session, editor: Editor) -> Event:
        starts_at, ends_at = self._times()
        texts = (
            "title_en",
            "title_es",
            "description_en",
            "description_es",
            "place",
            "place_es",
            "online_url",
            "recurrence",
        )
        data = editorial.EventInput(
            **{field: self.form.get(field, "") for field in texts},
            starts_at=starts_at,
            ends_at=ends_at,
            timezone=self.form.get("timezone", "").strip(),
        )
        if self.editing_id:
            return editorial.update_event(session, self.editing_id, data, editor)
        return editorial.create_event(session, data, editor)

    def _remove(self, session: Session, record_id: int, editor: Editor) -> None:
        editorial.delete_event(session, record_id, editor)

    @rx.var
    def timezone_matches(self) -> list[dict[str, str]]:
        """Zones matching what is typed in the time zone field (none once it names a zone exactly)."""
        typed = self.form.get("timezone", "")
        if time_zones.is_zone_name(typed):
            return []
        return [{"name": zone.name, "label": zone.label} for zone in time_zones.search_time_zones(typed)]

    @rx.var
    def timezone_offset(self) -> str:
        """The chosen zone's offset from UTC now ("UTC−06:00"), "" until a zone is chosen."""
        typed = self.form.get("timezone", "")
        return time_zones.offset_label(typed) if time_zones.is_zone_name(typed) else ""
