"""The contact form in Chromium against the production build: errors, languages, drafts, faults and stored rows."""

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session, select

from tests.e2e.conftest import LiveApp
from tests.e2e.keyboard import send_contact_form_by_keyboard
from tests.e2e.waits import expect_hydrated
from vws_app.i18n import CATALOGUES
from vws_app.models import ContactMessage
from vws_app.services.database import engine_for

EN, ES = CATALOGUES["en"], CATALOGUES["es"]
TEXT_FIELDS = ("name", "email", "phone", "message")
# SQLite's busy timeout in the app (services/database.py) is 15 s: a held write lock fails a write after it.
LOCKED_WRITE_TIMEOUT_MS = 40_000


def field(page: Page, name: str):
    """The input (or textarea) of one contact field."""
    return page.locator(f"#contact-{name}")


def open_contact(page: Page, heading: str = EN["contact_heading"]) -> None:
    """Go to the form and wait until the backend answers, so typing reaches the state."""
    page.goto("/contact")
    expect_hydrated(page, heading)


def fill_form(page: Page, values: dict[str, str], *, wants_meeting: bool = False) -> None:
    """Type `values` (field → text) into the form and tick the meeting box if asked."""
    for name, text in values.items():
        field(page, name).fill(text)
    if wants_meeting:
        # Not `check()`: the box is ticked by the backend's answer, which `check()` does not wait for.
        page.locator("#contact-wants-meeting").click()
        expect(page.locator("#contact-wants-meeting")).to_be_checked()


def expect_values_kept(page: Page, values: dict[str, str]) -> None:
    """Every field still shows what was typed into it."""
    for name, text in values.items():
        expect(field(page, name)).to_have_value(text)


def valid_values(marker: str, name: str = "Ana Rivas") -> dict[str, str]:
    """A valid form whose message carries `marker`, so this test's rows can be told apart."""
    return {"name": name, "email": "ana.rivas@example.org", "message": f"Quiero participar. {marker}"}


def expect_draft_saved(page: Page, values: dict[str, str]) -> None:
    """Wait until local storage holds `values`: the draft is written when the backend answers each keystroke.

    The predicate is a function, not a bare expression, which Playwright would re-`eval` under the site's CSP.
    """
    page.wait_for_function(
        "typed => Object.entries(typed).every(([name, text]) => localStorage.getItem('vws_contact_' + name) === text)",
        arg=values,
    )


def rows_with(live_app: LiveApp, marker: str) -> list[ContactMessage]:
    """The stored contact messages whose text contains `marker`."""
    with Session(engine_for(live_app.database_url)) as session:
        return list(session.exec(select(ContactMessage).where(ContactMessage.message.contains(marker))))


def database_file(live_app: LiveApp) -> str:
    """The path of the live server's SQLite file."""
    return live_app.database_url.removeprefix("sqlite:///")


@contextmanager
def contact_table_missing(live_app: LiveApp) -> Iterator[None]:
    """The live database without its `contactmessage` table (renamed away, renamed back afterwards)."""
    connection = sqlite3.connect(database_file(live_app), timeout=15, isolation_level=None)
    connection.execute("ALTER TABLE contactmessage RENAME TO contactmessage_away")
    try:
        yield
    finally:
        connection.execute("ALTER TABLE contactmessage_away RENAME TO contactmessage")
        connection.close()


