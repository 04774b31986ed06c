"""An editor works the inbox in Chromium against the production build: assign, note, move, filter, and the nav count follows."""

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import col, select

from tests.e2e.admin_helpers import create_editor_with_cli, db, open_section, sign_in
from tests.e2e.conftest import LiveApp
from tests.e2e.test_accessibility import expect_no_serious_violations
from vws_app.models import ContactMessage, ContactNote, Editor, utc_now
from vws_app.services import inbox

RUN = uuid.uuid4().hex[:8]
EDITOR_EMAIL = f"inbox-{RUN}@example.com"
NOTE = f"Phoned back, she will come on Saturday ({RUN})"


@pytest.fixture(scope="module")
def editor(live_app: LiveApp) -> str:
    """An account made with the real CLI on the live database; its email."""
    create_editor_with_cli(live_app.database_url, EDITOR_EMAIL)
    return EDITOR_EMAIL


@pytest.fixture
def messages(live_app: LiveApp) -> Iterator[dict[str, str]]:
    """Two new messages from visitors (the newest first in the inbox), deleted afterwards with their notes."""
    senders = {"first": f"ana-{RUN}@example.com", "second": f"bea-{RUN}@example.com"}
    with db(live_app.database_url) as session:
        for minutes, (key, email) in enumerate(senders.items()):
            session.add(
                ContactMessage(
                    name=f"Sender {key} {RUN}",
                    email=email,
                    message=f"Hello from {key}\nsecond line",
                    wants_meeting=key == "first",
                    language="es" if key == "first" else "en",
                    submission_key=uuid.uuid4().hex,
                    created_at=utc_now() + timedelta(minutes=minutes),
                )
            )
        session.commit()
    yield senders
    with db(live_app.database_url) as session:
        actor = session.exec(select(Editor).where(Editor.email == EDITOR_EMAIL)).one()
        rows = session.exec(select(ContactMessage).where(col(ContactMessage.email).contains(RUN))).all()
        for message_id in [row.id for row in rows]:
            inbox.delete_message(session, message_id, actor)


def card(page: Page, email: str) -> Locator:
    return page.locator(".inbox-message", has_text=email)


def expect_new_count(page: Page, live_app: LiveApp) -> int:
    """The nav badge shows what the database counts as new (no badge at zero); that count."""
    with db(live_app.database_url) as session:
        count = inbox.count_new(session)
    badge = page.locator("#admin-new-count")
    if count:
        expect(badge).to_have_text(f"{count} new")
    else:
        expect(badge).to_have_count(0)
    return count


