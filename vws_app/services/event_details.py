"""One event as its page shows it, in one language: the next meeting, the ones after, whether RSVPs are open."""

import dataclasses
from datetime import datetime

from sqlmodel import Session

from vws_app.i18n import format_event_date, format_time, normalise_language, zone_info
from vws_app.models import Event, as_utc, utc_now
from vws_app.services import recurrence
from vws_app.services.calendar_files import ics_path, localised, place_in
from vws_app.services.rsvp import is_open

NEXT_DATES = 4


@dataclasses.dataclass(frozen=True)
class EventDetails:
    """What the event page shows; never the private online link (`is_online` says there is one)."""

    found: bool = False
    id: int = 0
    title: str = ""
    description: str = ""
    date_label: str = ""
    time_label: str = ""
    end_label: str = ""  # when the meeting ends ("" if no end was given); with its date when another day
    place: str = ""
    is_online: bool = False
    cancelled: bool = False
    past: bool = False
    rsvp_open: bool = False
    next_dates: list[str] = dataclasses.field(default_factory=list)
    ics_path: str = ""
    start_iso: str = ""
    end_iso: str = ""


def event_details(session: Session, event_id: int, language: str, now: datetime | None = None) -> EventDetails:
    """The event's page in `language` (English where a field is not translated); `found=False` when unknown."""
    event = session.get(Event, event_id) if 0 < event_id < 10**12 else None
    if event is None:
        return EventDetails()
    return details_of(event, language, now)


def _end_label(event: Event, start: datetime, language: str) -> str:
    """The end of the meeting that starts at `start`, on the event's clock; "" when no end was given."""
    if event.ends_at is None:
        return ""
    end, zone = start + recurrence.duration(event), zone_info(event.timezone)
    clock = format_time(end, language, event.timezone)
    if end.astimezone(zone).date() == start.astimezone(zone).date():
        return clock
    return f"{format_event_date(end, language, event.timezone)}, {clock}"


def details_of(event: Event, language: str, now: datetime | None = None) -> EventDetails:
    """`event` as its page shows it in `language`."""
    language = normalise_language(language)
    now = as_utc(now) if now else utc_now()
    coming = recurrence.occurrences(event, now, NEXT_DATES + 1)
    start = coming[0] if coming else as_utc(event.starts_at)
    return EventDetails(
        found=True,
        id=event.id or 0,
        title=localised(event, "title", language),
        description=localised(event, "description", language),
        date_label=format_event_date(start, language, event.timezone),
        time_label=format_time(start, language, event.timezone),
        end_label=_end_label(event, start, language),
        place=place_in(event, language),
        is_online=bool(event.online_url),
        cancelled=event.cancelled,
        past=not coming,
        rsvp_open=is_open(event, now),
        next_dates=[
            f"{format_event_date(when, language, event.timezone)}, {format_time(when, language, event.timezone)}"
            for when in coming[1:]
        ],
        ics_path=ics_path(event.id or 0, language),
        start_iso=start.astimezone(zone_info(event.timezone)).isoformat(),
        end_iso=(start + recurrence.duration(event)).astimezone(zone_info(event.timezone)).isoformat(),
    )
