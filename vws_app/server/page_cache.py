"""Filled pages kept in memory until the content they show changes.

Building `/` costs the site texts, the latest posts and string work on every request; a
cached copy costs a few index reads of what any change to a public page moves: the newest
audit entry (every editor's write records one in the same transaction, see
`services/audit.py`), the posts' stamp (a trigger renews it on any write to `post`, whoever
writes, see migration 0003) and the next scheduled publication (a post dated in the future
appears at that moment without anyone writing). Pages that depend on the clock in other
ways (an event moving from upcoming to past) are also rebuilt at least every `MAX_AGE_S`.
Each worker keeps its own copy; the version keeps them all in step with the database.
"""

import dataclasses
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from vws_app.models import AuditEntry, utc_now
from vws_app.services.post_counts import next_publication_query, posts_stamp_query, utc_or_none

MAX_AGE_S = 60.0
MAX_ENTRIES = 512


@dataclasses.dataclass(frozen=True)
class ContentVersion:
    """What a cached page was built from: equal versions show the same content."""

    last_write: int | None
    next_publication: datetime | None
    posts_stamp: int | None = None

    def seconds_until_publication(self) -> float:
        """How long until the next scheduled post appears (infinite when none is scheduled)."""
        if self.next_publication is None:
            return float("inf")
        return (self.next_publication - utc_now()).total_seconds()


def content_version(session: Session) -> ContentVersion:
    """The current version, in one round trip of index lookups (no table scan)."""
    last_write, stamp, publication = session.exec(
        select(
            select(func.max(AuditEntry.id)).scalar_subquery(),
            posts_stamp_query().scalar_subquery(),
            next_publication_query(utc_now()).scalar_subquery(),
        )
    ).one()
    return ContentVersion(last_write=last_write, next_publication=utc_or_none(publication), posts_stamp=stamp)


@dataclasses.dataclass(frozen=True)
class _Entry:
    version: ContentVersion
    expires_at: float
    value: object


class PageCache:
    """Values by key, valid while the content version is unchanged and they are younger than `MAX_AGE_S`."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_age_s: float = MAX_AGE_S) -> None:
        self._entries: OrderedDict[object, _Entry] = OrderedDict()
        self._max_entries = max_entries
        self._max_age_s = max_age_s

    def get_or_build(self, key: object, version: ContentVersion, build: Callable[[], object]) -> object:
        """The cached value for `key` at `version`, or `build()`'s, which is kept unless it is None."""
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry.version == version and entry.expires_at > now:
            self._entries.move_to_end(key)
            return entry.value
        value = build()
        if value is not None:
            lifetime = min(self._max_age_s, version.seconds_until_publication())
            self._entries[key] = _Entry(version, now + lifetime, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything (tests, or a restore from backup)."""
        self._entries.clear()
