"""The editors' view of the mailing list: counts, search, CSV export, removal and growth over time."""

import dataclasses
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from vws_app.i18n import SUPPORTED_LANGUAGES
from vws_app.models import Editor, OutboxMessage, OutboxStatus, Subscriber, as_utc, utc_now
from vws_app.services import audit
from vws_app.services.editorial_common import NotFound, get_or_raise
from vws_app.services.inbox import csv_text

SUBSCRIBER_STATUSES = ("pending", "confirmed", "unsubscribed")
PER_PAGE = 50
MAX_PER_PAGE = 200
GROWTH_WEEKS = 26
CSV_HEADER = ("id", "email", "language", "status", "created_at", "confirmed_at", "unsubscribed_at")
NEWSLETTER_KINDS = ("newsletter",)

__all__ = ["NotFound", "counts", "export_csv", "growth_by_week", "mask_email", "remove_subscriber", "search"]


@dataclasses.dataclass(frozen=True)
class GrowthPoint:
    """How many addresses were confirmed subscribers at the end of the week starting `week`."""

    week: date
    confirmed: int


def counts(session: Session) -> dict[str, dict[str, int]]:
    """Subscribers by language, then by status, zeros included: {"en": {"confirmed": 3, …}, "es": …}."""
    table = {language: dict.fromkeys(SUBSCRIBER_STATUSES, 0) for language in SUPPORTED_LANGUAGES}
    grouped = session.exec(
        select(Subscriber.language, Subscriber.status, func.count()).group_by(Subscriber.language, Subscriber.status)
    ).all()
    for language, status, number in grouped:
        table.setdefault(language, dict.fromkeys(SUBSCRIBER_STATUSES, 0))[status] = number
    return table


def _filtered(query: str, status: str, language: str):
    """Subscribers whose address contains `query` (any case), with `status` and `language` when given.

    An unknown status or language matches none; `%` and `_` in `query` are matched literally.
    """
    statement = select(Subscriber)
    needle = query.strip().lower()
    if needle:
        statement = statement.where(func.lower(Subscriber.email).contains(needle, autoescape=True))
    if status:
        statement = statement.where(Subscriber.status == status)
    if language:
        statement = statement.where(Subscriber.language == language)
    return statement


def _newest_first(statement):
    return statement.order_by(col(Subscriber.created_at).desc(), col(Subscriber.id).desc())


def search(
    session: Session, query: str = "", status: str = "", language: str = "", page: int = 1, per_page: int = PER_PAGE
) -> tuple[list[Subscriber], int]:
    """One page of matching subscribers, newest first, and how many match in all.

    `page` and `per_page` are clamped (1.., 1..MAX_PER_PAGE) so a tampered request cannot ask for everything.
    """
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    statement = _filtered(query, status, language)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(_newest_first(statement).offset((max(page, 1) - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def _when(moment: datetime | None) -> str:
    return as_utc(moment).isoformat() if moment else ""


def export_csv(session: Session, query: str = "", status: str = "", language: str = "") -> str:
    """The matching subscribers as spreadsheet-safe CSV (the inbox's writer and formula guard)."""
    rows = (
        (
            str(row.id),
            row.email,
            row.language,
            row.status,
            _when(row.created_at),
            _when(row.confirmed_at),
            _when(row.unsubscribed_at),
        )
        for row in session.exec(_newest_first(_filtered(query, status, language))).all()
    )
    return csv_text(CSV_HEADER, rows)


def mask_email(email: str) -> str:
    """ "m…@example.org": enough for the audit log to tell entries apart, not the address itself."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


def remove_subscriber(session: Session, subscriber_id: int, editor: Editor) -> None:
    """Delete a subscriber for good (an erasure request, a bounce), audited, in one commit.

    Their newsletter mail not yet sent goes with them; the audit entry keeps only a masked
    address, so removing someone also removes their address from the site's records.

    Raises:
        NotFound: no such subscriber (removed meanwhile, or a tampered id).
    """
    subscriber = get_or_raise(session, Subscriber, subscriber_id)
    session.exec(
        delete(OutboxMessage).where(
            col(OutboxMessage.recipient) == subscriber.email,
            col(OutboxMessage.kind).in_(NEWSLETTER_KINDS),
            col(OutboxMessage.status) == OutboxStatus.QUEUED.value,
        )
    )
    summary = f"{mask_email(subscriber.email)} ({subscriber.language}, {subscriber.status})"
    audit.record(session, editor, "delete", "subscriber", subscriber.id, summary)
    session.delete(subscriber)
    session.commit()


def _per_day(session: Session, column, *conditions) -> dict[date, int]:
    """How many subscribers have `column` on each UTC day (one grouped query)."""
    day = func.date(column)
    rows = session.exec(select(day, func.count()).where(column.is_not(None), *conditions).group_by(day)).all()
    return {date.fromisoformat(str(when)[:10]): number for when, number in rows}


def growth_by_week(session: Session, weeks: int = GROWTH_WEEKS, today: date | None = None) -> list[GrowthPoint]:
    """Confirmed subscribers at the end of each of the last `weeks` weeks (Monday to Sunday, UTC), oldest first.

    Counted from when each address was confirmed and, if it left, when it unsubscribed; an
    address removed by an editor no longer counts in any week. Two grouped queries, so the
    cost follows the number of days with changes, not the number of subscribers.
    """
    today = today or utc_now().date()
    joined = _per_day(session, col(Subscriber.confirmed_at))
    left = _per_day(session, col(Subscriber.unsubscribed_at), col(Subscriber.confirmed_at).is_not(None))
    this_monday = today - timedelta(days=today.weekday())
    points = []
    for offset in range(weeks - 1, -1, -1):
        monday = this_monday - timedelta(weeks=offset)
        end = monday + timedelta(days=7)
        confirmed = sum(n for day, n in joined.items() if day < end) - sum(n for day, n in left.items() if day < end)
        points.append(GrowthPoint(week=monday, confirmed=confirmed))
    return points
