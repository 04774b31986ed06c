"""Every e-mail to people who RSVP, enqueued in the caller's transaction, in each person's language.

Each mail's dedupe key starts with `rsvp:<id>:`, so the mail of one RSVP is found (and erased
with it) by that prefix, and a reminder or change notice is queued once however often it is asked for.
"""

import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from vws_app.i18n import format_event_date, format_time
from vws_app.models import Event, OutboxMessage, OutboxStatus, Rsvp, RsvpStatus, as_utc, utc_now
from vws_app.services import outbox, recurrence
from vws_app.services.calendar_files import event_file, event_path, localised, place_in
from vws_app.services.row_ids import id_of
from vws_app.services.signed_tokens import token_for
from vws_app.settings import site_url

CANCEL_PATH = "/rsvp/cancel"
CANCEL_PURPOSE = "rsvp-cancel"
REMINDER_LEAD = timedelta(days=1)
STATUS_MAIL_INTERVAL = timedelta(hours=1)  # at most one "your RSVP stands" mail per RSVP in each such period
ANSWER_TEMPLATE = "rsvp_answer"


def dedupe_prefix(rsvp_id: int) -> str:
    """What every outbox row of one RSVP's mail has its dedupe key start with."""
    return f"rsvp:{rsvp_id}:"


def cancel_url(rsvp: Rsvp) -> str:
    """The link in every mail to an RSVP: a page whose button cancels it (signed, no address in it)."""
    return f"{site_url()}{CANCEL_PATH}?t={token_for(CANCEL_PURPOSE, rsvp.id)}"


def when_text(event: Event, start: datetime, language: str) -> str:
    """ "Tuesday, November 10, 2026, 7:00 PM Eastern Standard Time" in `language` and the event's zone."""
    return f"{format_event_date(start, language, event.timezone)}, {format_time(start, language, event.timezone)}"


def event_context(event: Event, rsvp: Rsvp, *, start: datetime | None = None) -> dict[str, object]:
    """What every RSVP template shows of the event, in the RSVP's language; the online link only for a held place."""
    language = rsvp.language
    start = start or recurrence.next_start(event, utc_now()) or as_utc(event.starts_at)
    return {
        "title": localised(event, "title", language),
        "when": when_text(event, start, language),
        "place": place_in(event, language),
        "online_url": event.online_url if rsvp.status == RsvpStatus.CONFIRMED.value else "",
        "event_url": f"{site_url()}{event_path(event.id or 0)}?lang={language}",
        "cancel_url": cancel_url(rsvp),
    }


def _calendar_attachment(event: Event, rsvp: Rsvp) -> list[tuple[str, str, bytes]]:
    """The event's `.ics` in the RSVP's language; with the online link only for a held place."""
    private = rsvp.status == RsvpStatus.CONFIRMED.value
    return [(f"event-{event.id}.ics", "text/calendar", event_file(event, rsvp.language, private=private))]


def _enqueue_answer_mail(session: Session, event: Event, rsvp: Rsvp, outcome: str, kind: str, dedupe_key: str) -> bool:
    """The answer template for `outcome`, with the `.ics` when a place is held; whether a row was added."""
    holds_place = outcome != RsvpStatus.WAITLISTED.value
    return (
        outbox.enqueue(
            session,
            kind=kind,
            to=rsvp.email,
            language=rsvp.language,
            template=ANSWER_TEMPLATE,
            context={**event_context(event, rsvp), "outcome": outcome, "name": rsvp.name, "people": rsvp.people},
            dedupe_key=dedupe_key,
            attachments=_calendar_attachment(event, rsvp) if holds_place else None,
        )
        is not None
    )


def enqueue_answer(session: Session, event: Event, rsvp: Rsvp, outcome: str) -> None:
    """The answer to an RSVP: `confirmed`, `waitlisted` or `promoted` (a place freed up); the `.ics` when a place is held."""
    _enqueue_answer_mail(session, event, rsvp, outcome, f"rsvp_{outcome}", f"{dedupe_prefix(id_of(rsvp))}{outcome}")


