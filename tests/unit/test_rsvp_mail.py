"""RSVP mail through a real SMTP server: the confirmation's .ics, and reminders sent once with two senders."""

import threading
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlmodel import Session, select

from tests.unit.meeting_builders import PRIVATE_LINK, add_meeting, request
from tests.unit.smtp_server import Collector, parsed
from tests.unit.test_mail_sender import mail_settings, opener, smtp_server  # noqa: F401 - fixtures and helpers
from vws_app.models import OutboxMessage, as_utc, utc_now
from vws_app.services import rsvp
from vws_app.services.calendar_files import event_uid
from vws_app.services.database import engine_for
from vws_app.services.mail_sender import SenderSettings, queue_reminders, send_due


def test_the_spanish_confirmation_carries_a_valid_ics_in_spanish_and_new_york_time(
    session, database_url, monkeypatch, mail_settings
):  # noqa: F811 - the fixture
    event = add_meeting(session)
    rsvp.rsvp(session, event.id, request(1, language="es"), client_address="198.51.100.1")
    with smtp_server(monkeypatch, Collector()) as collector:
        assert send_due(opener(database_url), SenderSettings.from_environment()) == 1
    [envelope] = collector.envelopes
    mail = parsed(envelope)
    assert mail["To"] == "reader1@example.org" and mail["Subject"] == "Estás en la lista: Asamblea mensual"
    assert PRIVATE_LINK in mail.get_body(("plain",)).get_content()
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == f"event-{event.id}.ics"
    calendar = Calendar.from_ical(attachment.get_content())
    [item] = calendar.walk("VEVENT")
    assert str(item["summary"]) == "Asamblea mensual"
    assert item["dtstart"].params["TZID"] == "America/New_York"
    assert item.decoded("dtstart").tzinfo == ZoneInfo("America/New_York")
    assert item.decoded("dtstart") == as_utc(event.starts_at)
    assert str(item["uid"]) == event_uid(event.id)
    assert PRIVATE_LINK in str(item["description"]), "the attendee's own file has the link"


def test_reminders_are_sent_once_with_two_senders(session, database_url, monkeypatch, mail_settings):  # noqa: F811
    """Two mail-workers each queue due reminders and send: every confirmed reader gets one reminder."""
    event = add_meeting(session, starts_at=(utc_now() + timedelta(hours=20)).replace(microsecond=0), capacity=3)
    for number in range(5):
        rsvp.rsvp(
            session,
            event.id,
            request(number, language="en" if number % 2 else "es"),
            client_address=f"198.51.100.{number}",
        )
    start = threading.Barrier(2)

    def sender(config: SenderSettings) -> None:
        start.wait()
        for _round in range(2):
            queue_reminders(lambda: Session(engine_for(database_url)))
            while send_due(opener(database_url), config):
                pass

    with smtp_server(monkeypatch, Collector()) as collector:
        config = SenderSettings.from_environment()
        threads = [threading.Thread(target=sender, args=(config,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    reminders = [
        parsed(envelope)
        for envelope in collector.envelopes
        if parsed(envelope)["Subject"].startswith(("Tomorrow:", "Mañana:"))
    ]
    assert Counter(mail["To"] for mail in reminders) == {f"reader{number}@example.org": 1 for number in range(3)}
    assert all(PRIVATE_LINK in mail.get_body(("plain",)).get_content() for mail in reminders)
    session.expire_all()
    assert len(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "rsvp_reminder")).all()) == 3
