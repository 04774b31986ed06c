"""Builders for the mailing-list tests: subscribers in bulk, in any language and state."""

from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from vws_app.models import Subscriber, SubscriberStatus, utc_now


def add_subscribers(
    session: Session,
    count: int,
    *,
    language: str = "en",
    status: str = SubscriberStatus.CONFIRMED.value,
    prefix: str = "reader",
    confirmed_at: datetime | None = None,
) -> list[int]:
    """`count` subscribers (`prefix`-`language`-N@example.org) in one insert; their ids, in order."""
    now = utc_now()
    confirmed = confirmed_at or now if status != SubscriberStatus.PENDING.value else None
    rows = [
        {
            "email": f"{prefix}-{language}-{number}@example.org",
            "language": language,
            "status": status,
            "consent_language": language,
            "consent_text": "",
            "last_request_client_hash": "",
            "created_at": now,
            "confirmed_at": confirmed,
            "unsubscribed_at": now if status == SubscriberStatus.UNSUBSCRIBED.value else None,
        }
        for number in range(count)
    ]
    if rows:
        session.execute(insert(Subscriber), rows)
        session.commit()
    emails = [row["email"] for row in rows]
    return list(
        session.exec(select(Subscriber.id).where(col(Subscriber.email).in_(emails)).order_by(Subscriber.id)).all()
    )
