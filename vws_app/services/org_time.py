"""Publish times as editors read and type them: wall-clock time in the organisation's zone, stored as UTC."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from vws_app.i18n import BABEL_LOCALES, normalise_language
from vws_app.models import as_utc
from vws_app.settings import organisation_timezone

INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # what an HTML `datetime-local` input sends and shows


def organisation_zone() -> ZoneInfo:
    """The organisation's time zone (see `settings.organisation_timezone`)."""
    return ZoneInfo(organisation_timezone())


def local_input_to_utc(text: str, zone: ZoneInfo | None = None) -> datetime | None:
    """A `datetime-local` value ("2026-03-08T02:30") read as wall time in `zone`, in UTC.

    Empty or malformed text gives None. A time that does not exist (the hour skipped when clocks
    go forward) is read as the same wall time one hour later, the moment the clocks show it; a time
    that happens twice (clocks go back) is its first occurrence.
    """
    zone = zone or organisation_zone()
    try:
        wall = datetime.strptime(text.strip(), INPUT_FORMAT) if text else None
    except ValueError:
        return None
    if wall is None:
        return None
    moment = wall.replace(tzinfo=zone, fold=0)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:  # in a spring-forward gap
        moment = (wall + timedelta(hours=1)).replace(tzinfo=zone)
    return moment.astimezone(UTC)


def utc_to_local_input(moment: datetime | None, zone: ZoneInfo | None = None) -> str:
    """A stored (UTC) time as the `datetime-local` value of the organisation's wall clock."""
    if moment is None:
        return ""
    return as_utc(moment).astimezone(zone or organisation_zone()).strftime(INPUT_FORMAT)


def zone_label(language: str, zone: ZoneInfo | None = None, at: datetime | None = None) -> str:
    """The zone beside a time field, named in the editor's language: "Eastern Time (America/New_York)"."""
    zone = zone or organisation_zone()
    locale = BABEL_LOCALES[normalise_language(language)]
    name = format_datetime(as_utc(at) if at else datetime.now(UTC), "vvvv", tzinfo=zone, locale=locale)
    return f"{name} ({zone.key})"


def local_label(moment: datetime | None, zone: ZoneInfo | None = None) -> str:
    """A stored time as the organisation's wall clock with its zone's abbreviation: "2026-03-08 03:30 EDT"."""
    if moment is None:
        return ""
    local = as_utc(moment).astimezone(zone or organisation_zone())
    return f"{local.strftime('%Y-%m-%d %H:%M')} {local.tzname()}"
