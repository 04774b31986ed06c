"""The editors' notice of a contact message: written to the outbox with the message, delivered by the sender to a real SMTP server."""

from datetime import UTC, datetime

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlmodel import Session, select

from tests.unit.smtp_server import Collector, free_port, parsed, start_server
from vws_app.models import ContactMessage, OutboxMessage
from vws_app.services.contact import ContactSubmission, submit_contact_message
from vws_app.services.database import engine_for
from vws_app.services.mail_sender import SenderSettings, send_due

EDITORS = "editors@vws.example.org"
T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def inbox(monkeypatch):
    """A running SMTP server; SMTP_URL points at it and CONTACT_NOTIFY_TO names one editor."""
    collector = Collector()
    controller = start_server(collector)
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    monkeypatch.setenv("CONTACT_NOTIFY_TO", EDITORS)
    for name in ("CONTACT_NOTIFY_FROM", "MAIL_FROM", "EDITORS_LANGUAGE", "SITE_POSTAL_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MAIL_RATE_PER_MINUTE", "0")
    yield collector
    controller.stop()


def stored_message(session, **changes) -> ContactMessage:
    """A contact message stored by the intake service, as the contact form does it."""
    values = {"name": "Ana Pérez", "email": "ana@example.com", "message": "Quiero ayudar."} | changes
    return submit_contact_message(
        session, ContactSubmission(**values), submission_key="key-1", client_address="203.0.113.7", now=T0
    )


def deliver(database_url: str) -> int:
    """Run the sender until nothing is due; how many rows it tried."""

    def open_session():
        return Session(engine_for(database_url))

    tried = total = send_due(open_session, SenderSettings.from_environment())
    while tried:
        tried = send_due(open_session, SenderSettings.from_environment())
        total += tried
    return total


def outbox_rows(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def test_notice_is_queued_with_the_message_and_arrives_multipart_with_its_stored_message_id(
    session, database_url, inbox
):
    stored_message(session, phone="+58 412-555-1234", wants_meeting=True, language="es")
    [row] = outbox_rows(session)
    assert (row.kind, row.recipient, row.language, row.status) == ("contact_notice", EDITORS, "en", "queued")
    assert deliver(database_url) == 1
    [envelope] = inbox.envelopes
    mail = parsed(envelope)
    assert envelope.rcpt_tos == [EDITORS]
    assert mail["Message-ID"] == row.message_id
    assert mail.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in mail.iter_parts()] == ["text/plain", "text/html"]
    assert mail["Subject"] == "New contact message from Ana Pérez"
    assert mail["Reply-To"].addresses[0].addr_spec == "ana@example.com"
    text = mail.get_body(("plain",)).get_content()
    for line in ("Name: Ana Pérez", "Phone: +58 412-555-1234", "Wants to attend a meeting: yes", "Language: Spanish"):
        assert line in text
    assert "Quiero ayudar." in text
    assert "Venezuelan Workers Solidarity" in text
    html = mail.get_body(("html",)).get_content()
    assert "Quiero ayudar." in html and "<img" not in html
    assert outbox_rows(session)[0].status == "sent"


def test_editors_language_setting_gives_the_notice_in_spanish(session, database_url, inbox, monkeypatch):
    monkeypatch.setenv("EDITORS_LANGUAGE", "es")
    stored_message(session)
    deliver(database_url)
    mail = parsed(inbox.envelopes[0])
    assert mail["Subject"] == "Nuevo mensaje de contacto de Ana Pérez"
    assert "Nombre: Ana Pérez" in mail.get_body(("plain",)).get_content()
    assert 'lang="es"' in mail.get_body(("html",)).get_content()


def test_visitor_text_is_escaped_in_the_html_part(session, database_url, inbox):
    stored_message(session, name="<b>Ana</b>", message='<img src="https://tracker.example/p.gif"> hola')
    deliver(database_url)
    html = parsed(inbox.envelopes[0]).get_body(("html",)).get_content()
    assert "<img" not in html and "&lt;img src=&quot;https://tracker.example/p.gif&quot;&gt; hola" in html
    assert "&lt;b&gt;Ana&lt;/b&gt;" in html


def test_non_latin_name_and_message_arrive_intact_as_utf8(session, database_url, inbox):
    message = "Солидарность!\n团结委内瑞拉工人。\nتضامن مع عمال فنزويلا 👩‍👩‍👧"
    stored_message(session, name="محمد 👩‍👩‍👧", message=message)
    deliver(database_url)
    mail = parsed(inbox.envelopes[0])
    assert mail["Subject"] == "New contact message from محمد 👩‍👩‍👧"
    plain = mail.get_body(("plain",))
    assert message in plain.get_content().replace("\r\n", "\n")
    assert plain.get_content_charset() == "utf-8"


