"""Per-client rate limits kept in the database (so they hold across workers): count a client's recent rows."""

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Mapped
from sqlmodel import Session, select

from vws_app.models import as_utc
from vws_app.settings import secret_key


class RateLimited(Exception):
    """This client did too much lately; `retry_after_minutes` says when to try again."""

    def __init__(self, retry_after_minutes: int):
        super().__init__(f"rate limited for {retry_after_minutes} more minutes")
        self.retry_after_minutes = retry_after_minutes


def client_hash(client_address: str) -> str:
    """A salted hash of the client's address: enough to count its requests, useless to identify it."""
    return hashlib.sha256(f"{secret_key()}:{client_address}".encode()).hexdigest()


def refuse_over_limit(
    session: Session,
    *,
    client_column: Mapped[Any],
    time_column: Mapped[Any],
    hashed_client: str,
    now: datetime,
    limit: int,
    window: timedelta,
) -> None:
    """Refuse a client with `limit` or more rows (by `client_column`) whose `time_column` falls within `window`.

    Raises:
        RateLimited: with the minutes until the oldest of those rows leaves the window.
    """
    count, oldest = session.exec(
        select(func.count(), func.min(time_column)).where(client_column == hashed_client, time_column >= now - window)
    ).one()
    if count >= limit:
        wait = as_utc(oldest) + window - now
        raise RateLimited(max(1, -(-int(wait.total_seconds()) // 60)))
