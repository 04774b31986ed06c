"""Which edits of an event its RSVPs and calendar subscribers must hear about: time, place, link, repeat rule, title."""

from datetime import datetime

from sqlalchemy import inspect

from vws_app.models import Event, as_utc

WATCHED_FIELDS = (
    "starts_at",
    "ends_at",
    "timezone",
    "place",
    "place_es",
    "online_url",
    "recurrence",
    "title_en",
    "title_es",
)


def _comparable(value: object) -> object:
    """Times in UTC (SQLite hands them back naive), anything else as it is."""
    return as_utc(value) if isinstance(value, datetime) else value


def calendar_change(event: Event) -> bool:
    """Whether the pending edit of a stored `event` changes what a calendar or an attendee relies on.

    Compares each watched field with the value loaded from the database (SQLAlchemy's history),
    so setting a field to the same value is no change.
    """
    state = inspect(event)
    for field in WATCHED_FIELDS:
        history = state.attrs[field].history
        if not history.has_changes():
            continue
        before, after = (history.deleted or [None])[0], (history.added or [None])[0]
        if _comparable(before) != _comparable(after):
            return True
    return False
