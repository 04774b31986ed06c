"""Editors' work on one event's RSVPs: settings, headcount, the list, CSV, attendance, removal, messages, cancelling.

Every change is audited; an address in the audit log is masked (`subscriber_admin.mask_email`).
"""

import dataclasses

from sqlalchemy import func
from sqlmodel import Session, select

from vws_app.models import Editor, Event, Rsvp, RsvpStatus, as_utc, utc_now
from vws_app.services import audit, rsvp, rsvp_mail, rsvp_places
from vws_app.services.editorial_common import NotFound, ValidationFailed, get_or_raise
from vws_app.services.inbox import csv_text
from vws_app.services.subscriber_admin import mask_email

__all__ = ["NotFound", "ValidationFailed"]

CSV_HEADER = ("id", "created_at", "status", "people", "attended", "language", "name", "email", "note")
SUBJECT_MAX_LENGTH = 200
MESSAGE_MAX_LENGTH = 10_000


@dataclasses.dataclass(frozen=True)
class Headcount:
    """People (not RSVPs) holding a place and waiting, and the capacity (None: no limit)."""

    confirmed: int
    waitlisted: int
    capacity: int | None


def headcount(session: Session, event_id: int) -> Headcount:
    """How many people come and wait for one event."""
    sums = dict(
        session.exec(
            select(Rsvp.status, func.coalesce(func.sum(Rsvp.people), 0))
            .where(Rsvp.event_id == event_id)
            .group_by(Rsvp.status)
        ).all()
    )
    event = session.get(Event, event_id)
    return Headcount(
        confirmed=int(sums.get(RsvpStatus.CONFIRMED.value, 0)),
        waitlisted=int(sums.get(RsvpStatus.WAITLISTED.value, 0)),
        capacity=event.capacity if event else None,
    )


def list_rsvps(session: Session, event_id: int) -> list[Rsvp]:
    """Everyone who answered, in the order they did (the waiting list's order too)."""
    return rsvp_mail.all_rsvps(session, event_id)


def export_csv(session: Session, event_id: int) -> str:
    """One event's RSVPs as spreadsheet-safe CSV (`inbox.csv_text`)."""
    rows = (
        (
            str(row.id),
            as_utc(row.created_at).isoformat(),
            row.status,
            str(row.people),
            "yes" if row.attended else "no",
            row.language,
            row.name,
            row.email,
            row.note,
        )
        for row in list_rsvps(session, event_id)
    )
    return csv_text(CSV_HEADER, rows)


def parse_capacity(text: str) -> int | None:
    """A capacity typed in the form: empty is no limit.

    Raises:
        ValidationFailed: {"capacity": ...} for anything but a whole number of 1 or more.
    """
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        raise ValidationFailed({"capacity": "admin_rsvps_error_capacity"})
    return int(text)


def save_settings(session: Session, event_id: int, enabled: bool, capacity: int | None, editor: Editor) -> Event:
    """Switch RSVPs on or off and set the capacity; a larger capacity promotes the waiting list. Commits.

    Raises:
        NotFound: no such event.
    """
    event = rsvp_places.lock_event(session, event_id)
    if event is None:
        session.rollback()
        raise NotFound(f"no event {event_id}")
    event.rsvp_enabled, event.capacity, event.updated_at = enabled, capacity, utc_now()
    session.add(event)
    session.flush()
    for promoted in rsvp_places.promote_waiting(session, event_id):
        rsvp_mail.enqueue_answer(session, event, promoted, "promoted")
    audit.record(
        session,
        editor,
        "update",
        "event_rsvp",
        event_id,
        f"RSVP {'on' if enabled else 'off'}, capacity {capacity or '-'}: {event.title_en}",
    )
    session.commit()
    session.refresh(event)
    return event


def set_attended(session: Session, rsvp_id: int, attended: bool, editor: Editor) -> Rsvp:
    """Mark whether someone came; commits.

    Raises:
        NotFound: no such RSVP.
    """
    row = get_or_raise(session, Rsvp, rsvp_id)
    row.attended = attended
    session.add(row)
    audit.record(session, editor, "update", "rsvp", row.id, f"attended={attended}: {mask_email(row.email)}")
    session.commit()
    session.refresh(row)
    return row


def remove_rsvp(session: Session, rsvp_id: int, editor: Editor) -> None:
    """Erase an RSVP (row and mail), audited with a masked address; the waiting list moves up. Commits.

    Raises:
        NotFound: no such RSVP (removed meanwhile).
    """
    if rsvp.remove(session, rsvp_id, editor=editor) is None:
        raise NotFound(f"no RSVP {rsvp_id}")


def message_everyone(session: Session, event_id: int, subject: str, body: str, editor: Editor) -> int:
    """Queue the editors' message to everyone who RSVPed, in one transaction; how many mails.

    Raises:
        NotFound: no such event.
        ValidationFailed: {"message": ...} without a subject or a body, or too long.
    """
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    if not subject or not body or len(subject) > SUBJECT_MAX_LENGTH or len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationFailed({"message": "admin_rsvps_error_message"})
    event = get_or_raise(session, Event, event_id)
    count = rsvp_mail.enqueue_message(session, event, subject, body)
    audit.record(session, editor, "message", "event_rsvp", event_id, f"{count} e-mails: {subject}"[:500])
    session.commit()
    return count


def cancel_event(session: Session, event_id: int, editor: Editor) -> Event:
    """Mark the event cancelled (`STATUS:CANCELLED`, a new `SEQUENCE`) and tell everyone who RSVPed. Commits.

    Raises:
        NotFound: no such event.
    """
    event = get_or_raise(session, Event, event_id)
    if not event.cancelled:
        event.cancelled, event.rsvp_enabled = True, False
        event.sequence += 1
        event.updated_at = utc_now()
        session.add(event)
        session.flush()
        rsvp_mail.enqueue_change_notices(session, event)
        audit.record(session, editor, "cancel", "event", event_id, event.title_en)
        session.commit()
        session.refresh(event)
    return event
