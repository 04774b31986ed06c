"""The posts archive: which years and months have posts, and the bounds of a period."""

import dataclasses
from collections import Counter
from datetime import UTC, datetime

from sqlmodel import Session

from vws_app.i18n import SITE_TIMEZONE, format_month, normalise_language, zone_info
from vws_app.services import content, post_counts

EARLIEST_YEAR = 1990
LATEST_YEAR = 2200


@dataclasses.dataclass(frozen=True)
class ArchiveMonth:
    """One month with posts, named in the visitor's language."""

    year: int
    month: int
    label: str
    count: int


@dataclasses.dataclass(frozen=True)
class ArchiveYear:
    """One year with posts, and its months, newest first."""

    year: int
    count: int
    months: list[ArchiveMonth]


def parse_period(year: str, month: str = "") -> tuple[int, int | None] | None:
    """A (year, month or None) from address text; None for anything that is not a real period."""
    if not (year.isdigit() and len(year) == 4 and EARLIEST_YEAR <= int(year) <= LATEST_YEAR):
        return None
    if not month:
        return int(year), None
    if month.isdigit() and len(month) <= 2 and 1 <= int(month) <= 12:
        return int(year), int(month)
    return None


def period_bounds(year: int, month: int | None) -> tuple[datetime, datetime]:
    """The UTC start (inclusive) and end (exclusive) of a year or month as it falls where we work."""
    zone = zone_info(SITE_TIMEZONE)
    start = datetime(year, month or 1, 1, tzinfo=zone)
    if month is None or month == 12:
        end = datetime(year + 1, 1, 1, tzinfo=zone)
    else:
        end = datetime(year, month + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def archive(session: Session, language: str) -> list[ArchiveYear]:
    """Years and months that have posts a visitor of `language` can list, with counts."""
    per_month = month_counts(session, language)
    years = sorted({year for year, _month in per_month}, reverse=True)
    return [
        ArchiveYear(
            year=year,
            count=sum(count for (y, _m), count in per_month.items() if y == year),
            months=[
                ArchiveMonth(year, month, format_month(year, month, language), per_month[(year, month)])
                for month in sorted((m for (y, m) in per_month if y == year), reverse=True)
            ],
        )
        for year in years
    ]


def month_counts(session: Session, language: str) -> Counter[tuple[int, int]]:
    """How many listable posts each (year, month) has, months as they fall where we work.

    Reads the date of every visible post, so the counts are remembered until a post is written
    or a scheduled one goes live (see `post_counts`); the caller gets its own copy.
    """
    language = normalise_language(language)

    def count() -> Counter[tuple[int, int]]:
        zone = zone_info(SITE_TIMEZONE)
        local_dates = (moment.astimezone(zone) for moment in content.visible_publish_dates(session, language))
        return Counter((moment.year, moment.month) for moment in local_dates)

    return Counter(post_counts.remembered(session, ("archive_months", language), count))
