"""The outbox as a work queue: claim due rows with a lease, record each outcome, retry by hand.

A claim is one UPDATE that marks due rows `sending` with a lease and returns them, so several
senders never take the same row: on PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`,
on SQLite the statement holds the database's single write lock. A row whose lease ran out
(its sender died mid-send) is due again and is sent with the same Message-ID.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, and_, func, or_, select, update
from sqlmodel import Session, col

from vws_app.models import OutboxMessage, OutboxStatus, utc_now

TABLE: Table = OutboxMessage.__table__  # type: ignore[attr-defined]  # set on table models at run time, not in SQLModel's types
QUEUED, SENDING, SENT, FAILED = (status.value for status in OutboxStatus)


@dataclass(frozen=True)
class Claim:
    """Rows one sender took, and the lease they share (it identifies this claim)."""

    rows: list[OutboxMessage]
    lease_until: datetime


def backoff(attempts: int, *, base_seconds: float, max_seconds: float) -> timedelta:
    """How long to wait after the `attempts`-th failed try: base, 2×base, 4×base, … up to the maximum."""
    return timedelta(seconds=min(max_seconds, base_seconds * 2 ** max(0, attempts - 1)))


def _due(now: datetime):
    """Rows that may be claimed: waiting and due, or being sent under a lease that ran out."""
    return or_(
        and_(TABLE.c.status == QUEUED, TABLE.c.next_attempt_at <= now),
        and_(TABLE.c.status == SENDING, TABLE.c.lease_until < now),
    )


def claim_due(session: Session, *, limit: int, lease_seconds: float, now: datetime | None = None) -> Claim:
    """Take up to `limit` due rows for this sender, oldest due first, and commit the claim.

    Each claimed row is `sending`, leased until `now + lease_seconds`, its attempts counted.
    """
    now = now or utc_now()
    lease_until = now + timedelta(seconds=lease_seconds)
    pick = select(TABLE.c.id).where(_due(now)).order_by(TABLE.c.next_attempt_at, TABLE.c.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    statement = (
        update(TABLE)
        .where(TABLE.c.id.in_(pick.scalar_subquery()))
        .values(status=SENDING, lease_until=lease_until, attempts=TABLE.c.attempts + 1)
        .returning(TABLE.c.id)
    )
    ids = list(session.execute(statement).scalars().all())
    session.commit()
    if not ids:
        return Claim(rows=[], lease_until=lease_until)
    query = select(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).order_by(col(OutboxMessage.id))
    rows = list(session.execute(query).scalars().all())
    for row in rows:
        session.expunge(row)  # plain values from here on: later commits do not reload them
    return Claim(rows=rows, lease_until=lease_until)


def mark_sent(session: Session, row_id: int, *, now: datetime | None = None) -> None:
    """Record that the server accepted row `row_id`."""
    session.execute(
        update(TABLE)
        .where(TABLE.c.id == row_id, TABLE.c.status == SENDING)
        .values(status=SENT, sent_at=now or utc_now(), lease_until=None, last_error="")
    )
    session.commit()


def mark_attempt_failed(
    session: Session,
    row: OutboxMessage,
    error: str,
    *,
    max_attempts: int,
    retry_after: timedelta,
    now: datetime | None = None,
) -> str:
    """Record a failed try: due again after `retry_after`, or `failed` after `max_attempts`. The new status."""
    now = now or utc_now()
    status = FAILED if row.attempts >= max_attempts else QUEUED
    # A failed row keeps the time it failed (the admin shows it); a queued one, when it is due.
    next_attempt_at = now if status == FAILED else now + retry_after
    session.execute(
        update(TABLE)
        .where(TABLE.c.id == row.id, TABLE.c.status == SENDING)
        .values(status=status, next_attempt_at=next_attempt_at, lease_until=None, last_error=error[:500])
    )
    session.commit()
    return status


def release(session: Session, row_ids: list[int], lease_until: datetime) -> None:
    """Give back rows of a claim that were not tried (stopping, or the lease ran short): due now, try not counted."""
    if not row_ids:
        return
    session.execute(
        update(TABLE)
        .where(TABLE.c.id.in_(row_ids), TABLE.c.status == SENDING, TABLE.c.lease_until == lease_until)
        .values(status=QUEUED, lease_until=None, attempts=TABLE.c.attempts - 1)
    )
    session.commit()


def sends_in_last_minute(session: Session, now: datetime | None = None) -> int:
    """Rows sent in the last minute plus rows being sent now: what counts against the rate limit."""
    now = now or utc_now()
    recent = or_(
        and_(TABLE.c.status == SENT, TABLE.c.sent_at > now - timedelta(minutes=1)),
        and_(TABLE.c.status == SENDING, TABLE.c.lease_until >= now),
    )
    return session.execute(select(func.count()).select_from(TABLE).where(recent)).scalar_one()


def counts_by_status(session: Session) -> dict[str, int]:
    """How many rows are in each status (every status present, zero when none)."""
    found = dict(session.execute(select(TABLE.c.status, func.count()).group_by(TABLE.c.status)).all())
    return {status.value: int(found.get(status.value, 0)) for status in OutboxStatus}


def failed_rows(session: Session, *, limit: int = 100) -> list[OutboxMessage]:
    """The most recently failed rows, newest first (for the admin)."""
    query = (
        select(OutboxMessage)
        .where(col(OutboxMessage.status) == FAILED)
        .order_by(col(OutboxMessage.next_attempt_at).desc(), col(OutboxMessage.id).desc())
        .limit(limit)
    )
    return list(session.execute(query).scalars().all())


def retry_failed(session: Session, row_ids: list[int] | None = None, *, now: datetime | None = None) -> int:
    """Queue failed rows again with a fresh count of attempts (all failed rows when `row_ids` is None).

    Committed; returns how many rows were queued again.
    """
    condition = TABLE.c.status == FAILED
    if row_ids is not None:
        condition = and_(condition, TABLE.c.id.in_(row_ids))
    result = session.exec(
        update(TABLE).where(condition).values(status=QUEUED, attempts=0, next_attempt_at=now or utc_now())
    )
    session.commit()
    return result.rowcount or 0
