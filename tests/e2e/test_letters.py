"""Open letters in Chromium against the production build, with a real SMTP server and the mail-worker running.

A reader signs the Spanish version, confirms from the mail and finds their name on the English
version with the count up in both; an organisation is listed first; an editor closes sign-on
and the form is gone.
"""

import re
import urllib.request

from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.admin_helpers import create_editor_with_cli, db, sign_in
from tests.e2e.test_follow import MailingSite, open_context, site  # noqa: F401 - the module's fixtures
from tests.unit.content_builders import add_post, add_translation
from vws_app.i18n import CATALOGUES
from vws_app.models import Editor, LetterSignature
from vws_app.services import letters_admin

EN, ES = CATALOGUES["en"], CATALOGUES["es"]
EDITOR_EMAIL = "letters-editor@example.org"


def open_letter(site: MailingSite) -> tuple[int, str, str]:
    """An English letter and its Spanish version, published, with sign-on open; (English id, slugs)."""
    create_editor_with_cli(site.app.database_url, EDITOR_EMAIL)
    with db(site.app.database_url) as session:
        english = add_post(session, "Letter to the union", category="open_letter", slug="letter-to-the-union")
        add_translation(session, english, "Carta al sindicato", slug="carta-al-sindicato")
        editor = session.exec(select(Editor).where(Editor.email == EDITOR_EMAIL)).one()
        letters_admin.save_settings(session, english.translation_key, editor, is_open=True, moderated=False)
        return english.id, english.slug, "carta-al-sindicato"


def sign(page: Page, name: str, address: str, *, organisation: bool = False) -> None:
    expect(page.locator("#sign-form")).to_be_visible()
    page.locator("#sign-name").fill(name)
    page.locator("#sign-city").fill("Caracas")
    page.locator("#sign-country").select_option("VE")
    page.locator("#sign-email").fill(address)
    if organisation:
        page.locator("#sign-is_organisation").check()
    page.locator("#sign-consent").check()
    page.locator("#sign-submit").click()


def confirm_from_mail(site: MailingSite, page: Page, address: str, language: dict[str, str]) -> None:
    message = site.message_to(address)
    assert message["Subject"] == language["mail_sign_subject"]
    link = re.search(r"https?://\S+/letters/confirm\?t=[\w-]+", message.get_body(("plain",)).get_content()).group(0)
    assert link.startswith(site.app.base_url) and "@" not in link
    page.goto(link)
    expect(page.locator("h1")).to_have_text(language["letters_confirm_heading"])
    page.locator("#letter-confirm").click()
    expect(page.locator("h1")).to_have_text(language["letters_confirmed_heading"])


def signatures(site: MailingSite) -> list[LetterSignature]:
    with db(site.app.database_url) as session:
        return list(session.exec(select(LetterSignature).order_by(LetterSignature.id)).all())


def test_sign_in_spanish_confirm_see_it_in_english_then_an_editor_closes_sign_on(site: MailingSite, open_context):
    _english_id, english_slug, spanish_slug = open_letter(site)
    spanish = open_context(locale="es-ES").new_page()
    spanish.goto(f"/posts/{spanish_slug}")
    expect(spanish.locator("#letter-count")).to_have_text(ES["letters_count_none"])
    sign(spanish, "Rosa Peña", "rosa.pena@example.org")
    expect(spanish.locator("#sign-outcome")).to_contain_text(ES["letters_sent"])
    assert [row.status for row in signatures(site)] == ["pending"]
    confirm_from_mail(site, spanish, "rosa.pena@example.org", ES)

    english = open_context(locale="en-US").new_page()
    english.goto(f"/posts/{english_slug}")
    expect(english.locator("#letter-count")).to_have_text("1 person has signed")
    expect(english.locator("#signatories .signer-name")).to_have_text(["Rosa Peña"])
    expect(english.locator("#signatories")).to_contain_text("Caracas, Venezuela")
    spanish.goto(f"/posts/{spanish_slug}")
    expect(spanish.locator("#letter-count")).to_have_text("1 persona ha firmado")

    sign(english, "Sindicato Unido", "info@sindicato.example.org", organisation=True)
    expect(english.locator("#sign-outcome")).to_contain_text(EN["letters_sent"])
    confirm_from_mail(site, english, "info@sindicato.example.org", EN)
    english.goto(f"/posts/{english_slug}")
    expect(english.locator("#letter-count")).to_have_text("1 person and 1 organisation have signed")
    expect(english.locator("#signatories .signer-name")).to_have_text(["Sindicato Unido", "Rosa Peña"])
    with urllib.request.urlopen(f"{site.app.base_url}/posts/{english_slug}", timeout=10) as response:
        assert "1 person and 1 organisation have signed" in response.read().decode()  # crawlers see the count too

    admin = open_context(locale="en-US").new_page()
    sign_in(admin, EDITOR_EMAIL)
    admin.get_by_role("navigation", name="Editors' admin").get_by_role(
        "link", name=EN["admin_nav_letters"], exact=True
    ).click()
    admin.get_by_role("button", name="Letter to the union").click()
    expect(admin.locator("#letter-title")).to_have_text("Letter to the union")
    expect(admin.locator("#letter-count-shown")).to_have_text("2")
    expect(admin.locator("#letter-is_open")).to_be_checked()
    admin.locator("#letter-is_open").uncheck()
    admin.locator("#letter-save").click()
    expect(admin.locator("#admin-notice")).to_contain_text(EN["admin_letters_saved"])

    english.goto(f"/posts/{english_slug}")
    expect(english.locator("#letter-count")).to_have_text("1 person and 1 organisation have signed")
    expect(english.locator("#signatories .signer-name")).to_have_count(2)
    expect(english.locator("#sign-form")).to_have_count(0)


def test_signing_works_without_javascript(site: MailingSite, open_context):
    with db(site.app.database_url) as session:
        spanish = add_post(session, "Segunda carta", language="es", category="open_letter", slug="segunda-carta")
        editor = session.exec(select(Editor)).first()
        letters_admin.save_settings(session, spanish.translation_key, editor, is_open=True, moderated=False)
    page = open_context(locale="es-ES", java_script_enabled=False).new_page()
    page.goto("/posts/segunda-carta")  # the server's text and form, in the letter's language
    page.locator("#plain-sign-name").fill("Sin Script")
    page.locator("#plain-sign-email").fill("sin.script@")
    page.locator("#sign-form-plain button[type=submit]").click()
    expect(page.locator("#plain-sign-email-error")).to_have_text(ES["letters_error_email_invalid"])
    expect(page.locator("#plain-sign-name")).to_have_value("Sin Script")  # the values are kept
    page.locator("#plain-sign-email").fill("sin.script@example.org")
    page.locator("#sign-form-plain input[name=consent]").check()
    page.locator("#sign-form-plain button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(ES["letters_sent"])
    assert "sin.script" not in page.url
    assert site.message_to("sin.script@example.org")["Subject"] == ES["mail_sign_subject"]
