"""Repeating meetings: an RRULE (RFC 5545) expanded in the event's own time zone, so 7 pm stays 7 pm across DST."""

from datetime import UTC, datetime, timedelta

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrulestr

from vws_app.i18n import zone_info
from vws_app.models import Event, as_utc

ALLOWED_FREQUENCIES = {DAILY, WEEKLY, MONTHLY, YEARLY}
MAX_RULE_LENGTH = 200
DEFAULT_DURATION = timedelta(hours=2)


def _rule(value: str, local_start: datetime):
    """The parsed rule (naive local times).

    Raises:
        ValueError: not a rule we accept (unparsable, too frequent, or too long).
    """
    text = value.strip().removeprefix("RRULE:")
    if len(text) > MAX_RULE_LENGTH or "\n" in text:
        raise ValueError("rule too long")
    rule = rrulestr(text, dtstart=local_start)
    if getattr(rule, "_freq", None) not in ALLOWED_FREQUENCIES:
        raise ValueError("only daily, weekly, monthly or yearly repeats")
    return rule


def rule_error(value: str, starts_at: datetime | None, timezone: str) -> str | None:
    """The catalogue key of what is wrong with a repeat rule, or None (an empty rule is fine)."""
    if not value.strip():
        return None
    local_start = (as_utc(starts_at) if starts_at else datetime.now(UTC)).astimezone(zone_info(timezone))
    try:
        _rule(value, local_start.replace(tzinfo=None))
    except (ValueError, TypeError, KeyError):
        return "admin_error_recurrence_invalid"
    return None


def duration(event: Event) -> timedelta:
    """How long one meeting lasts (two hours when no end is given)."""
    if event.ends_at is None:
        return DEFAULT_DURATION
    return max(as_utc(event.ends_at) - as_utc(event.starts_at), timedelta(0))


def occurrences(event: Event, after: datetime, count: int) -> list[datetime]:
    """Up to `count` starts (UTC) of meetings that have not ended at `after`, soonest first."""
    start = as_utc(event.starts_at)
    length = duration(event)
    if not event.recurrence.strip():
        return [start] if start + length >= as_utc(after) else []
    zone = zone_info(event.timezone)
    try:
        rule = _rule(event.recurrence, start.astimezone(zone).replace(tzinfo=None))
    except (ValueError, TypeError, KeyError):
        return [start] if start + length >= as_utc(after) else []
    earliest = (as_utc(after) - length).astimezone(zone).replace(tzinfo=None)
    found = []
    for local in rule.xafter(earliest, count=count, inc=True):
        # Wall-clock time in the event's zone: the UTC offset follows DST on each date.
        found.append(local.replace(tzinfo=zone).astimezone(UTC))
    return found


def next_start(event: Event, now: datetime) -> datetime | None:
    """The start of the next meeting that has not ended at `now`, or None when all are over."""
    upcoming = occurrences(event, now, 1)
    return upcoming[0] if upcoming else None
