"""Meetings in Chromium against the production build, with a real SMTP server and the mail-worker running:
an RSVP in Spanish with its mail and calendar file, the waiting list when full, the form without JavaScript,
and an editor reading the headcount."""

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session

from tests.e2e.admin_helpers import create_editor_with_cli, open_section, sign_in
from tests.e2e.conftest import browser_contexts
from tests.e2e.mail_worker_site import MailSite, app_with_mail_worker
from tests.e2e.waits import expect_language_saved
from vws_app.i18n import CATALOGUES
from vws_app.models import Event, utc_now
from vws_app.services import rsvp
from vws_app.services.database import engine_for
from vws_app.services.rsvp import RsvpRequest

EN, ES = CATALOGUES["en"], CATALOGUES["es"]
PRIVATE_LINK = "https://meet.example.org/private-room-2718"


class MeetingSite(MailSite):
    """The running app, the SMTP server it sends to, and the meetings put in its database."""

    def add_meeting(self, title: str, capacity: int | None) -> int:
        start = (utc_now() + timedelta(days=10)).replace(microsecond=0)
        with Session(engine_for(self.app.database_url)) as session:
            event = Event(
                title_en=f"{title} assembly",
                title_es=f"Asamblea {title}",
                description_es="Orden del día.",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                timezone="America/New_York",
                place="Queens",
                online_url=PRIVATE_LINK,
                rsvp_enabled=True,
                capacity=capacity,
            )
            session.add(event)
            session.commit()
            return event.id

    def rsvp_directly(self, event_id: int, email: str) -> None:
        with Session(engine_for(self.app.database_url)) as session:
            rsvp.rsvp(
                session,
                event_id,
                RsvpRequest(name="Ana", email=email, people="1", consent=True),
                client_address="192.0.2.1",
            )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MeetingSite]:
    """A production build whose `SITE_URL` is its own address, sending through a test SMTP server via `mail-worker`."""
    settings = {
        "MAIL_RATE_PER_MINUTE": "0",
        "MAIL_POLL_SECONDS": "0.2",
        "MAIL_FROM": "reuniones@vws.example.org",
        "RSVP_RATE_LIMIT": "100",
    }
    with app_with_mail_worker(tmp_path_factory.mktemp("vws_meetings_e2e"), settings) as (app, collector):
        yield MeetingSite(app, collector)


@pytest.fixture
def open_context(
    browser: Browser, site: MeetingSite, request: pytest.FixtureRequest
) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh contexts on this module's server; their page errors fail the test."""
    with browser_contexts(browser, site.app.base_url, request) as make:
        yield make


def fill_rsvp(page: Page, name: str, email: str, prefix: str = "rsvp") -> None:
    page.locator(f"#{prefix}-name").fill(name)
    page.locator(f"#{prefix}-email").fill(email)
    page.locator(f"#{prefix}-consent").check()
    page.locator(f"#{prefix}-submit").click()


def test_rsvp_in_spanish_get_the_mail_and_add_the_event_to_a_calendar(site: MeetingSite, open_context):
    event_id = site.add_meeting("Spanish", capacity=10)
    page = open_context(locale="es-ES").new_page()
    page.goto(f"/events/{event_id}")
    expect_language_saved(page, "es")
    expect(page.locator("#event-title")).to_have_text("Asamblea Spanish")
    expect(page.get_by_text(ES["events_online_private"])).to_be_visible()
    assert PRIVATE_LINK not in page.content()
    fill_rsvp(page, "Lucía Pérez", "lucia.perez@example.org")
    expect(page.locator("#rsvp-outcome")).to_have_text(ES["rsvp_sent"])

    mail = site.message_to("lucia.perez@example.org")
    assert mail["Subject"] == "Estás en la lista: Asamblea Spanish"
    assert PRIVATE_LINK in mail.get_body(("plain",)).get_content()
    [attachment] = list(mail.iter_attachments())
    [attached] = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert str(attached["summary"]) == "Asamblea Spanish" and attached["dtstart"].params["TZID"] == "America/New_York"

    with page.expect_download() as download_info:
        page.locator("#add-to-calendar").click()
    downloaded = Calendar.from_ical(download_info.value.path().read_bytes())
    [item] = downloaded.walk("VEVENT")
    assert str(item["summary"]) == "Asamblea Spanish" and str(item["uid"]) == str(attached["uid"])
    assert PRIVATE_LINK not in downloaded.to_ical().decode()