@contextmanager
def database_write_locked(live_app: LiveApp) -> Iterator[None]:
    """Another process holds the live database's write lock: reads work, the app's insert times out."""
    connection = sqlite3.connect(database_file(live_app), timeout=15, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


def test_invalid_email_error_shows_in_spanish_after_toggling(page: Page):
    """Leaving a bad email shows the English error beside it; the toggle turns it Spanish and keeps every value."""
    open_contact(page)
    typed = {"name": "Ana Rivas", "email": "ana@@example", "phone": "+58 212 555 0100", "message": "Hola"}
    fill_form(page, typed)
    field(page, "email").focus()
    page.keyboard.press("Tab")
    error = page.locator("#contact-email-error")
    expect(error).to_have_text(EN["contact_error_email_invalid"])
    expect(field(page, "email")).to_have_attribute("aria-invalid", "true")
    page.locator("#language-toggle").click()
    expect(error).to_have_text("Este correo electrónico no parece correcto.")
    expect(page.locator("main h1")).to_have_text(ES["contact_heading"])
    expect_values_kept(page, typed)
    for other in ("name", "phone", "message"):
        expect(page.locator(f"#contact-{other}-error")).to_have_text("")


def test_valid_submission_thanks_and_stores_exactly_one_row(page: Page, live_app: LiveApp):
    """Thanks, an empty form (also after a reload), and one row: name as typed, email normalised, meeting ticked."""
    marker = uuid.uuid4().hex
    open_contact(page)
    name = "José Ñúñez 🌹"
    fill_form(
        page,
        {"name": name, "email": "Jose.Nunez@Example.ORG", "phone": "+58 212 555 0100", "message": f"Hola\n{marker}"},
        wants_meeting=True,
    )
    page.locator("#contact-submit").click()
    expect(page.locator("#contact-outcome")).to_have_text(EN["contact_thanks"])
    expect_values_kept(page, dict.fromkeys(TEXT_FIELDS, ""))
    expect(page.locator("#contact-wants-meeting")).not_to_be_checked()
    [row] = rows_with(live_app, marker)
    stored = (row.name, row.email, row.phone, row.message)
    assert stored == (name, "Jose.Nunez@example.org", "+58 212 555 0100", f"Hola\n{marker}")
    assert (row.wants_meeting, row.language, row.status) == (True, "en", "new")
    page.reload()
    expect_hydrated(page, EN["contact_heading"])
    expect_values_kept(page, dict.fromkeys(TEXT_FIELDS, ""))


def test_double_click_stores_one_row(page: Page, live_app: LiveApp):
    """Two clicks on Send before the server answers the first store one message and thank once."""
    marker = uuid.uuid4().hex
    open_contact(page)
    fill_form(page, valid_values(marker))
    # Both clicks in one browser task, so neither sees the first answer however busy the machine is.
    page.locator("#contact-submit").evaluate("button => { button.click(); button.click(); }")
    expect(page.locator("#contact-outcome")).to_have_text(EN["contact_thanks"])
    # Events from one page run in order: once this later toggle has answered, both submits have too.
    page.locator("#language-toggle").click()
    expect(page.locator("main h1")).to_have_text(ES["contact_heading"])
    expect(page.locator("#contact-outcome")).to_have_text(ES["contact_thanks"])
    assert len(rows_with(live_app, marker)) == 1


@pytest.mark.parametrize("send", ["click", "enter"])
def test_second_send_right_after_thanks_keeps_the_thanks(page: Page, live_app: LiveApp, send: str):
    """A double click (or Enter twice) at human speed still leaves the visitor thanked, with one row stored."""
    marker = uuid.uuid4().hex
    open_contact(page)
    fill_form(page, valid_values(marker))
    outcome = page.locator("#contact-outcome")
    send_once = page.locator("#contact-submit").click if send == "click" else lambda: field(page, "name").press("Enter")
    send_once()
    expect(outcome).to_have_text(EN["contact_thanks"])
    send_once()
    # Events from one page run in order: once the toggle has answered, the second send has too.
    page.locator("#language-toggle").click()
    expect(page.locator("main h1")).to_have_text(ES["contact_heading"])
    assert (outcome.inner_text(), page.locator("#contact-name-error").inner_text()) == (ES["contact_thanks"], "")
    assert len(rows_with(live_app, marker)) == 1


def fault_logged(cause: str) -> pytest.MarkDecorator:
    """The app logs the failed write with its traceback, as it should: allowed for the fault the test makes."""
    return pytest.mark.allow_app_errors(
        rf"Could not store a contact message[\s\S]*{cause}", reason="the test breaks the database on purpose"
    )


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(contact_table_missing, id="table-missing", marks=fault_logged("no such table: contactmessage")),
        pytest.param(database_write_locked, id="write-locked", marks=fault_logged("database is locked")),
    ],
)
def test_database_fault_keeps_input_and_retry_stores_once(
    new_context: Callable[..., BrowserContext],
    live_app: LiveApp,
    fault: Callable[[LiveApp], AbstractContextManager[None]],
):
    """A Spanish visitor hit by a real database fault is told so and keeps every value; the retry stores one row."""
    marker = uuid.uuid4().hex
    page = new_context(locale="es-VE").new_page()
    open_contact(page, ES["contact_heading"])
    typed = {**valid_values(marker, name="Lucía Pérez"), "phone": "0212-555-0100"}
    fill_form(page, typed, wants_meeting=True)
    outcome = page.locator("#contact-outcome")
    with fault(live_app):
        page.locator("#contact-submit").click()
        expect(outcome).to_have_text(ES["contact_failed"], timeout=LOCKED_WRITE_TIMEOUT_MS)
        expect_values_kept(page, typed)
        expect(page.locator("#contact-wants-meeting")).to_be_checked()
    assert rows_with(live_app, marker) == []
    page.locator("#contact-submit").click()
    expect(outcome).to_have_text(ES["contact_thanks"])
    [row] = rows_with(live_app, marker)
    assert (row.name, row.language, row.wants_meeting) == ("Lucía Pérez", "es", True)


def test_typed_values_survive_a_reload(page: Page):
    """What was typed is kept as a draft in the browser and is back after a reload."""
    marker = uuid.uuid4().hex
    open_contact(page)
    typed = {**valid_values(marker, name="Carmen Ávila"), "phone": "+1 (305) 555-0199"}
    fill_form(page, typed)
    expect_draft_saved(page, typed)
    page.reload()
    expect_hydrated(page, EN["contact_heading"])
    expect_values_kept(page, typed)


def test_honeypot_filled_shows_thanks_and_stores_nothing(page: Page, live_app: LiveApp):
    """A bot that fills the hidden website field is thanked like anyone else, and nothing is stored."""
    marker = uuid.uuid4().hex
    open_contact(page)
    fill_form(page, valid_values(marker))
    page.locator("#contact-website").fill("https://spam.example", force=True)
    page.locator("#contact-submit").click()
    expect(page.locator("#contact-outcome")).to_have_text(EN["contact_thanks"])
    assert rows_with(live_app, marker) == []


def test_form_can_be_filled_and_sent_with_the_keyboard_only(page: Page, live_app: LiveApp):
    """Tab from the top of the page to each field in order, Space ticks the box, Enter on Send sends it."""
    marker = uuid.uuid4().hex
    open_contact(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "contact-name":
            break
    send_contact_form_by_keyboard(
        page,
        "Kätchen Ürquiza",
        {"email": "katchen@example.org", "phone": "+58 414 555 0123", "message": f"Hola {marker}"},
    )
    expect(page.locator("#contact-outcome")).to_have_text(EN["contact_thanks"])
    [row] = rows_with(live_app, marker)
    assert (row.name, row.phone, row.wants_meeting) == ("Kätchen Ürquiza", "+58 414 555 0123", True)
