"""An editor's own account in the production build: turn on two-factor sign-in, sign in with password and code, end another session."""

import re
import time
import uuid
from collections.abc import Callable

import pyotp
import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import select

from tests.e2e.admin_helpers import PASSWORD, create_editor_with_cli, db, sign_in, submit_sign_in
from tests.e2e.conftest import LiveApp
from vws_app.models import Editor, EditorSession, EditorTotp
from vws_app.services import auth, two_factor

RUN = uuid.uuid4().hex[:8]
TOTP_EMAIL = f"totp-{RUN}@example.com"
SESSIONS_EMAIL = f"sessions-{RUN}@example.com"
NO_SCRIPT_EMAIL = f"no-script-{RUN}@example.com"


@pytest.fixture(scope="module")
def editors(live_app: LiveApp) -> None:
    create_editor_with_cli(live_app.database_url, TOTP_EMAIL)
    create_editor_with_cli(live_app.database_url, SESSIONS_EMAIL)
    create_editor_with_cli(live_app.database_url, NO_SCRIPT_EMAIL)


def open_account(page: Page) -> None:
    page.locator("#admin-account-link").click()
    expect(page).to_have_url(re.compile(r"/admin/account/?$"))
    expect(page.locator("#account-two-factor-status")).not_to_be_empty()


def test_enrol_two_factor_then_sign_in_with_password_and_code(
    new_context: Callable[..., BrowserContext],
    editors: None,
    live_app: LiveApp,
):
    page = new_context().new_page()
    sign_in(page, TOTP_EMAIL)
    open_account(page)
    page.locator("#account-start-two-factor").click()
    secret = page.locator("#account-secret").inner_text()
    totp = pyotp.TOTP(secret)
    first_code = totp.now()
    page.locator("#account-code").fill(first_code)
    page.locator("#account-confirm-two-factor").click()
    expect(page.locator("#account-recovery-codes li")).to_have_count(10)
    expect(page.locator("#account-two-factor-status")).to_contain_text("Recovery codes left: 10")
    with db(live_app.database_url) as session:
        editor = session.exec(select(Editor).where(Editor.email == TOTP_EMAIL)).one()
        assert session.get(EditorTotp, editor.id).confirmed

    page.locator("#admin-sign-out").click()
    expect(page.locator("#admin-sign-in")).to_be_visible()
    submit_sign_in(page, TOTP_EMAIL, PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/code/?$"))
    assert "vws_admin_session" not in {cookie["name"] for cookie in page.context.cookies()}
    # The code used to turn it on is spent; the next step's code is accepted (a phone's clock may run ahead).
    page.locator("#admin-code").fill(totp.at(time.time() + totp.interval))
    page.locator("#admin-code-submit").click()
    expect(page.locator("#admin-sign-out")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/?$"))


def test_your_sessions_lists_both_browsers_and_signs_out_the_other(
    new_context: Callable[..., BrowserContext],
    editors: None,
    live_app: LiveApp,
):
    other = new_context().new_page()
    sign_in(other, SESSIONS_EMAIL)
    page = new_context().new_page()
    sign_in(page, SESSIONS_EMAIL)
    open_account(page)
    rows = page.locator(".account-session-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("This browser")
    expect(rows.first).to_contain_text("Chrome")  # the user agent kept at sign-in
    rows.nth(1).get_by_role("button", name="Sign out").click()
    expect(rows).to_have_count(1)
    with db(live_app.database_url) as session:
        editor = session.exec(select(Editor).where(Editor.email == SESSIONS_EMAIL)).one()
        assert len(session.exec(select(EditorSession).where(EditorSession.editor_id == editor.id)).all()) == 1
    other.goto("/admin/posts")
    expect(other.locator("#admin-sign-in")).to_be_visible()


def test_password_and_code_sign_in_works_without_javascript(
    new_context: Callable[..., BrowserContext],
    editors: None,
    live_app: LiveApp,
):
    with db(live_app.database_url) as session:
        editor = session.exec(select(Editor).where(Editor.email == NO_SCRIPT_EMAIL)).one()
        secret = two_factor.start_enrolment(session, editor)
        two_factor.confirm_enrolment(session, editor, pyotp.TOTP(secret).at(time.time() - 30))
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/admin")
    page.locator("#admin-email").fill(NO_SCRIPT_EMAIL)
    page.locator("#admin-password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#admin-sign-in").click()
    assert re.search(r"/admin/code/?$", page.url) and NO_SCRIPT_EMAIL not in page.url
    page.locator("#admin-code").fill(pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.locator("#admin-code-submit").click()
    assert re.search(r"/admin/?$", page.url)
    token = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "vws_admin_session")
    with db(live_app.database_url) as session:
        assert session.exec(select(EditorSession).where(EditorSession.token_hash == auth.token_hash(token))).one()
