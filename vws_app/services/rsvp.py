"""RSVPs from readers: validate, hold a place or join the waiting list, and cancel from the mail's link.

The answer's mail (with the `.ics` when a place is held) is enqueued in the same transaction
as the RSVP. No address is ever in a URL: the cancel link is a signed id (`rsvp_mail.cancel_url`).
"""

import dataclasses
import enum
import os
from datetime import datetime, timedelta
from typing import TypeGuard

from email_validator import EmailNotValidError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from vws_app.i18n import normalise_language, translate
from vws_app.models import Editor, Event, Rsvp, RsvpStatus, as_utc, utc_now
from vws_app.services import audit, recurrence, rsvp_mail, rsvp_places
from vws_app.services.consent import consent_given, record_consent
from vws_app.services.contact import clean_text, normalised_email
from vws_app.services.rate_limits import RateLimited, client_hash, refuse_over_limit
from vws_app.services.row_ids import id_of
from vws_app.services.signed_tokens import id_from_token
from vws_app.services.subscriber_admin import mask_email

__all__ = ["ANSWER_KEY", "RateLimited", "RsvpClosed", "RsvpInvalid", "RsvpRequest", "rsvp", "cancel"]

FIELDS = ("name", "email", "people", "note", "consent")
NAME_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 1000
RATE_LIMIT_COUNT = 10  # RSVPs one client may send per window; RSVP_RATE_LIMIT overrides it
RATE_LIMIT_WINDOW = timedelta(minutes=10)
ANSWER_KEY = "rsvp_sent"  # the one answer to every stored RSVP, new or already listed (no enumeration)


