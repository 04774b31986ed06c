"""The mailing list in Chromium against the production build, with a real SMTP server and the sender running."""

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session, select

from tests.e2e.conftest import browser_contexts
from tests.e2e.mail_worker_site import MailSite, app_with_mail_worker
from tests.e2e.waits import expect_language_saved
from vws_app.i18n import CATALOGUES
from vws_app.models import Subscriber
from vws_app.services.database import engine_for
from vws_app.services.subscription_links import unsubscribe_token

EN, ES = CATALOGUES["en"], CATALOGUES["es"]


class MailingSite(MailSite):
    """The running app, the SMTP server it sends to, and reading what arrived there."""

    def subscriber(self, address: str) -> Subscriber | None:
        with Session(engine_for(self.app.database_url)) as session:
            return session.exec(select(Subscriber).where(Subscriber.email == address)).first()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailingSite]:
    """A production build whose `SITE_URL` is its own address, sending through a test SMTP server via `mail-worker`."""
    settings = {
        "MAIL_RATE_PER_MINUTE": "0",
        "MAIL_POLL_SECONDS": "0.2",
        "MAIL_FROM": "comunicados@vws.example.org",
        "SUBSCRIBE_RATE_LIMIT": "100",
    }
    with app_with_mail_worker(tmp_path_factory.mktemp("vws_follow_e2e"), settings) as (app, collector):
        yield MailingSite(app, collector)


@pytest.fixture
def open_context(
    browser: Browser, site: MailingSite, request: pytest.FixtureRequest
) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh contexts on this module's server; their page errors fail the test."""
    with browser_contexts(browser, site.app.base_url, request) as make:
        yield make


def subscribe_from_footer(page: Page, address: str) -> None:
    page.locator("#footer-follow-email").fill(address)
    page.locator("#footer-follow-consent").check()
    page.locator("#footer-follow-submit").click()


def test_subscribe_in_spanish_from_the_footer_and_confirm_from_the_mail(site: MailingSite, open_context):
    page = open_context(locale="es-ES").new_page()
    page.goto("/")
    expect_language_saved(page, "es")
    footer = page.locator("footer")
    expect(footer.get_by_role("heading", name=ES["follow_heading"])).to_be_visible()
    expect(page.locator("#footer-follow-language")).to_have_value("es")  # the page's language by default
    subscribe_from_footer(page, "carmen.rojas@example.org")
    expect(page.locator("#footer-follow-outcome")).to_contain_text(ES["follow_sent"])
    assert site.subscriber("carmen.rojas@example.org").status == "pending"

    message = site.message_to("carmen.rojas@example.org")
    assert message["Subject"] == ES["mail_confirm_subject"]
    link = re.search(r"https?://\S+/follow/confirm\?t=[\w-]+", message.get_body(("plain",)).get_content()).group(0)
    assert link.startswith(site.app.base_url)
    page.goto(link)
    expect(page.locator("h1")).to_have_text(ES["follow_confirm_heading"])
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert site.subscriber("carmen.rojas@example.org").status == "pending"  # opening the link changed nothing
    page.locator("#follow-confirm").click()
    expect(page.locator("h1")).to_have_text(ES["follow_confirmed_heading"])
    assert site.subscriber("carmen.rojas@example.org").status == "confirmed"


def test_errors_show_in_the_visitors_language_and_nothing_is_stored(site: MailingSite, open_context):
    page = open_context(locale="es-ES").new_page()
    page.goto("/follow")
    expect_language_saved(page, "es")
    page.locator("#follow-email").fill("pedro@")
    page.locator("#follow-submit").click()
    expect(page.locator("#follow-email-error")).to_have_text(ES["follow_error_email_invalid"])
    expect(page.locator("#follow-consent-error")).to_have_text(ES["follow_error_consent_required"])
    expect(page.locator("#follow-email")).to_have_value("pedro@")
    assert site.subscriber("pedro@") is None


def test_unsubscribe_in_one_click_from_the_link_in_a_mail(site: MailingSite, open_context):
    page = open_context(locale="es-ES").new_page()
    page.goto("/")
    expect_language_saved(page, "es")
    subscribe_from_footer(page, "luis.mora@example.org")
    expect(page.locator("#footer-follow-outcome")).to_contain_text(ES["follow_sent"])
    link = re.search(
        r"/follow/confirm\?t=[\w-]+", site.message_to("luis.mora@example.org").get_body(("plain",)).get_content()
    )
    page.goto(link.group(0))
    page.locator("#follow-confirm").click()
    expect(page.locator("h1")).to_have_text(ES["follow_confirmed_heading"])

    page.goto(f"/unsubscribe?t={unsubscribe_token(site.subscriber('luis.mora@example.org'))}")
    expect(page.locator("h1")).to_have_text(ES["unsubscribe_heading"])
    page.locator("#unsubscribe").click()
    expect(page.locator("h1")).to_have_text(ES["unsubscribe_done_heading"])
    assert site.subscriber("luis.mora@example.org").status == "unsubscribed"


def test_the_form_works_without_javascript(site: MailingSite, open_context):
    page = open_context(locale="es-ES", java_script_enabled=False).new_page()
    page.goto("/follow")
    # Without scripts the page is the prerendered one (English defaults); the server's answers
    # follow the browser's language.
    page.locator("#follow-email").fill("sin.script@")
    page.locator("#follow-language").select_option("es")
    page.locator("#follow-submit").click()
    expect(page.locator("#follow-email-error")).to_have_text(ES["follow_error_email_invalid"])
    expect(page.locator("#follow-email")).to_have_value("sin.script@")  # the values are kept
    expect(page.locator("#follow-language")).to_have_value("es")
    page.locator("#follow-email").fill("sin.script@example.org")
    page.locator("#follow-consent").check()
    page.locator("#follow-submit").click()
    expect(page.locator("main")).to_contain_text(ES["follow_sent"])
    assert "sin.script" not in page.url
    row = site.subscriber("sin.script@example.org")
    assert row is not None and row.status == "pending"
    assert site.message_to("sin.script@example.org")["Subject"] == ES["mail_confirm_subject"]
