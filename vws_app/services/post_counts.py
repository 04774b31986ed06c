"""Counts over the visible posts (list totals, archive months), remembered until the posts change.

A list page reads one page of rows through an index, but any count of visible posts reads all
of them (O(posts): 9–16 ms at 10,000 on SQLite). So each count is computed once and reused
while two things hold: `posttablestamp.stamp` is unchanged (a trigger gives it a new random
value on every write to `post`, whoever writes; see migration 0003) and the next scheduled
post has not reached its publish time (it becomes visible without any write). Checking both
costs one primary-key read per call (the publish time is read once per stamp). Each worker
keeps its own copy; the stamp keeps them all exact.
"""

import dataclasses
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from vws_app.models import Post, PostStatus, PostTableStamp, as_utc, utc_now

MAX_ENTRIES = 1_000  # remembered views per database; a request may name any category and month
Value = TypeVar("Value")
_MISSING = object()


@dataclasses.dataclass(frozen=True)
class _Snapshot:
    """Values computed while the posts had one stamp, good until `valid_until` (None: no end)."""

    stamp: int | None
    valid_until: datetime | None
    values: dict[Hashable, object] = dataclasses.field(default_factory=dict)

    def is_current(self, stamp: int | None, now: datetime) -> bool:
        return self.stamp == stamp and (self.valid_until is None or now < self.valid_until)


_snapshots: dict[str, _Snapshot] = {}  # by database URL: tests and tools open several


def remembered(session: Session, key: Hashable, compute: Callable[[], Value]) -> Value:
    """`compute()`'s value for `key`, reused until a post is written or a scheduled one goes live.

    `key` must name everything the value depends on except the posts (language, filters, …).
    """
    values = _current_snapshot(session).values
    value = values.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        if len(values) >= MAX_ENTRIES:
            values.clear()
        values[key] = value
    return value  # type: ignore[return-value]


def _current_snapshot(session: Session) -> _Snapshot:
    """This database's snapshot, replaced by an empty one when the posts have changed."""
    database = str(session.get_bind().engine.url)
    stamp = posts_stamp(session)
    now = utc_now()
    snapshot = _snapshots.get(database)
    if snapshot is None or not snapshot.is_current(stamp, now):
        snapshot = _Snapshot(stamp, next_publication(session, now))
        _snapshots[database] = snapshot
    return snapshot


def posts_stamp_query() -> SelectOfScalar[int]:
    """The value the trigger renews on every write to `post` (no row before migration 0003 ran)."""
    return select(PostTableStamp.stamp).where(col(PostTableStamp.id) == 1)


def next_publication_query(now: datetime) -> SelectOfScalar[datetime | None]:
    """When the next post already marked published becomes visible (its date is still ahead)."""
    return select(func.min(col(Post.published_at))).where(
        col(Post.status) == PostStatus.PUBLISHED.value, col(Post.published_at) > now
    )


def posts_stamp(session: Session) -> int | None:
    """The current stamp (see `posts_stamp_query`)."""
    return session.exec(posts_stamp_query()).first()


def next_publication(session: Session, now: datetime) -> datetime | None:
    """The next publication time after `now` (see `next_publication_query`), in UTC."""
    return utc_or_none(session.exec(next_publication_query(now)).one())


def utc_or_none(moment: datetime | None) -> datetime | None:
    """`moment` with its UTC zone (SQLite drops an aggregate's), or None."""
    return as_utc(moment) if moment is not None else None


def forget_all() -> None:
    """Drop every remembered value (the bench times the first request after a write with it)."""
    _snapshots.clear()
