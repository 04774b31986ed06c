"""Mail in Chromium against the production build, with a real SMTP server and the sender running:
a visitor's contact message reaches the editors as a notice; an editor retries failed mail."""

import os
import subprocess
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from tests.e2e.admin_helpers import create_editor_with_cli, db, open_section, sign_in
from tests.e2e.browser_errors import BrowserErrors
from tests.e2e.conftest import DESKTOP_VIEWPORT, ERRORS_KEY, VENV_BIN, LiveApp, running_reflex
from tests.e2e.waits import expect_hydrated
from tests.unit.smtp_server import Collector, parsed, start_server, wait_until
from vws_app.i18n import CATALOGUES
from vws_app.models import OutboxMessage

EN = CATALOGUES["en"]
RUN = uuid.uuid4().hex[:8]
EDITOR_EMAIL = f"mail-editor-{RUN}@example.com"
EDITORS = "editors@vws.example.org"


@pytest.fixture(scope="module")
def mail_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveApp, Collector]]:
    """The production app and a `mail-worker` beside it, both sending to the test's SMTP server."""
    collector = Collector()
    server = start_server(collector)
    settings = {
        "SMTP_URL": f"smtp://127.0.0.1:{server.port}",
        "MAIL_RATE_PER_MINUTE": "0",
        "MAIL_POLL_SECONDS": "0.2",
        "CONTACT_NOTIFY_TO": EDITORS,
        "MAIL_FROM": "site@vws.example.org",
    }
    try:
        with running_reflex(tmp_path_factory.mktemp("vws_mail_e2e"), "prod", extra_env=lambda _url: settings) as app:
            create_editor_with_cli(app.database_url, EDITOR_EMAIL)
            worker = subprocess.Popen(
                [str(VENV_BIN / "python"), "-m", "vws_app.cli", "mail-worker"],
                cwd=app.root,
                env={**os.environ, **settings, "DATABASE_URL": app.database_url},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                yield app, collector
            finally:
                worker.terminate()
                worker.wait(timeout=30)
    finally:
        server.stop()


@pytest.fixture
def tab(browser: Browser, mail_site, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh tab on the mail site; its console errors fail the test."""
    context = browser.new_context(base_url=mail_site[0].base_url, viewport=DESKTOP_VIEWPORT)
    context.set_default_timeout(15_000)
    request.node.stash.setdefault(ERRORS_KEY, []).append(BrowserErrors.watch(context))
    yield context.new_page()
    context.close()


def test_a_contact_message_reaches_the_editors_as_a_multipart_notice(tab: Page, mail_site):
    app, collector = mail_site
    marker = f"Mensaje {RUN}"
    tab.goto("/contact")
    expect_hydrated(tab, EN["contact_heading"])
    tab.locator("#contact-name").fill("Ana Rivas")
    tab.locator("#contact-email").fill("ana@example.com")
    tab.locator("#contact-message").fill(marker)
    tab.locator("#contact-submit").click()
    expect(tab.locator("#contact-outcome")).to_have_text(EN["contact_thanks"])
    envelope = wait_until(lambda: next((e for e in collector.envelopes if marker.encode() in e.original_content), None))
    mail = parsed(envelope)
    assert envelope.rcpt_tos == [EDITORS]
    assert mail.get_content_type() == "multipart/alternative"
    with db(app.database_url) as session:
        [row] = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "contact_notice")).all()
    assert mail["Message-ID"] == row.message_id


def test_an_editor_retries_failed_mail_and_it_goes_out(tab: Page, mail_site):
    app, collector = mail_site
    addresses = [f"failed-{number}-{RUN}@example.org" for number in range(3)]
    with db(app.database_url) as session:
        for address in addresses:
            session.add(
                OutboxMessage(
                    kind="contact_notice",
                    recipient=address,
                    subject=f"Retry {RUN}",
                    text_body="t",
                    html_body="<p>h</p>",
                    message_id=f"<{uuid.uuid4().hex}@vws.example.org>",
                    status="failed",
                    attempts=8,
                    last_error="451 4.3.0 try later",
                )
            )
        session.commit()
    sign_in(tab, EDITOR_EMAIL)
    open_section(tab, EN["admin_nav_mail"], "/admin/mail")
    expect(tab.get_by_role("heading", name=EN["admin_nav_mail"], level=1)).to_be_visible()
    expect(tab.locator("#mail-not-configured")).to_have_count(0)
    rows = tab.locator(".mail-failed-row")
    expect(rows).to_have_count(3)
    expect(tab.locator(".mail-count-failed")).to_have_text("3")
    expect(rows.first).to_contain_text("451 4.3.0 try later")
    rows.first.get_by_role("button", name=EN["admin_mail_retry"]).click()
    expect(rows).to_have_count(2)
    expect(tab.locator("#mail-retried")).to_have_text("Queued again: 1.")
    tab.locator("#mail-retry-all").click()
    expect(tab.get_by_text(EN["admin_mail_none_failed"])).to_be_visible()
    delivered = lambda: {e.rcpt_tos[0] for e in collector.envelopes} >= set(addresses)  # noqa: E731
    wait_until(delivered)
    tab.reload()
    expect(tab.locator(".mail-count-failed")).to_have_text("0")
