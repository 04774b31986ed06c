"""When a published post is really scheduled, and how the admin writes that time: in the organisation's zone.

A post with status "published" and a publish date still to come is not on the site yet
(`content._published` hides it until then); editors must see that, with the moment it goes
live, in the zone the organisation works in (`EVENTS_TIMEZONE`), wherever the admin shows it.
"""

from datetime import datetime

from vws_app.i18n import zone_info
from vws_app.models import PostStatus, as_utc, utc_now
from vws_app.settings import events_timezone

INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # an `<input type="datetime-local">` value


def is_scheduled(status: str, published_at: datetime | None, now: datetime | None = None) -> bool:
    """True for a published post whose publish date is still in the future."""
    return status == PostStatus.PUBLISHED.value and published_at is not None and as_utc(published_at) > (now or utc_now())


def local_label(moment: datetime, zone_name: str | None = None) -> str:
    """"2026-12-01 19:00 EST": the moment on the organisation's clock (or `zone_name`'s), zone abbreviated."""
    local = as_utc(moment).astimezone(zone_info(zone_name or events_timezone()))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def scheduled_label(status: str, published_at: datetime | None, now: datetime | None = None) -> str:
    """The time a scheduled post goes live, as `local_label` writes it; "" when it is not scheduled."""
    return local_label(published_at) if is_scheduled(status, published_at, now) else ""


def to_local_input(moment: datetime | None) -> str:
    """A stored UTC time as the organisation's clock shows it, for a `datetime-local` field."""
    return as_utc(moment).astimezone(zone_info(events_timezone())).strftime(INPUT_FORMAT) if moment else ""


def from_local_input(text: str) -> datetime | None:
    """A `datetime-local` value read on the organisation's clock, as UTC; empty or malformed gives None."""
    try:
        naive = datetime.fromisoformat(text).replace(tzinfo=None) if text else None
    except ValueError:
        return None
    return as_utc(naive.replace(tzinfo=zone_info(events_timezone()))) if naive else None
