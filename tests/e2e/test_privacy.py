"""The privacy page in both languages, and the short notice beside a form, in Chromium against the production build."""

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from tests.e2e.conftest import LiveApp
from tests.e2e.waits import expect_hydrated
from vws_app.i18n import CATALOGUES
from vws_app.models import ContactMessage
from vws_app.services.database import engine_for
from vws_app.services.retention_policy import DEFAULT_RETENTION

EN, ES = CATALOGUES["en"], CATALOGUES["es"]


def test_the_privacy_page_shows_the_text_and_periods_in_both_languages(page: Page):
    page.goto("/privacy")
    expect_hydrated(page, EN["privacy_retention_heading"])
    expect(page.locator("main h1")).to_have_text(EN["privacy_heading"])
    expect(page.locator("main")).to_contain_text(EN["privacy_initial_full"].split("\n\n")[0])
    expect(page.locator("#privacy-retention")).to_contain_text(
        EN["privacy_retention_handled_contact_months"].format(value=DEFAULT_RETENTION.handled_contact_months)
    )
    page.goto("/es/privacy")
    expect_hydrated(page, ES["privacy_retention_heading"])
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("main h1")).to_have_text(ES["privacy_heading"])
    expect(page.locator("#privacy-retention")).to_contain_text(
        ES["privacy_retention_past_rsvp_days"].format(value=DEFAULT_RETENTION.past_rsvp_days)
    )


def test_the_contact_form_shows_the_notice_links_the_page_and_stores_its_version(page: Page, live_app: LiveApp):
    page.goto("/contact")
    expect_hydrated(page, EN["contact_heading"])
    notice = page.locator("#contact-privacy-notice")
    expect(notice).to_contain_text(EN["privacy_initial_short"].split(":")[0])
    expect(page.locator("#footer-privacy-link")).to_have_attribute("href", "/privacy")
    notice_id = page.locator("#contact-privacy-notice input[name=notice_id]")
    expect(notice_id).not_to_have_value("")
    shown = int(notice_id.input_value())
    for name, text in {"name": "Ana Privacidad", "email": "ana.privacy@example.org", "message": "Hola"}.items():
        page.locator(f"#contact-{name}").fill(text)
    page.locator("#contact-submit").click()
    expect(page.locator("#contact-outcome")).to_have_text(EN["contact_thanks"])
    with Session(engine_for(live_app.database_url)) as session:
        row = session.exec(select(ContactMessage).where(ContactMessage.email == "ana.privacy@example.org")).one()
        assert (row.consent_notice_id, row.consent_language) == (shown, "en") and row.consent_at is not None
    page.locator("#contact-privacy-link").click()
    expect(page).to_have_url(live_app.url("/privacy"))
    expect(page.locator("main h1")).to_have_text(EN["privacy_heading"])
