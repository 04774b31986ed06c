"""Finding an event's time zone by the city an editor knows: "Chicago" → America/Chicago (UTC−06:00).

Zone names are IANA's (`zoneinfo.available_timezones()`), whose last part is a city; an
editor types a city, a country region or part of the name and picks from the matches, each
shown with its offset now, so "which zone is Caracas?" needs no lookup elsewhere.
"""

import dataclasses
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from vws_app.models import as_utc, utc_now

MAX_MATCHES = 8
# Legacy aliases ("US/Central", "Etc/GMT+6", "CST6CDT") only repeat real zones confusingly.
_AREAS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/")


@dataclasses.dataclass(frozen=True)
class ZoneChoice:
    """One match: the zone's IANA name, its city as people write it, and its offset from UTC now."""

    name: str
    city: str
    offset: str

    @property
    def label(self) -> str:
        """ "Chicago — America/Chicago (UTC−06:00)"."""
        return f"{self.city} — {self.name} ({self.offset})"


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    """The regional IANA zones plus UTC, sorted (the list is read once per process)."""
    return tuple(sorted(name for name in available_timezones() if name.startswith(_AREAS))) + ("UTC",)


def city_of(name: str) -> str:
    """ "America/Argentina/Buenos_Aires" → "Buenos Aires"."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def offset_label(name: str, now: datetime | None = None) -> str:
    """The zone's offset from UTC at `now` (default: this moment): "UTC−06:00", "UTC+05:30", "UTC"."""
    offset = as_utc(now or utc_now()).astimezone(ZoneInfo(name)).utcoffset() or timedelta(0)
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def _normalised(text: str) -> str:
    return text.strip().lower().replace("_", " ").replace("-", " ")


def search_time_zones(query: str, now: datetime | None = None, limit: int = MAX_MATCHES) -> list[ZoneChoice]:
    """Zones whose name matches `query` (case, spaces and underscores ignored): cities that start
    with it first, then any other name containing it; nothing for an empty query."""
    wanted = _normalised(query)
    if not wanted:
        return []
    starts, contains = [], []
    for name in _zone_names():
        if _normalised(city_of(name)).startswith(wanted):
            starts.append(name)
        elif wanted in _normalised(name):
            contains.append(name)
    return [ZoneChoice(name, city_of(name), offset_label(name, now)) for name in (starts + contains)[:limit]]


def is_zone_name(name: str) -> bool:
    """True when `name` is exactly a zone the picker offers."""
    return name in _zone_names()
