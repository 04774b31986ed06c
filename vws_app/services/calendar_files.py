"""iCalendar files of events, in one language: one event's file, and the feed of all events calendar apps poll.

Public files never carry the private meeting link; only the file attached to an RSVP's mail
does (`private=True`). A UID is the event's id at the site's host, so every request, language
and mail names the same event; `SEQUENCE` is the event's, bumped on each change it should see.
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from vws_app.i18n import translate, zone_info
from vws_app.models import Event, as_utc
from vws_app.services import recurrence
from vws_app.settings import site_url

# icalendar (about 90 modules, 3 MiB per process) is imported where a file is made, not here:
# the pages and mails import this module for its paths and places, and most workers never
# write a calendar file.
if TYPE_CHECKING:
    from icalendar import Event as CalendarEvent

PRODUCT_ID = "-//Venezuelan Workers Solidarity//vws_app//EN"
REFRESH_INTERVAL = timedelta(hours=6)  # how often calendar apps should poll the feeds


def event_uid(event_id: int) -> str:
    """The stable UID of an event: the same in every language, file and mail."""
    return f"event-{event_id}@{site_url().split('://', 1)[-1].split('/', 1)[0]}"


def event_path(event_id: int) -> str:
    """The event's public page."""
    return f"/events/{event_id}"


def ics_path(event_id: int, language: str) -> str:
    """The event's public calendar file in `language`."""
    return f"/events/{event_id}.ics?lang={language}"


def feed_path(language: str) -> str:
    """`/events.ics` for English, `/es/events.ics` for Spanish."""
    return "/events.ics" if language == "en" else f"/{language}/events.ics"


def localised(event: Event, field: str, language: str) -> str:
    """A text field in `language`, falling back to English when it is not translated."""
    spanish = getattr(event, f"{field}_es") if language == "es" else ""
    return spanish or getattr(event, f"{field}_en")


def place_in(event: Event, language: str) -> str:
    """The event's place in `language`: the Spanish one for Spanish when written, else `place`."""
    return (event.place_es if language == "es" else "") or event.place


def _component(event: Event, language: str, *, private: bool) -> "CalendarEvent":
    from icalendar import Event as CalendarEvent
    from icalendar import vRecur

    zone = zone_info(event.timezone)
    start = as_utc(event.starts_at).astimezone(zone)
    item = CalendarEvent()
    item.add("uid", event_uid(event.id or 0))
    item.add("dtstamp", as_utc(event.updated_at))
    item.add("last-modified", as_utc(event.updated_at))
    item.add("sequence", event.sequence)
    item.add("dtstart", start)
    item.add("dtend", start + recurrence.duration(event))
    if event.recurrence.strip():
        item.add("rrule", vRecur.from_ical(event.recurrence.strip().removeprefix("RRULE:")))
    item.add("summary", localised(event, "title", language))
    description = localised(event, "description", language)
    if private and event.online_url:
        description = f"{translate('rsvp_online_link', language)}: {event.online_url}\n\n{description}"
    item.add("description", description.strip())
    location = place_in(event, language) or (event.online_url if private else "")
    if location:
        item.add("location", location)
    item.add("url", f"{site_url()}{event_path(event.id or 0)}?lang={language}")
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    return item


def _calendar(events: list[Event], language: str, *, private: bool = False, name: str = "") -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT6H")
    for event in events:
        calendar.add_component(_component(event, language, private=private))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_file(event: Event, language: str, *, private: bool = False) -> bytes:
    """One event in `language`; with `private`, the online link too (only for RSVP mail)."""
    return _calendar([event], language, private=private)


def events_feed(session: Session, language: str) -> bytes:
    """Every event (cancelled ones marked so) in `language`: the calendar apps subscribe to."""
    events = list(session.exec(select(Event).order_by(col(Event.starts_at), col(Event.id))).all())
    name = f"{translate('events_heading', language)} · {translate('site_name', language)}"
    return _calendar(events, language, name=name)