class RsvpInvalid(Exception):
    """One or more fields are wrong; `errors` maps each field to a catalogue key."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{field}: {key}" for field, key in errors.items()))
        self.errors = errors


class RsvpClosed(Exception):
    """The event is unknown, takes no RSVPs, is cancelled or is over."""


class Outcome(str, enum.Enum):
    """What the reader is told: a place is held, or they are on the waiting list."""

    CONFIRMED = RsvpStatus.CONFIRMED.value
    WAITLISTED = RsvpStatus.WAITLISTED.value


@dataclasses.dataclass(frozen=True)
class RsvpRequest:
    """What a reader sent from an event's RSVP form, as typed; `language` is the page's (their mail's)."""

    name: str
    email: str
    people: str
    note: str = ""
    consent: bool = False
    language: str = "en"
    honeypot: str = ""
    notice_id: int | None = None  # the privacy notice version the form showed


def rate_limit_count() -> int:
    """RSVPs one client may send per window (`RSVP_RATE_LIMIT`, else 10)."""
    configured = os.environ.get("RSVP_RATE_LIMIT", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else RATE_LIMIT_COUNT


def _people(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= rsvp_places.MAX_PEOPLE else None


def field_error(field: str, value: object) -> str | None:
    """The catalogue key of what is wrong with one field, or None when it is fine."""
    text = clean_text(field if field != "note" else "message", str(value or "")) if field != "consent" else ""
    if field == "name":
        if not text:
            return "rsvp_error_name_required"
        if len(text) > NAME_MAX_LENGTH:
            return "rsvp_error_name_too_long"
    elif field == "email":
        if not text:
            return "rsvp_error_email_required"
        try:
            normalised_email(text)
        except EmailNotValidError:
            return "rsvp_error_email_invalid"
    elif field == "people" and _people(value) is None:
        return "rsvp_error_people_invalid"
    elif field == "note" and len(text) > NOTE_MAX_LENGTH:
        return "rsvp_error_note_too_long"
    elif field == "consent" and not value:
        return "rsvp_error_consent_required"
    return None


def validate(request: RsvpRequest) -> tuple[str, str, int, str]:
    """(name, lower-cased normalised address, people, note) of a valid request.

    Raises:
        RsvpInvalid: listing every field that is wrong.
    """
    values = dataclasses.asdict(request)
    errors = {field: key for field in FIELDS if (key := field_error(field, values[field]))}
    if errors:
        raise RsvpInvalid(errors)
    return (
        clean_text("name", request.name),
        normalised_email(clean_text("email", request.email)).lower(),
        _people(request.people) or 1,
        clean_text("message", request.note),
    )


def is_open(event: Event | None, now: datetime) -> TypeGuard[Event]:
    """Whether `event` takes RSVPs now: switched on, not cancelled, a meeting still to come."""
    return bool(event and event.rsvp_enabled and not event.cancelled and recurrence.next_start(event, now))


def rsvp(
    session: Session, event_id: int, request: RsvpRequest, *, client_address: str, now: datetime | None = None
) -> Outcome:
    """Take an RSVP; commits. A place is held if the party fits, else the reader joins the waiting list.

    The page must answer every stored RSVP alike (`ANSWER_KEY`): the outcome is for the mail only.
    An address already on this event's list keeps its row; its owner is mailed their current
    status and cancel link (at most once per `rsvp_mail.STATUS_MAIL_INTERVAL`), so typing someone's
    address tells the typist nothing about whether it is listed. A filled honeypot stores nothing.

    Raises:
        RsvpInvalid: a field is wrong; nothing is stored.
        RsvpClosed: the event takes no RSVPs.
        RateLimited: this client sent too many RSVPs lately; nothing is stored.
        sqlalchemy.exc.SQLAlchemyError: the database failed; nothing is stored, retrying is safe.
    """
    name, email, people, note = validate(request)
    now = as_utc(now) if now else utc_now()
    if request.honeypot.strip():
        return Outcome.CONFIRMED
    consent = consent_given(session, request.notice_id, request.language, now)  # before the event's lock
    event = rsvp_places.lock_event(session, event_id)
    if not is_open(event, now):
        session.rollback()
        raise RsvpClosed(event_id)
    hashed_client = client_hash(client_address)
    try:
        refuse_over_limit(
            session,
            client_column=col(Rsvp.client_hash),
            time_column=col(Rsvp.created_at),
            hashed_client=hashed_client,
            now=now,
            limit=rate_limit_count(),
            window=RATE_LIMIT_WINDOW,
        )
    except RateLimited:
        session.rollback()
        raise
    existing = session.exec(select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.email == email)).first()
    if existing is not None:
        rsvp_mail.enqueue_status(session, event, existing, now)
        session.commit()
        return Outcome(existing.status)
    holds_place = rsvp_places.take_places(session, event_id, people)
    language = normalise_language(request.language)
    row = Rsvp(
        event_id=event_id,
        name=name,
        email=email,
        people=people,
        note=note,
        language=language,
        status=(RsvpStatus.CONFIRMED if holds_place else RsvpStatus.WAITLISTED).value,
        consent_text=translate("rsvp_consent", language),
        client_hash=hashed_client,
        created_at=now,
    )
    record_consent(row, consent)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # the same address a moment ago, from another request: that one answers
        return Outcome.CONFIRMED
    session.refresh(event)
    rsvp_mail.enqueue_answer(session, event, row, row.status)
    session.commit()
    return Outcome(row.status)


def rsvp_for_cancel_token(session: Session, token: str) -> Rsvp | None:
    """The RSVP a cancel link names, or None for a forged, malformed or already used link."""
    rsvp_id = id_from_token(rsvp_mail.CANCEL_PURPOSE, token)
    return None if rsvp_id is None else session.get(Rsvp, rsvp_id)


def remove(session: Session, rsvp_id: int, *, editor: Editor | None = None) -> Rsvp | None:
    """Delete an RSVP and its mail, free its places and promote the waiting list; commits. None when unknown.

    The promoted are told by mail, and an editor's removal is audited (address masked), in the same transaction.
    """
    row = withdraw_uncommitted(session, rsvp_id, editor=editor)
    if row is None:
        session.rollback()
        return None
    session.commit()
    return row


def withdraw_uncommitted(session: Session, rsvp_id: int, *, editor: Editor | None = None) -> Rsvp | None:
    """`remove` without the commit, for a caller that removes more in the same transaction (an erasure)."""
    row = session.get(Rsvp, rsvp_id)
    if row is None:
        return None
    event = rsvp_places.lock_event(session, row.event_id)
    row = session.get(Rsvp, rsvp_id)
    if row is None or event is None:
        return None
    if row.status == RsvpStatus.CONFIRMED.value:
        rsvp_places.give_back(session, id_of(event), row.people)
    rsvp_mail.erase_mail(session, id_of(row))
    if editor is not None:
        audit.record(session, editor, "delete", "rsvp", row.id, f"{mask_email(row.email)} (event {row.event_id})")
    session.delete(row)
    session.flush()
    if not event.cancelled:
        for promoted in rsvp_places.promote_waiting(session, id_of(event)):
            session.refresh(event)
            rsvp_mail.enqueue_answer(session, event, promoted, "promoted")
    return row


def cancel(session: Session, token: str) -> Rsvp | None:
    """The person's own cancellation from the mail's link; commits. None for a bad or used link."""
    row = rsvp_for_cancel_token(session, token)
    return None if row is None else remove(session, id_of(row))
