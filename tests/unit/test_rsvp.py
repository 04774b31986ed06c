"""RSVP rules: places never beyond capacity under concurrent RSVPs, the waiting list, cancelling, erasure, validation."""

import threading
from collections import Counter

import pytest
from sqlmodel import Session, select

from tests.unit.meeting_builders import add_meeting, request
from vws_app.models import AuditEntry, Event, OutboxMessage, Rsvp, utc_now
from vws_app.services import rsvp, rsvp_admin, rsvp_mail
from vws_app.services.database import engine_for
from vws_app.services.rsvp import Outcome, RsvpClosed, RsvpInvalid
from vws_app.services.signed_tokens import token_for


def take(session, event_id: int, number: int, people: int = 1, now=None, **changes) -> Outcome:
    return rsvp.rsvp(
        session, event_id, request(number, people=people, **changes), client_address=f"198.51.100.{number}", now=now
    )


def test_an_rsvp_holds_a_place_and_queues_its_answer_with_the_calendar_file(session):
    event = add_meeting(session, capacity=10)
    assert take(session, event.id, 1, people=3, note="Intérprete al inglés") is Outcome.CONFIRMED
    row = session.exec(select(Rsvp)).one()
    assert (row.people, row.language, row.status, row.note) == (3, "es", "confirmed", "Intérprete al inglés")
    assert row.consent_text.startswith("Acepto")
    mail = session.exec(select(OutboxMessage)).one()
    assert (mail.kind, mail.recipient, mail.language) == ("rsvp_confirmed", "reader1@example.org", "es")
    assert "Asamblea mensual" in mail.subject and "meet.example.org/secret-room-4711" in mail.text_body
    assert "text/calendar" in mail.attachments_json
    session.refresh(event)
    assert event.places_taken == 3


def test_when_full_the_next_reader_is_waitlisted_without_the_link_and_moves_up_when_a_place_frees(session):
    event = add_meeting(session, capacity=2)
    assert take(session, event.id, 1, people=2) is Outcome.CONFIRMED
    assert take(session, event.id, 2) is Outcome.WAITLISTED
    waiting_mail = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "rsvp_waitlisted")).one()
    assert "secret-room" not in waiting_mail.text_body + waiting_mail.html_body
    first = session.exec(select(Rsvp).where(Rsvp.email == "reader1@example.org")).one()
    assert rsvp.cancel(session, token_for("rsvp-cancel", first.id)) is not None
    session.expire_all()
    second = session.exec(select(Rsvp).where(Rsvp.email == "reader2@example.org")).one()
    assert second.status == "confirmed"
    promoted = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "rsvp_promoted")).one()
    assert promoted.recipient == "reader2@example.org" and "secret-room" in promoted.text_body
    assert session.get(Event, event.id).places_taken == 1
    # Erasure: the cancelled RSVP's mail went with it.
    assert not session.exec(select(OutboxMessage).where(OutboxMessage.recipient == "reader1@example.org")).all()


@pytest.mark.parametrize("party", [1, 2])
def test_concurrent_rsvps_never_exceed_capacity(session, database_url, party):
    """Twelve threads RSVP at once for parties of `party`: exactly capacity // party places are held."""
    event = add_meeting(session, capacity=5)
    outcomes: list[Outcome] = []
    errors: list[BaseException] = []
    start = threading.Barrier(12)

    def reader(number: int) -> None:
        start.wait()
        try:
            with Session(engine_for(database_url)) as own:
                outcomes.append(take(own, event.id, number, people=party))
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=reader, args=(number,)) for number in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    counted = Counter(outcomes)
    assert counted[Outcome.CONFIRMED] == 5 // party and counted[Outcome.WAITLISTED] == 12 - 5 // party
    session.expire_all()
    assert session.get(Event, event.id).places_taken == (5 // party) * party <= 5
    assert rsvp_admin.headcount(session, event.id).confirmed == (5 // party) * party


def test_the_same_address_again_keeps_one_rsvp_and_mails_its_owner_the_status_at_most_once_an_hour(session):
    event = add_meeting(session, capacity=1)
    take(session, event.id, 1)
    now = utc_now()
    for _ in range(3):  # someone types the address again and again: one status mail, no new row
        assert (
            take(session, event.id, 1, email="READER1@example.org", name="Someone else", now=now) is Outcome.CONFIRMED
        )
    assert len(session.exec(select(Rsvp)).all()) == 1
    mails = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(mail.kind, mail.recipient) for mail in mails] == [
        ("rsvp_confirmed", "reader1@example.org"),
        ("rsvp_status", "reader1@example.org"),
    ]
    status = mails[1]
    assert status.subject == "Estás en la lista: Asamblea mensual" and "/rsvp/cancel?t=" in status.text_body
    assert "Lectora 1" in status.text_body and "Someone else" not in status.text_body
    take(session, event.id, 1, now=now + rsvp_mail.STATUS_MAIL_INTERVAL)
    assert len(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "rsvp_status")).all()) == 2


