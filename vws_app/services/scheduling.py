"""When a published post is really scheduled, and how the admin labels it: on the organisation's clock.

A post with status "published" and a publish date still to come is not on the site yet
(`content._published` hides it until then); editors must see that, with the moment it goes
live, in the zone the organisation works in (`services/org_time.py`), wherever the admin shows it.
"""

from datetime import datetime

from vws_app.models import PostStatus, as_utc, utc_now
from vws_app.services.org_time import local_label


def is_scheduled(status: str, published_at: datetime | None, now: datetime | None = None) -> bool:
    """True for a published post whose publish date is still in the future."""
    return (
        status == PostStatus.PUBLISHED.value and published_at is not None and as_utc(published_at) > (now or utc_now())
    )


def scheduled_label(status: str, published_at: datetime | None, now: datetime | None = None) -> str:
    """The time a scheduled post goes live, as `org_time.local_label` writes it; "" when it is not scheduled."""
    return local_label(published_at) if is_scheduled(status, published_at, now) else ""
