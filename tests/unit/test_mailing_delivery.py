"""A post sent to 300 subscribers through the running sender and a real SMTP server: 300 messages, each right."""

import os
import subprocess
import sys
from collections import Counter

from sqlmodel import select

from tests.unit.content_builders import add_post, add_translation
from tests.unit.mailing_builders import add_subscribers
from tests.unit.smtp_server import Collector, parsed, start_server, wait_until
from vws_app.models import OutboxMessage, Subscriber
from vws_app.services import mailings
from vws_app.settings import PROJECT_ROOT

ENGLISH_READERS, SPANISH_READERS = 170, 130


def start_sender(database_url: str, smtp_port: int) -> subprocess.Popen:
    """`python -m vws_app.cli mail-worker` as operators run it, pointed at the test's database and server."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "MAIL_RATE_PER_MINUTE": "0",
        "MAIL_POLL_SECONDS": "0.2",
        "MAIL_FROM": "statements@vws.example.org",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "vws_app.cli", "mail-worker"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop_sender(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def all_sent(session) -> bool:
    session.expire_all()
    statuses = session.exec(select(OutboxMessage.status).where(OutboxMessage.kind == "newsletter")).all()
    return bool(statuses) and set(statuses) == {"sent"}


def test_a_post_reaches_each_of_300_subscribers_once_in_their_language_with_one_click_unsubscribe(
    database_url, session, editor
):
    english = add_post(session, "Free the imprisoned trade unionists")
    spanish = add_translation(session, english, "Libertad para los sindicalistas presos")
    add_subscribers(session, ENGLISH_READERS, language="en")
    add_subscribers(session, SPANISH_READERS, language="es")
    add_subscribers(session, 5, language="es", status="pending", prefix="waiting")
    languages = {row.email: row.language for row in session.exec(select(Subscriber)).all()}

    collector = Collector()
    server = start_server(collector)
    sender = start_sender(database_url, server.port)
    try:
        progress = mailings.send_to_subscribers(session, english.id, editor)
        assert progress.total == ENGLISH_READERS + SPANISH_READERS
        wait_until(lambda: all_sent(session), timeout=180, interval=0.25)
        assert mailings.progress(session, progress.mailing_id).finished
    finally:
        stop_sender(sender)
        server.stop()

    messages = [parsed(envelope) for envelope in collector.envelopes]
    assert len(messages) == 300
    recipients = Counter(message["To"] for message in messages)
    assert all(count == 1 for count in recipients.values()) and len(recipients) == 300
    assert len({message["Message-ID"] for message in messages}) == 300
    for message in messages:
        language = languages[message["To"]]
        assert language in ("en", "es") and not message["To"].startswith("waiting")
        assert message["Subject"] == (english.title if language == "en" else spanish.title)
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert (
            message["List-Unsubscribe"].startswith("<http")
            and "/unsubscribe/one-click?t=" in message["List-Unsubscribe"]
        )
        assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
        assert "/unsubscribe?t=" in message.get_body(("plain",)).get_content()
