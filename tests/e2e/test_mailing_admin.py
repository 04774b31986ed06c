"""An editor previews, tests and sends a post to the subscribers, and watches the progress bar finish (production build, real SMTP)."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from tests.e2e.admin_helpers import confirm_delete, create_editor_with_cli, db, open_section, sign_in
from tests.e2e.conftest import PROJECT_ROOT, LiveApp, browser_contexts, running_reflex
from tests.unit.mailing_builders import add_subscribers
from tests.unit.smtp_server import Collector, parsed, start_server, wait_until
from vws_app.models import AuditEntry, Post, Subscriber

RUN = uuid.uuid4().hex[:8]
EDITOR_EMAIL = f"mailing-editor-{RUN}@example.com"
ENGLISH_READERS, SPANISH_READERS = 24, 16
ACCEPT_DELAY_S = 0.1  # a slow mail server, so the bar is seen moving before it finishes


class MailingApp:
    """The production app started with SMTP_URL at the test's server, and the mail-worker beside it."""

    def __init__(self, app: LiveApp, collector: Collector):
        self.app, self.collector = app, collector

    def received_by(self, address: str) -> list:
        return [parsed(envelope) for envelope in self.collector.envelopes if address in envelope.rcpt_tos]


@pytest.fixture(scope="module")
def mailing_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailingApp]:
    collector = Collector(delay=ACCEPT_DELAY_S)
    server = start_server(collector)
    mail_env = {
        "SMTP_URL": f"smtp://127.0.0.1:{server.port}",
        "MAIL_RATE_PER_MINUTE": "0",
        "MAIL_POLL_SECONDS": "0.2",
        "MAIL_FROM": "statements@vws.example.org",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in mail_env.items():
            patch.setenv(name, value)  # the app and the worker inherit them
        with running_reflex(tmp_path_factory.mktemp("vws_mailing_e2e"), "prod") as app:
            create_editor_with_cli(app.database_url, EDITOR_EMAIL)
            with db(app.database_url) as session:
                add_subscribers(session, ENGLISH_READERS, language="en", prefix=RUN)
                add_subscribers(session, SPANISH_READERS, language="es", prefix=RUN)
            worker = subprocess.Popen(
                [sys.executable, "-m", "vws_app.cli", "mail-worker"],
                cwd=PROJECT_ROOT,
                env={**os.environ, "DATABASE_URL": app.database_url},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                yield MailingApp(app, collector)
            finally:
                worker.terminate()
                worker.wait(timeout=20)
    server.stop()


@pytest.fixture
def admin(browser: Browser, mailing_app: MailingApp, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A signed-in tab on the mailing app; its console errors fail the test."""
    with browser_contexts(browser, mailing_app.app.base_url, request) as make:
        page = make().new_page()
        sign_in(page, EDITOR_EMAIL)
        yield page


def test_editor_sends_a_post_and_watches_the_progress_bar_finish(admin: Page, mailing_app: MailingApp):
    open_section(admin, "Send to subscribers", "/admin/mailing")
    choice = admin.locator("#mailing-post")
    expect(choice.locator("option")).not_to_have_count(1)  # published posts arrived
    choice.select_option(index=1)
    previews = admin.locator(".mailing-preview")
    expect(previews).to_have_count(2)
    expect(previews.filter(has_text="Spanish")).to_have_count(1)
    expect(admin.locator("#mailing-audience")).to_have_text(str(ENGLISH_READERS + SPANISH_READERS))

    admin.locator("#mailing-send-test").click()
    expect(admin.locator("#mailing-message")).to_contain_text("test e-mails")
    tests = wait_until(
        lambda: len(mailing_app.received_by(EDITOR_EMAIL)) == 2 and mailing_app.received_by(EDITOR_EMAIL)
    )
    subject = admin.locator(".mailing-preview").first.locator("strong").inner_text()
    assert subject in {message["Subject"] for message in tests}

    admin.locator("#mailing-send").click()
    dialog = admin.get_by_role("alertdialog")
    expect(dialog).to_contain_text(str(ENGLISH_READERS + SPANISH_READERS))
    dialog.locator("#mailing-send-confirm").click()
    total = ENGLISH_READERS + SPANISH_READERS
    expect(admin.locator("#mailing-message")).to_contain_text(f"{total} e-mails are queued")
    card = admin.locator(".mailing-progress").first
    expect(card).to_have_attribute("data-finished", "false")  # going out: the bar is shown while it moves
    expect(card).to_have_attribute("data-finished", "true", timeout=60_000)
    expect(card.locator(".count-sent")).to_have_text(str(total))
    expect(card.locator(".count-queued")).to_have_text("0")
    expect(card.locator("[role=progressbar]")).to_be_visible()

    admin.reload()  # the progress is read from the database, so it survives a reload
    card = admin.locator(".mailing-progress").first
    expect(card.locator(".count-sent")).to_have_text(str(total))
    admin.locator("#mailing-post").select_option(index=1)  # the same post again: it cannot go out twice
    expect(admin.locator("main")).to_contain_text("This post was already sent to the subscribers.")
    expect(admin.locator("#mailing-send")).to_have_count(0)
    recipients = [address for envelope in mailing_app.collector.envelopes for address in envelope.rcpt_tos]
    assert len([address for address in recipients if address.startswith(RUN)]) == total


def test_editor_counts_searches_exports_and_removes_subscribers(admin: Page, mailing_app: MailingApp):
    """Pending addresses of their own, so the send test's audience stays as it is, in any order."""
    prefix = f"{RUN}-pending"
    with db(mailing_app.app.database_url) as session:
        add_subscribers(session, 3, language="es", status="pending", prefix=prefix)
    open_section(admin, "Subscribers", "/admin/subscribers")
    expect(admin.locator("#count-en-confirmed")).to_have_text(str(ENGLISH_READERS))
    expect(admin.locator("#count-es-pending")).to_have_text("3")
    expect(admin.locator("#subscribers-growth svg").first).to_be_visible()  # the chart drew

    admin.locator("#subscribers-query").fill(prefix.upper())
    admin.locator("#subscribers-query").press("Enter")
    rows = admin.locator(".subscriber-row")
    expect(rows).to_have_count(3)
    expect(admin.locator("#subscribers-total")).to_contain_text("3")

    with admin.expect_download() as download_info:
        admin.locator("#subscribers-export").click()
    text = Path(download_info.value.path()).read_bytes().decode("utf-8")
    assert text.startswith("\ufeff") and text.count(prefix) == 3 and f"{RUN}-en-0@" not in text

    removed = rows.first.locator("td").first.inner_text()
    confirm_delete(admin, rows.filter(has_text=removed))
    expect(admin.locator("#admin-notice")).to_contain_text("Subscriber removed.")
    expect(rows).to_have_count(2)
    with db(mailing_app.app.database_url) as session:
        assert session.exec(select(Subscriber).where(Subscriber.email == removed)).first() is None
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "subscriber")).one()
        assert entry.action == "delete" and removed not in entry.summary


def test_the_post_editor_links_a_published_post_to_its_send_page(admin: Page, mailing_app: MailingApp):
    with db(mailing_app.app.database_url) as session:
        post = session.exec(select(Post).where(Post.status == "published", Post.language == "es")).first()
    admin.goto(f"/admin/posts/edit?id={post.id}")
    expect(admin.locator("#post-title")).to_have_value(post.title)
    admin.locator("#post-send-to-subscribers").click()
    expect(admin.locator("#mailing-post")).to_have_value(str(post.id))
    expect(admin.locator(".mailing-preview")).to_have_count(2)
    expect(admin.locator(".mailing-preview").last).to_contain_text(post.title)  # the Spanish reader's version