def test_every_listed_editor_gets_a_notice_from_the_configured_sender(session, database_url, inbox, monkeypatch):
    monkeypatch.setenv("CONTACT_NOTIFY_TO", f" {EDITORS} , second@vws.example.org,")
    monkeypatch.setenv("CONTACT_NOTIFY_FROM", "site@vws.example.org")
    stored_message(session)
    assert deliver(database_url) == 2
    assert sorted(envelope.rcpt_tos[0] for envelope in inbox.envelopes) == sorted([EDITORS, "second@vws.example.org"])
    assert {envelope.mail_from for envelope in inbox.envelopes} == {"site@vws.example.org"}
    assert {parsed(envelope)["From"] for envelope in inbox.envelopes} == {"site@vws.example.org"}


def test_mail_from_wins_over_contact_notify_from(session, database_url, inbox, monkeypatch):
    monkeypatch.setenv("CONTACT_NOTIFY_FROM", "old@vws.example.org")
    monkeypatch.setenv("MAIL_FROM", "mail@vws.example.org")
    stored_message(session)
    deliver(database_url)
    assert inbox.envelopes[0].mail_from == "mail@vws.example.org"


def test_sender_defaults_to_the_first_recipient(session, database_url, inbox, monkeypatch):
    monkeypatch.setenv("CONTACT_NOTIFY_TO", f"{EDITORS},b@vws.example.org")
    stored_message(session)
    deliver(database_url)
    assert {envelope.mail_from for envelope in inbox.envelopes} == {EDITORS}


@pytest.mark.parametrize("address", ["josé@exämple.com", "用户@例子.广告"])
def test_internationalised_visitor_address_is_the_reply_to_as_typed(session, database_url, inbox, address):
    stored_message(session, email=address)
    deliver(database_url)
    assert f"Reply-To: {address}".encode() in inbox.envelopes[0].original_content


def test_credentials_in_smtp_url_are_percent_decoded_and_used_to_log_in(session, database_url, monkeypatch):
    logins = []

    def authenticator(server, session_, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    collector = Collector()
    controller = start_server(collector, authenticator=authenticator, auth_require_tls=False)
    try:
        monkeypatch.setenv("SMTP_URL", f"smtp://mailer:p%40ss%3Aword@127.0.0.1:{controller.port}")
        monkeypatch.setenv("CONTACT_NOTIFY_TO", EDITORS)
        stored_message(session)
        deliver(database_url)
    finally:
        controller.stop()
    assert logins == [(b"mailer", b"p@ss:word")]
    assert len(collector.envelopes) == 1


def test_unreachable_server_leaves_the_notice_queued_for_a_retry_and_the_message_untouched(
    session, database_url, monkeypatch
):
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    monkeypatch.setenv("CONTACT_NOTIFY_TO", EDITORS)
    row = stored_message(session)
    before = row.model_dump()
    assert deliver(database_url) == 1
    [notice] = outbox_rows(session)
    assert (notice.status, notice.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in notice.last_error
    stored = session.exec(select(ContactMessage)).one()
    assert stored.model_dump() == before


def test_without_smtp_url_the_notice_waits_in_the_outbox(session, database_url, monkeypatch):
    monkeypatch.delenv("SMTP_URL", raising=False)
    monkeypatch.setenv("CONTACT_NOTIFY_TO", EDITORS)
    stored_message(session)
    assert deliver(database_url) == 0
    assert [(row.status, row.attempts) for row in outbox_rows(session)] == [("queued", 0)]


@pytest.mark.parametrize("recipients", [None, "", " , "])
def test_without_editor_addresses_no_notice_is_queued(session, monkeypatch, recipients):
    if recipients is None:
        monkeypatch.delenv("CONTACT_NOTIFY_TO", raising=False)
    else:
        monkeypatch.setenv("CONTACT_NOTIFY_TO", recipients)
    assert stored_message(session).id is not None
    assert outbox_rows(session) == []


def test_a_repeated_submission_queues_no_second_notice(session, inbox):
    first = stored_message(session)
    again = stored_message(session)
    assert again.id == first.id
    assert len(outbox_rows(session)) == 1


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_name_with_a_unicode_line_separator_does_not_break_the_notice(session, database_url, inbox, separator):
    stored_message(session, name=f"Ana{separator}Pérez")
    deliver(database_url)
    assert "Ana" in parsed(inbox.envelopes[0])["Subject"]