def enqueue_status(session: Session, event: Event, rsvp: Rsvp, now: datetime) -> bool:
    """Mail an existing RSVP's owner its current status and cancel link (someone RSVPed with it again).

    The dedupe key names the period of `STATUS_MAIL_INTERVAL` that `now` falls in, so repeats,
    even concurrent ones, send at most one such mail per RSVP and period: typing an address again
    and again cannot flood its inbox. Returns whether a mail was queued.
    """
    period = int(as_utc(now).timestamp() // STATUS_MAIL_INTERVAL.total_seconds())
    return _enqueue_answer_mail(
        session, event, rsvp, rsvp.status, "rsvp_status", f"{dedupe_prefix(id_of(rsvp))}status:{period}"
    )


def confirmed_rsvps(session: Session, event_id: int) -> list[Rsvp]:
    return list(session.exec(select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.status == RsvpStatus.CONFIRMED.value)))


def all_rsvps(session: Session, event_id: int) -> list[Rsvp]:
    return list(
        session.exec(select(Rsvp).where(col(Rsvp.event_id) == event_id).order_by(col(Rsvp.created_at), col(Rsvp.id)))
    )


def enqueue_change_notices(session: Session, event: Event) -> int:
    """Tell everyone who RSVPed that the event changed or is cancelled (once per `sequence`); how many."""
    outcome = "cancelled" if event.cancelled else "changed"
    rows: list[dict[str, object]] = [
        {
            "kind": f"event_{outcome}",
            "to": rsvp.email,
            "language": rsvp.language,
            "template": "event_changed",
            "context": {**event_context(event, rsvp), "cancelled": event.cancelled},
            "dedupe_key": f"{dedupe_prefix(id_of(rsvp))}change:{event.sequence}",
            "attachments": _calendar_attachment(event, rsvp),
        }
        for rsvp in all_rsvps(session, event.id or 0)
    ]
    return outbox.enqueue_many(session, rows)


def enqueue_message(session: Session, event: Event, subject: str, body: str) -> int:
    """The editors' message to everyone who RSVPed to `event` (confirmed and waiting); how many."""
    batch = uuid.uuid4().hex[:12]
    rows = [
        {
            "kind": "rsvp_message",
            "to": rsvp.email,
            "language": rsvp.language,
            "template": "rsvp_message",
            "context": {**event_context(event, rsvp), "subject": subject, "body": body},
            "dedupe_key": f"{dedupe_prefix(id_of(rsvp))}message:{batch}",
        }
        for rsvp in all_rsvps(session, event.id or 0)
    ]
    return outbox.enqueue_many(session, rows)


def enqueue_due_reminders(session: Session, now: datetime | None = None) -> int:
    """Queue the day-before reminder of every meeting starting within `REMINDER_LEAD`, to confirmed RSVPs; commits.

    Idempotent: the dedupe key names the RSVP and the meeting's start, so any number of senders
    running this at once queue each reminder once. Returns how many were added.
    """
    now = as_utc(now) if now else utc_now()
    events = session.exec(
        select(Event).where(Event.rsvp_enabled == True, Event.cancelled == False)  # noqa: E712 - SQL expressions
    ).all()
    rows = []
    for event in events:
        start = recurrence.next_start(event, now)
        if start is None or start < now or start > now + REMINDER_LEAD:
            continue
        for rsvp in confirmed_rsvps(session, event.id or 0):
            rows.append(
                {
                    "kind": "rsvp_reminder",
                    "to": rsvp.email,
                    "language": rsvp.language,
                    "template": "rsvp_reminder",
                    "context": event_context(event, rsvp, start=start),
                    "dedupe_key": f"{dedupe_prefix(id_of(rsvp))}reminder:{start.strftime('%Y%m%dT%H%M')}",
                }
            )
    added = outbox.enqueue_many(session, rows)
    session.commit()
    return added


def erase_mail(session: Session, rsvp_id: int) -> None:
    """Delete every outbox row of one RSVP but the one being sent right now (in the caller's transaction)."""
    rows = session.exec(
        select(OutboxMessage).where(
            col(OutboxMessage.dedupe_key).startswith(dedupe_prefix(rsvp_id)),
            OutboxMessage.status != OutboxStatus.SENDING.value,
        )
    ).all()
    for row in rows:
        session.delete(row)