def test_a_waitlisted_address_typed_again_is_mailed_its_waiting_status(session):
    event = add_meeting(session, capacity=1)
    take(session, event.id, 1)
    take(session, event.id, 2)
    take(session, event.id, 2)
    status = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "rsvp_status")).one()
    assert status.recipient == "reader2@example.org" and status.subject.startswith("Lista de espera")
    assert "secret-room" not in status.text_body and "/rsvp/cancel?t=" in status.text_body


def test_invalid_fields_are_all_reported_and_nothing_is_stored(session):
    event = add_meeting(session)
    bad = request(1, name=" ", email="not-an-address", people="12", consent=False, note="x" * 1001)
    with pytest.raises(RsvpInvalid) as raised:
        rsvp.rsvp(session, event.id, bad, client_address="x")
    assert raised.value.errors == {
        "name": "rsvp_error_name_required",
        "email": "rsvp_error_email_invalid",
        "people": "rsvp_error_people_invalid",
        "note": "rsvp_error_note_too_long",
        "consent": "rsvp_error_consent_required",
    }
    assert not session.exec(select(Rsvp)).all()


def test_closed_cancelled_and_unknown_events_take_no_rsvp(session):
    closed = add_meeting(session, rsvp_enabled=False)
    for event_id in (closed.id, 999_999):
        with pytest.raises(RsvpClosed):
            take(session, event_id, 1)
    open_event = add_meeting(session)
    editor_id = None
    from vws_app.services import auth

    editor = auth.create_editor(session, "ed@example.org", "correct horse battery", role="editor")
    editor_id = editor.id
    take(session, open_event.id, 1)
    rsvp_admin.cancel_event(session, open_event.id, editor)
    with pytest.raises(RsvpClosed):
        take(session, open_event.id, 2)
    notice = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "event_cancelled")).one()
    assert notice.recipient == "reader1@example.org" and "Cancelado" in notice.subject
    assert session.get(Event, open_event.id).sequence == 1
    assert session.exec(select(AuditEntry).where(AuditEntry.editor_id == editor_id)).first() is not None


def test_an_editor_removes_an_rsvp_audited_with_a_masked_address_and_the_list_moves_up(session):
    from vws_app.services import auth

    editor = auth.create_editor(session, "ed@example.org", "correct horse battery", role="editor")
    event = add_meeting(session, capacity=1)
    take(session, event.id, 1)
    take(session, event.id, 2)
    first = session.exec(select(Rsvp).where(Rsvp.email == "reader1@example.org")).one()
    rsvp_admin.remove_rsvp(session, first.id, editor)
    session.expire_all()
    assert [row.status for row in rsvp_admin.list_rsvps(session, event.id)] == ["confirmed"]
    entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "rsvp")).one()
    assert "reader1@example.org" not in entry.summary and "r…@example.org" in entry.summary
    text = rsvp_admin.export_csv(session, event.id)
    assert "reader2@example.org" in text and "reader1@example.org" not in text


def test_a_larger_capacity_lets_the_waiting_list_in_and_a_message_reaches_everyone_in_their_language(session):
    from vws_app.services import auth

    editor = auth.create_editor(session, "ed@example.org", "correct horse battery", role="editor")
    event = add_meeting(session, capacity=1)
    take(session, event.id, 1, language="es")
    take(session, event.id, 2, language="en")
    take(session, event.id, 3, language="en")
    rsvp_admin.save_settings(session, event.id, True, 2, editor)
    assert [row.status for row in rsvp_admin.list_rsvps(session, event.id)] == ["confirmed", "confirmed", "waitlisted"]
    assert rsvp_admin.headcount(session, event.id) == rsvp_admin.Headcount(confirmed=2, waitlisted=1, capacity=2)
    assert rsvp_admin.message_everyone(session, event.id, "Room change", "We meet upstairs.", editor) == 3
    messages = {
        row.recipient: row for row in session.exec(select(OutboxMessage).where(OutboxMessage.kind == "rsvp_message"))
    }
    assert (
        messages["reader1@example.org"].language == "es"
        and "Un mensaje de los organizadores" in messages["reader1@example.org"].text_body
    )
    assert all("We meet upstairs." in row.text_body and row.subject == "Room change" for row in messages.values())
    assert "secret-room" not in messages["reader3@example.org"].text_body  # still waiting: no link
    with pytest.raises(rsvp_admin.ValidationFailed):
        rsvp_admin.message_everyone(session, event.id, " ", "body", editor)


def test_saving_an_event_unchanged_bumps_no_sequence_and_mails_nobody(session):
    from vws_app.models import as_utc
    from vws_app.services import auth, editorial

    editor = auth.create_editor(session, "ed@example.org", "correct horse battery", role="editor")
    event = add_meeting(session)
    take(session, event.id, 1)
    same = editorial.EventInput(
        title_en=event.title_en,
        title_es=event.title_es,
        description_en=event.description_en,
        description_es=event.description_es,
        starts_at=as_utc(event.starts_at),
        ends_at=as_utc(event.ends_at),
        timezone=event.timezone,
        place=event.place,
        online_url=event.online_url,
        recurrence=event.recurrence,
    )
    editorial.update_event(session, event.id, same, editor)
    assert session.get(Event, event.id).sequence == 0
    assert [row.kind for row in session.exec(select(OutboxMessage))] == ["rsvp_confirmed"]
