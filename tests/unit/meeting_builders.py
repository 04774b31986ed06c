"""Builders for the meetings tests: an event that takes RSVPs, and RSVP requests."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from vws_app.models import Event, utc_now
from vws_app.services.rsvp import RsvpRequest

PRIVATE_LINK = "https://meet.example.org/secret-room-4711"


def add_meeting(
    session: Session,
    *,
    capacity: int | None = None,
    starts_at: datetime | None = None,
    recurrence: str = "",
    timezone: str = "America/New_York",
    rsvp_enabled: bool = True,
) -> Event:
    """A committed bilingual online meeting a week ahead (or at `starts_at`), taking RSVPs."""
    start = starts_at or (utc_now() + timedelta(days=7)).replace(microsecond=0)
    event = Event(
        title_en="Monthly assembly",
        title_es="Asamblea mensual",
        description_en="We talk about the month.",
        description_es="Hablamos del mes.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        timezone=timezone,
        place="Union hall, Queens",
        online_url=PRIVATE_LINK,
        rsvp_enabled=rsvp_enabled,
        capacity=capacity,
        recurrence=recurrence,
        updated_at=datetime(2030, 1, 1, tzinfo=UTC),
    )
    session.add(event)
    session.commit()
    session.refresh(event)
    return event


def request(number: int = 0, *, people: int = 1, language: str = "es", **changes) -> RsvpRequest:
    """A valid RSVP from reader `number`."""
    values = {
        "name": f"Lectora {number}",
        "email": f"reader{number}@example.org",
        "people": str(people),
        "note": "",
        "consent": True,
        "language": language,
    }
    return RsvpRequest(**(values | changes))
