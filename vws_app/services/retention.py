"""The retention purge: delete what the retention policy says is due, and audit how many of each (never what).

`purge_due` is run once a day by the mail-worker (`services/daily_jobs.py`); the periods come
from `retention_policy.load_retention_policy`, the same policy the privacy page shows. Rows
are chosen by the time that matters for each kind, with `<=` at every boundary: a row exactly
as old as the period is due.
"""

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, exists, func
from sqlmodel import Session, col, delete, select

from vws_app.models import (
    AuditEntry,
    ContactMessage,
    ContactNote,
    ContactStatus,
    Event,
    OutboxMessage,
    OutboxStatus,
    Rsvp,
    RsvpStatus,
    SignInFailure,
    Subscriber,
    SubscriberStatus,
    as_utc,
)
from vws_app.services import audit, auth, letters, recurrence, rsvp_places
from vws_app.services.retention_policy import RetentionPolicy

AUDIT_ACTION = "retention_purge"
AUDIT_ENTITY = "retention"
CONTACT_AUDIT_ENTITY = "contact_message"  # what the inbox's audit entries name a message


def _untouched_since(cutoff: datetime):
    """A contact message created, changed and annotated no later than `cutoff`.

    Every change to a message is audited (status, assignee, note), so its last change is its
    newest audit entry or note: no column of its own has to be kept up to date.
    """
    changed_later = exists().where(
        col(AuditEntry.entity) == CONTACT_AUDIT_ENTITY,
        col(AuditEntry.entity_id) == col(ContactMessage.id),
        col(AuditEntry.created_at) > cutoff,
    )
    noted_later = exists().where(
        col(ContactNote.message_id) == col(ContactMessage.id), col(ContactNote.created_at) > cutoff
    )
    return and_(col(ContactMessage.created_at) <= cutoff, ~changed_later, ~noted_later)


def _purge_contact(session: Session, status: ContactStatus, cutoff: datetime) -> tuple[int, int]:
    """Delete messages in `status` untouched since `cutoff`, and their notes; (messages, notes)."""
    ids = list(
        session.exec(
            select(ContactMessage.id).where(ContactMessage.status == status.value, _untouched_since(cutoff))
        ).all()
    )
    if not ids:
        return 0, 0
    notes = session.exec(delete(ContactNote).where(col(ContactNote.message_id).in_(ids))).rowcount
    messages = session.exec(delete(ContactMessage).where(col(ContactMessage.id).in_(ids))).rowcount
    return messages, notes


def _purge_unconfirmed_subscribers(session: Session, now: datetime) -> int:
    """Subscribers never confirmed whose confirmation link has expired."""
    return session.exec(
        delete(Subscriber).where(
            col(Subscriber.status) == SubscriberStatus.PENDING.value,
            col(Subscriber.token_expires_at) <= now,
        )
    ).rowcount


def _purge_finished_mail(session: Session, cutoff: datetime) -> int:
    """Outbox mail sent or given up on at least the period ago (sent: since sending; failed: since queued)."""
    done = col(OutboxMessage.status).in_([OutboxStatus.SENT.value, OutboxStatus.FAILED.value])
    return session.exec(
        delete(OutboxMessage).where(
            done,
            func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) <= cutoff,
        )
    ).rowcount


def _purge_past_rsvps(session: Session, cutoff: datetime) -> int:
    """RSVPs of events whose last meeting ended no later than `cutoff` (a series without end keeps its RSVPs).

    Places are given back through `rsvp_places`, so an event's count stays its RSVPs' sum.
    """
    event_ids = session.exec(select(Rsvp.event_id).distinct()).all()
    removed = 0
    for event_id in event_ids:
        event = session.get(Event, event_id)
        if event is None or recurrence.next_start(event, cutoff) is not None:
            continue
        for row in session.exec(select(Rsvp).where(Rsvp.event_id == event_id)).all():
            if row.status == RsvpStatus.CONFIRMED.value:
                rsvp_places.give_back(session, event_id, row.people)
            session.delete(row)
            removed += 1
    return removed


def _purge_old_sign_in_failures(session: Session, cutoff: datetime) -> int:
    """Failed sign-ins older than the policy's period (the lockout's own purge usually took them sooner)."""
    return session.exec(delete(SignInFailure).where(col(SignInFailure.created_at) <= cutoff)).rowcount


def purge_due(session: Session, policy: RetentionPolicy, now: datetime) -> dict[str, int]:
    """Delete everything the policy says is due at `now`; one audit entry with the counts. Commits.

    Returns how many rows of each kind went.
    """
    now = as_utc(now)
    counts: dict[str, int] = {}
    handled = _purge_contact(session, ContactStatus.HANDLED, now - relativedelta(months=policy.handled_contact_months))
    spam = _purge_contact(session, ContactStatus.SPAM, now - timedelta(days=policy.spam_contact_days))
    counts["contact_handled"], counts["contact_spam"] = handled[0], spam[0]
    counts["contact_note"] = handled[1] + spam[1]
    counts["subscriber_unconfirmed"] = _purge_unconfirmed_subscribers(session, now)
    counts["rsvp_past"] = _purge_past_rsvps(session, now - timedelta(days=policy.past_rsvp_days))
    counts["sign_in_failure"] = _purge_old_sign_in_failures(session, now - timedelta(days=policy.sign_in_failure_days))
    session.commit()
    counts["letter_signature_unconfirmed"] = letters.purge_unconfirmed(session, now=now)  # commits per batch
    counts["editor_sign_in_rows"] = auth.purge_stale_rows(session, now)  # sessions, pending sign-ins, reset links
    # Last: mail the steps above left behind (a purged signature's or RSVP's) ages out with the rest.
    counts["outbox_message"] = _purge_finished_mail(session, now - timedelta(days=policy.sent_mail_days))
    summary = ", ".join(f"{kind}={number}" for kind, number in counts.items())
    audit.record(session, None, AUDIT_ACTION, AUDIT_ENTITY, None, summary, now=now)
    session.commit()
    return counts
