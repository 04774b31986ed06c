"""E-mail to editors about a new contact message, delivered to a real local SMTP server."""

import logging
import socket
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlmodel import select

from vws_app.models import ContactMessage
from vws_app.services import notify
from vws_app.services.contact import ContactSubmission, submit_contact_message

EDITORS = "editors@vws.example.org"
T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
JOIN_SECONDS = 15


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (as soon as this returns)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every envelope it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def inbox(monkeypatch):
    """A running SMTP server on 127.0.0.1 (SMTPUTF8 on, as real servers have); SMTP_URL points at it."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=True)
    controller.start()
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    monkeypatch.setenv("CONTACT_NOTIFY_TO", EDITORS)
    monkeypatch.delenv("CONTACT_NOTIFY_FROM", raising=False)
    yield collector
    controller.stop()


def stored_message(session, **changes) -> ContactMessage:
    """A contact message stored by the intake service, as the contact form does it."""
    values = {"name": "Ana Pérez", "email": "ana@example.com", "message": "Quiero ayudar."} | changes
    return submit_contact_message(
        session, ContactSubmission(**values), submission_key="key-1", client_address="203.0.113.7", now=T0
    )


def deliver(row: ContactMessage) -> None:
    """Notify about `row` and wait for the background thread to finish."""
    thread = notify.notify_in_background(row)
    assert thread is not None
    thread.join(JOIN_SECONDS)
    assert not thread.is_alive()


def received(inbox) -> tuple[object, EmailMessage]:
    """The one envelope the server got and its parsed message."""
    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    return envelope, message_from_bytes(envelope.original_content, policy=policy.default)


def test_editors_get_the_message_with_name_reply_to_and_body(session, inbox):
    row = stored_message(session, phone="+58 412-555-1234", wants_meeting=True, language="es")
    deliver(row)
    envelope, mail = received(inbox)
    assert envelope.rcpt_tos == [EDITORS]
    assert envelope.mail_from == EDITORS
    assert mail["To"] == EDITORS
    assert "Ana Pérez" in mail["Subject"]
    assert mail["Reply-To"].addresses[0].addr_spec == "ana@example.com"
    body = mail.get_content()
    assert "Name: Ana Pérez" in body
    assert "Phone: +58 412-555-1234" in body
    assert "Wants to attend a meeting: yes" in body
    assert "Language: es" in body
    assert "Quiero ayudar." in body


def test_non_latin_name_and_message_arrive_intact_as_utf8(session, inbox):
    message = "Солидарность!\n团结委内瑞拉工人。\nتضامن مع عمال فنزويلا 👩‍👩‍👧"
    deliver(stored_message(session, name="محمد 👩‍👩‍👧", message=message))
    _, mail = received(inbox)
    assert mail["Subject"] == "New contact message from محمد 👩‍👩‍👧"
    assert message in mail.get_content().replace("\r\n", "\n")
    assert mail.get_content_charset() == "utf-8"


def test_mail_goes_to_every_listed_editor_from_the_configured_sender(session, inbox, monkeypatch):
    monkeypatch.setenv("CONTACT_NOTIFY_TO", f" {EDITORS} , second@vws.example.org,")
    monkeypatch.setenv("CONTACT_NOTIFY_FROM", "site@vws.example.org")
    deliver(stored_message(session))
    envelope, mail = received(inbox)
    assert envelope.rcpt_tos == [EDITORS, "second@vws.example.org"]
    assert envelope.mail_from == "site@vws.example.org"
    assert mail["From"] == "site@vws.example.org"


@pytest.mark.parametrize("address", ["josé@exämple.com", "用户@例子.广告"])
def test_internationalised_visitor_address_is_the_reply_to_as_typed(session, inbox, address):
    deliver(stored_message(session, email=address))
    envelope, _ = received(inbox)
    assert f"Reply-To: {address}".encode() in envelope.original_content


def test_credentials_in_smtp_url_are_percent_decoded_and_used_to_log_in(session, monkeypatch):
    logins = []

    def authenticator(server, session_, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    try:
        monkeypatch.setenv("SMTP_URL", f"smtp://mailer:p%40ss%3Aword@127.0.0.1:{controller.port}")
        monkeypatch.setenv("CONTACT_NOTIFY_TO", EDITORS)
        deliver(stored_message(session))
    finally:
        controller.stop()
    assert logins == [(b"mailer", b"p@ss:word")]
    assert len(collector.envelopes) == 1


def test_unreachable_server_is_logged_not_raised_and_the_row_is_untouched(session, monkeypatch, caplog):
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    monkeypatch.setenv("CONTACT_NOTIFY_TO", EDITORS)
    row = stored_message(session)
    before = row.model_dump()
    with caplog.at_level(logging.ERROR, logger=notify.__name__):
        deliver(row)
    failures = [record for record in caplog.records if record.name == notify.__name__]
    assert len(failures) == 1
    assert failures[0].levelno == logging.ERROR
    assert f"contact message {row.id}" in failures[0].getMessage()
    assert isinstance(failures[0].exc_info[1], OSError)
    session.expire_all()
    stored = session.exec(select(ContactMessage)).one()
    assert stored.model_dump() == before
    assert stored.status == "new"


@pytest.mark.parametrize(
    ("smtp_url", "recipients"),
    [(None, EDITORS), ("", EDITORS), ("smtp://127.0.0.1:25", None), ("smtp://127.0.0.1:25", " , ")],
)
def test_not_configured_means_no_thread_and_no_mail(session, monkeypatch, smtp_url, recipients):
    for name, value in (("SMTP_URL", smtp_url), ("CONTACT_NOTIFY_TO", recipients)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert notify.smtp_settings() is None
    assert notify.notify_in_background(stored_message(session)) is None


def test_sender_defaults_to_the_first_recipient(monkeypatch):
    monkeypatch.setenv("SMTP_URL", "smtps://mail.example.org:465")
    monkeypatch.setenv("CONTACT_NOTIFY_TO", "a@example.org,b@example.org")
    monkeypatch.delenv("CONTACT_NOTIFY_FROM", raising=False)
    url, recipients, sender = notify.smtp_settings()
    assert url == "smtps://mail.example.org:465"
    assert recipients == ["a@example.org", "b@example.org"]
    assert sender == "a@example.org"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_name_with_a_unicode_line_separator_does_not_break_notification(session, inbox, separator):
    row = stored_message(session, name=f"Ana{separator}Pérez")
    deliver(row)
    _, mail = received(inbox)
    assert "Ana" in mail["Subject"]
