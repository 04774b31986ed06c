"""Places at an event: taken and given back by one conditional UPDATE, so capacity holds under concurrent RSVPs.

`lock_event` first serialises writers of one event (a row lock on PostgreSQL, the write lock
on SQLite), so "is this address already on the list?" and the insert that follows cannot
interleave; the UPDATE's own condition (`places_taken + n <= capacity`) is what guarantees
the count never passes the capacity, even for a writer that skipped the lock.
"""

import sqlite3
from typing import cast

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from vws_app.models import Event, Rsvp, RsvpStatus

MAX_PEOPLE = 10  # per RSVP


def lock_event(session: Session, event_id: int) -> Event | None:
    """The event, locked for this transaction (other RSVPs to it wait until it ends); None when unknown."""
    if session.get_bind().dialect.name == "sqlite":
        # Take the write lock now: a read transaction that writes later fails when another wrote meanwhile.
        # (pysqlite begins a transaction only before a write, so one already open holds the lock.)
        connection = session.connection()
        if not cast(sqlite3.Connection, connection.connection.dbapi_connection).in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return session.get(Event, event_id)
    return session.exec(select(Event).where(Event.id == event_id).with_for_update()).first()


def take_places(session: Session, event_id: int, people: int) -> bool:
    """Hold `people` places if they fit (or the event has no capacity); whether they were held."""
    fits = or_(col(Event.capacity).is_(None), col(Event.places_taken) + people <= col(Event.capacity))
    result = session.exec(
        update(Event).where(col(Event.id) == event_id, fits).values(places_taken=col(Event.places_taken) + people)
    )
    return result.rowcount == 1


def give_back(session: Session, event_id: int, people: int) -> None:
    """Free `people` places (never below zero)."""
    session.execute(
        update(Event)
        .where(col(Event.id) == event_id)
        .values(places_taken=col(Event.places_taken) - people)
        .where(col(Event.places_taken) >= people)
    )


def promote_waiting(session: Session, event_id: int) -> list[Rsvp]:
    """Move people from the waiting list onto the event, first come first served, while their party fits.

    Stops at the first party that does not fit (no one overtakes an earlier RSVP). Returns the
    promoted RSVPs, already marked confirmed; the caller tells them by mail and commits.
    """
    waiting = session.exec(
        select(Rsvp)
        .where(Rsvp.event_id == event_id, Rsvp.status == RsvpStatus.WAITLISTED.value)
        .order_by(col(Rsvp.created_at), col(Rsvp.id))
    ).all()
    promoted = []
    for rsvp in waiting:
        if not take_places(session, event_id, rsvp.people):
            break
        rsvp.status = RsvpStatus.CONFIRMED.value
        session.add(rsvp)
        promoted.append(rsvp)
    return promoted