def test_when_the_event_is_full_the_next_reader_is_put_on_the_waiting_list(site: MeetingSite, open_context):
    event_id = site.add_meeting("Full", capacity=1)
    site.rsvp_directly(event_id, "first.reader@example.org")
    page = open_context(locale="en-US").new_page()
    page.goto(f"/events/{event_id}")
    expect(page.locator("#event-title")).to_have_text("Full assembly")
    fill_rsvp(page, "Second Reader", "second.reader@example.org")
    expect(page.locator("#rsvp-outcome")).to_have_text(EN["rsvp_sent"])
    mail = site.message_to("second.reader@example.org")
    assert mail["Subject"] == "Waiting list: Full assembly"
    assert PRIVATE_LINK not in mail.as_string()


def test_the_rsvp_form_works_without_javascript(site: MeetingSite, open_context):
    event_id = site.add_meeting("Plain", capacity=None)
    page = open_context(locale="es-ES", java_script_enabled=False).new_page()
    page.goto(f"/events/{event_id}")
    expect(page.locator("h1")).to_have_text("Asamblea Plain")
    page.locator("#static-rsvp-name").fill("Pedro")
    page.locator("#static-rsvp-email").fill("pedro@")
    page.locator("#static-rsvp-submit").click()
    expect(page.locator("#rsvp-email-error")).to_have_text(ES["rsvp_error_email_invalid"])
    expect(page.locator("#rsvp-consent-error")).to_have_text(ES["rsvp_error_consent_required"])
    expect(page.locator("#rsvp-name")).to_have_value("Pedro")
    page.locator("#rsvp-email").fill("pedro@example.org")
    page.locator("#rsvp-consent").check()
    page.locator("#rsvp-submit").click()
    expect(page.get_by_role("status")).to_have_text(ES["rsvp_sent"])
    assert site.message_to("pedro@example.org")["Subject"] == "Estás en la lista: Asamblea Plain"


def test_an_editor_sees_the_headcount(site: MeetingSite, open_context):
    event_id = site.add_meeting("Counted", capacity=1)
    site.rsvp_directly(event_id, "counted.one@example.org")
    site.rsvp_directly(event_id, "counted.two@example.org")
    create_editor_with_cli(site.app.database_url, "editor.meetings@example.org")
    page = open_context(locale="en-US").new_page()
    sign_in(page, "editor.meetings@example.org")
    open_section(page, EN["admin_nav_rsvps"], "/admin/rsvps")
    page.locator("#rsvps-event").select_option(str(event_id))
    expect(page.locator("#headcount-confirmed")).to_have_text("1")
    expect(page.locator("#headcount-waitlisted")).to_have_text("1")
    expect(page.locator("#rsvps-list")).to_contain_text("counted.two@example.org")


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_the_event_page_and_its_form_with_errors_pass_axe(site: MeetingSite, open_context, locale):
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.test_accessibility import BLOCKING_IMPACTS

    event_id = site.add_meeting("Accessible", capacity=5)
    page = open_context(locale=locale).new_page()
    page.goto(f"/events/{event_id}")
    expect(page.locator("#event-title")).to_be_visible()
    page.locator("#rsvp-submit").click()
    expect(page.locator("#rsvp-name-error")).not_to_be_empty()
    violations = [found for found in Axe().run(page).response["violations"] if found["impact"] in BLOCKING_IMPACTS]
    assert not violations, [f"{found['id']}: {found['help']}" for found in violations]