def test_an_editor_assigns_notes_moves_and_filters_a_message_and_the_new_count_drops(
    new_context, editor: str, messages: dict[str, str], live_app: LiveApp
):
    page = new_context().new_page()
    sign_in(page, editor)
    open_section(page, "Inbox", "/admin/inbox")
    first, second = card(page, messages["first"]), card(page, messages["second"])
    expect(first).to_contain_text("New")
    new_before = expect_new_count(page, live_app)
    assert new_before >= 2

    first.get_by_role("button", name="Assign to me").click()
    expect(first.locator(".inbox-assignee-text")).to_have_text(f"Assigned to: {editor}")
    expect(first.get_by_role("button", name="Assign to me")).to_have_count(0)
    expect(second.locator(".inbox-assignee-text")).to_have_text("Assigned to: Nobody")

    reply = first.get_by_role("link", name="Reply by e-mail")
    expect(reply).to_have_attribute(
        "href",
        re.compile(
            rf"^mailto:ana-{RUN}@example\.com\?subject=Re%3A%20Tu%20mensaje.*&body=.*%3E%20Hello%20from%20first%0D%0A%3E%20second%20line$"
        ),
    )

    first.get_by_text(f"Sender first {RUN}", exact=True).click()
    expect(first).to_contain_text("Internal notes")
    first.get_by_role("button", name="Add note").click()
    expect(first.locator("#inbox-note-error")).to_have_text("Write the note first.")
    first.get_by_label("New note").fill(NOTE)
    first.get_by_role("button", name="Add note").click()
    note = first.locator(".inbox-note")
    expect(note).to_have_count(1)
    expect(note).to_contain_text(NOTE)
    expect(note).to_contain_text(editor)
    expect(first.get_by_label("New note")).to_have_value("")
    expect(first.locator("#inbox-note-error")).to_be_empty()
    with db(live_app.database_url) as session:
        stored = session.exec(select(ContactNote).where(col(ContactNote.body).contains(RUN))).one()
        assert (stored.body, stored.author_email) == (NOTE, editor)

    first.get_by_role("button", name="Mark in progress").click()
    expect(first.locator(".inbox-status")).to_have_text("In progress")
    assert expect_new_count(page, live_app) == new_before - 1
    first.get_by_role("button", name="Mark handled").click()
    expect(first.locator(".inbox-status")).to_have_text("Handled")
    expect(first.get_by_role("button", name="Mark as new")).to_be_visible()

    page.locator("#inbox-filter-status-handled").click()
    expect(page.locator("#inbox-filter-status-handled")).to_have_attribute("aria-pressed", "true")
    expect(first).to_have_count(1)
    expect(second).to_have_count(0)
    page.locator("#inbox-filter-status-new").click()
    expect(second).to_have_count(1)
    expect(first).to_have_count(0)

    page.locator("#inbox-filter-status-all").click()
    page.locator("#inbox-filter-assignee").select_option("me")
    expect(first).to_have_count(1)
    expect(second).to_have_count(0)
    page.locator("#inbox-filter-assignee").select_option("nobody")
    expect(second).to_have_count(1)
    expect(first).to_have_count(0)
    page.locator("#inbox-filter-meeting").click()
    expect(page.locator(".inbox-message", has_text=RUN)).to_have_count(0)  # only the first wants a meeting
    page.locator("#inbox-filter-assignee").select_option("")
    expect(first).to_have_count(1)
    expect(second).to_have_count(0)


def test_the_inbox_with_every_status_an_open_message_and_a_note_passes_axe_in_both_languages(
    new_context, editor: str, messages: dict[str, str], live_app: LiveApp
):
    """Statuses are words (not only colours), every control has a label, in English and in Spanish."""
    with db(live_app.database_url) as session:
        actor = session.exec(select(Editor).where(Editor.email == EDITOR_EMAIL)).one()
        rows = session.exec(select(ContactMessage).where(col(ContactMessage.email).contains(RUN))).all()
        by_email = {row.email: row.id for row in rows}
        inbox.set_message_status(session, by_email[messages["first"]], "in_progress", actor)
        inbox.set_message_status(session, by_email[messages["second"]], "spam", actor)
    page = new_context().new_page()
    sign_in(page, editor)
    open_section(page, "Inbox", "/admin/inbox")
    first, second = card(page, messages["first"]), card(page, messages["second"])
    expect(first.locator(".inbox-status")).to_have_text("In progress")
    expect(second.locator(".inbox-status")).to_have_text("Spam")
    expect(second.get_by_role("button", name="Mark as new")).to_be_visible()
    expect(second.get_by_role("button", name="Mark as spam")).to_have_count(0)  # already spam
    first.get_by_text(f"Sender first {RUN}", exact=True).click()
    first.get_by_label("New note").fill(NOTE)
    first.get_by_role("button", name="Add note").click()
    expect(first.locator(".inbox-note")).to_contain_text(NOTE)
    expect_no_serious_violations(page)

    page.locator("#language-toggle").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(first.locator(".inbox-status")).to_have_text("En curso")
    expect(second.locator(".inbox-status")).to_have_text("No deseado")
    expect(first).to_contain_text("Notas internas")
    expect(first.get_by_role("button", name="Añadir nota")).to_be_visible()
    expect_no_serious_violations(page)
