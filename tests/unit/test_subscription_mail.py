"""The mailing list against a real SMTP server, with the sender running as its own process (`mail-worker`)."""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from html import unescape
from urllib.parse import urlsplit

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from tests.unit.content_builders import add_post, add_translation
from tests.unit.smtp_server import Collector, parsed, start_server, wait_until
from vws_app.i18n import CATALOGUES
from vws_app.models import Subscriber
from vws_app.server.routes import backend_routes
from vws_app.services import mailings
from vws_app.settings import PROJECT_ROOT

SITE = "http://testserver"  # the TestClient's own address, so the mailed links can be followed
ES = CATALOGUES["es"]
STOP_GRACE_S = 15


@pytest.fixture
def smtp() -> Iterator[tuple[Collector, int]]:
    """A real SMTP server on 127.0.0.1 that keeps what it accepts."""
    collector = Collector()
    controller = start_server(collector)
    try:
        yield collector, controller.port
    finally:
        controller.stop()


@pytest.fixture
def site(app_database, smtp, monkeypatch) -> Iterator[tuple[TestClient, Collector]]:
    """The backend's routes on the test database and the sender process delivering its outbox to `smtp`."""
    collector, port = smtp
    monkeypatch.setenv("SITE_URL", SITE)
    env = {
        **os.environ,
        "DATABASE_URL": app_database,
        "SMTP_URL": f"smtp://127.0.0.1:{port}",
        "SITE_URL": SITE,
        "MAIL_FROM": "comunicados@vws.example.org",
        "MAIL_RATE_PER_MINUTE": "0",
        "MAIL_POLL_SECONDS": "0.2",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "vws_app.cli", "mail-worker"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield TestClient(backend_routes(), follow_redirects=False), collector
    finally:
        worker.terminate()
        try:
            _, errors = worker.communicate(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            worker.kill()
            _, errors = worker.communicate()
        assert b"Traceback" not in errors, errors.decode(errors="replace")


def message_to(collector: Collector, address: str, count: int = 1) -> EmailMessage:
    """The `count`-th message the server accepted for `address`, waiting for it."""

    def arrived():
        found = [parsed(e) for e in list(collector.envelopes) if address in e.rcpt_tos]
        return found[count - 1] if len(found) >= count else None

    return wait_until(arrived, timeout=60)


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a multipart/alternative message."""
    assert message.get_content_type() == "multipart/alternative"
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def subscribe_in_spanish(client: TestClient, address: str) -> None:
    response = client.post(
        "/follow",
        data={"email": address, "language": "es", "consent": "yes", "form_language": "es"},
        headers={"origin": SITE, "cookie": "vws_lang=es"},
    )
    assert response.status_code == 200 and ES["follow_sent"] in unescape(response.text)


def test_confirmation_mail_arrives_in_spanish_and_its_link_confirms_only_on_post(site, session):
    client, collector = site
    subscribe_in_spanish(client, "rosa@example.org")
    message = message_to(collector, "rosa@example.org")
    assert message["Subject"] == ES["mail_confirm_subject"]
    text, html = parts(message)
    assert ES["mail_confirm_intro"] in text and ES["mail_confirm_link"] in unescape(html)
    link = re.search(r"https?://\S+/follow/confirm\?t=[\w-]+", text).group(0)
    assert unescape(re.search(r'href="([^"]+/follow/confirm[^"]+)"', html).group(1)) == link
    assert "rosa" not in link and "@" not in link
    target = urlsplit(link)
    page = client.get(f"{target.path}?{target.query}")
    assert page.status_code == 200 and ES["follow_confirm_button"] in unescape(page.text)
    assert session.exec(select(Subscriber)).one().status == "pending"
    token = target.query.removeprefix("t=")
    done = client.post(target.path, data={"t": token}, headers={"origin": SITE})
    assert ES["follow_confirmed_heading"] in unescape(done.text)
    session.expire_all()
    assert session.exec(select(Subscriber)).one().status == "confirmed"


def test_a_post_sent_to_subscribers_carries_rfc_8058_headers_that_unsubscribe_in_one_post(site, session, editor):
    client, collector = site
    subscribe_in_spanish(client, "rosa@example.org")
    link = re.search(r"/follow/confirm\?t=[\w-]+", parts(message_to(collector, "rosa@example.org"))[0]).group(0)
    client.post("/follow/confirm", data={"t": link.partition("t=")[2]}, headers={"origin": SITE})
    original = add_post(session, "Statement on wages")
    add_translation(session, original, "Comunicado sobre los salarios")
    mailings.send_to_subscribers(session, original.id, editor)
    newsletter = message_to(collector, "rosa@example.org", count=2)
    assert "Comunicado sobre los salarios" in newsletter["Subject"]
    assert newsletter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = re.fullmatch(
        r"<(https?://[^>]+/unsubscribe/one-click\?t=[\w.-]+)>", newsletter["List-Unsubscribe"]
    ).group(1)
    assert "rosa" not in one_click
    target = urlsplit(one_click)
    # What a mail provider sends: a bare POST, no cookie, no Origin.
    response = client.post(f"{target.path}?{target.query}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    session.expire_all()
    assert session.exec(select(Subscriber)).one().status == "unsubscribed"
