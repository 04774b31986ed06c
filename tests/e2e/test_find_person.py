"""An admin finds a person by address, downloads their records as JSON and erases them after confirming (production build)."""

import json
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import func, select

from tests.e2e.admin_helpers import create_editor_with_cli, db, open_section, sign_in
from tests.e2e.conftest import LiveApp
from vws_app.models import AuditEntry, ContactMessage, Subscriber
from vws_app.services import subscriptions
from vws_app.services.contact import ContactSubmission, submit_contact_message

RUN = uuid.uuid4().hex[:8]
ADMIN_EMAIL = f"person-admin-{RUN}@example.com"
PERSON = f"ana.{RUN}@example.org"
OTHER = f"mariana.{RUN}@example.org"


@pytest.fixture(scope="module")
def seeded(live_app: LiveApp) -> None:
    """An admin; PERSON wrote twice and follows the statements, OTHER wrote once."""
    create_editor_with_cli(live_app.database_url, ADMIN_EMAIL)
    with db(live_app.database_url) as session:
        for number, email in enumerate((PERSON.upper(), PERSON, OTHER)):
            submit_contact_message(
                session,
                ContactSubmission(name="Ana", email=email, message=f"Hello {RUN} {number}"),
                submission_key=uuid.uuid4().hex,
                client_address=f"198.51.100.{60 + number}",
            )
        subscriptions.subscribe(
            session,
            subscriptions.FollowRequest(email=PERSON, language="es", consent=True),
            client_address="198.51.100.70",
        )


@pytest.fixture
def admin(new_context: Callable[..., BrowserContext], seeded: None) -> Page:
    page = new_context().new_page()
    sign_in(page, ADMIN_EMAIL)
    return page


def _count(session, model, email: str) -> int:
    return session.exec(select(func.count()).select_from(model).where(func.lower(model.email) == email)).one()


def test_admin_finds_a_person_exports_json_and_erases_after_confirming(admin: Page, live_app: LiveApp):
    open_section(admin, "Find a person", "/admin/person")
    expect(admin.locator("#person-excluded")).to_contain_text("Editor accounts")
    admin.locator("#person-email").fill(PERSON.replace("ana", "ANA"))
    admin.locator("#person-find").click()
    expect(admin.locator("#person-address")).to_contain_text(PERSON)
    expect(admin.locator("#person-count-contact_message")).to_have_text("2")
    expect(admin.locator("#person-count-subscriber")).to_have_text("1")
    expect(admin.locator(".person-record")).to_have_count(4)  # two messages, the subscriber, the confirmation mail

    with admin.expect_download() as info:
        admin.locator("#person-export").click()
    download = info.value
    assert PERSON not in download.suggested_filename and RUN not in admin.url
    document = json.loads(download.path().read_text(encoding="utf-8"))
    assert document["address"] == PERSON
    assert sorted(row["message"] for row in document["records"]["contact_message"]) == [
        f"Hello {RUN} 0",
        f"Hello {RUN} 1",
    ]
    assert document["records"]["subscriber"][0]["language"] == "es"

    admin.locator("#person-erase").click()
    dialog = admin.get_by_role("alertdialog")
    expect(dialog).to_contain_text(PERSON)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    with db(live_app.database_url) as session:
        assert _count(session, ContactMessage, PERSON) == 2  # cancelled: nothing went

    admin.locator("#person-erase").click()
    admin.get_by_role("alertdialog").get_by_role("button", name="Erase for good").click()
    expect(admin.locator("#admin-notice")).to_have_text("Erased 4 records.")
    expect(admin.locator("#person-none")).to_be_visible()
    with db(live_app.database_url) as session:
        assert _count(session, ContactMessage, PERSON) == 0 and _count(session, Subscriber, PERSON) == 0
        assert _count(session, ContactMessage, OTHER) == 1
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "erase_person")).one()
        assert PERSON not in entry.summary and "contact_message=2" in entry.summary
