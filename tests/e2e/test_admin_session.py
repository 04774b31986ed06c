"""The editors' session against the production build: a real HTTP sign-in, a cookie only it holds, and what an attacker can't do with a tab's token."""

import hashlib
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import select

from tests.e2e.admin_helpers import PASSWORD, create_editor_with_cli, db, sign_in, submit_sign_in
from tests.e2e.conftest import LiveApp
from tests.e2e.waits import expect_language_saved
from vws_app.models import ContactMessage, EditorSession, SignInFailure
from vws_app.services import sign_in_limits

RUN = uuid.uuid4().hex[:8]
EDITOR_EMAIL = f"session-{RUN}@example.com"
OWNER_EMAIL = f"owner-{RUN}@example.com"  # the account the per-account limit test closes to strangers
SESSION_COOKIE = "vws_admin_session"
DEVICE_COOKIE = "vws_admin_device"
CANARY = f"canary-{RUN}"
STATE_FILES_DEADLINE_S = 30


@pytest.fixture(scope="module")
def editor(live_app: LiveApp) -> str:
    create_editor_with_cli(live_app.database_url, EDITOR_EMAIL)
    return EDITOR_EMAIL


def session_cookie(context: BrowserContext) -> dict:
    return next(cookie for cookie in context.cookies() if cookie["name"] == SESSION_COOKIE)


def test_signing_in_sets_an_httponly_cookie_and_each_sign_in_rotates_it(
    new_context: Callable[..., BrowserContext], editor: str, live_app: LiveApp
):
    context = new_context()
    page = context.new_page()
    sign_in(page, editor)
    first = session_cookie(context)
    assert first["httpOnly"] and first["sameSite"] == "Strict" and first["path"] == "/"
    assert page.evaluate("() => document.cookie").find(SESSION_COOKIE) == -1, "page scripts can read the session"
    page.locator("#admin-sign-out").click()
    expect(page.locator("#admin-sign-in")).to_be_visible()
    assert SESSION_COOKIE not in {cookie["name"] for cookie in context.cookies()}
    sign_in(page, editor)
    second = session_cookie(context)
    assert second["value"] != first["value"]
    with db(live_app.database_url) as session:
        hashes = set(session.exec(select(EditorSession.token_hash)).all())
    assert hashlib.sha256(second["value"].encode()).hexdigest() in hashes
    assert hashlib.sha256(first["value"].encode()).hexdigest() not in hashes, "the signed-out session still works"


def test_sign_in_works_without_javascript(new_context: Callable[..., BrowserContext], editor: str, live_app: LiveApp):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/admin")
    page.locator("#admin-email").fill(editor)
    page.locator("#admin-password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#admin-sign-in").click()
    assert page.url.rstrip("/").endswith("/admin") and "password" not in page.url and editor not in page.url
    token = session_cookie(context)["value"]
    with db(live_app.database_url) as session:
        assert session.exec(
            select(EditorSession).where(EditorSession.token_hash == hashlib.sha256(token.encode()).hexdigest())
        ).one()


def test_a_signed_in_tabs_token_in_another_browser_gets_no_admin_and_no_data(
    new_context: Callable[..., BrowserContext], editor: str, live_app: LiveApp
):
    """The tab token is readable in sessionStorage and in the socket's URL: replayed in a new
    browser without the session cookie, it shows the sign-in form and not one byte of admin data."""
    with db(live_app.database_url) as session:
        session.add(ContactMessage(name=CANARY, email=f"{RUN}@example.org", message=CANARY, submission_key=RUN))
        session.commit()
    victim = new_context().new_page()
    sign_in(victim, editor)
    victim.get_by_role("navigation", name="Editors' admin").get_by_role("link", name="Inbox", exact=True).click()
    expect(victim.locator("main")).to_contain_text(CANARY)
    tab_token = victim.evaluate("() => window.sessionStorage.getItem('token')")
    assert tab_token
    victim.close()

    attacker_context = new_context()
    # As the replaying client sets it up before the app's scripts run (about:blank has no storage).
    attacker_context.add_init_script(
        f"if (window.location.origin !== 'null') window.sessionStorage.setItem('token', {tab_token!r})"
    )
    attacker = attacker_context.new_page()
    received: list[str] = []
    attacker.on("websocket", lambda socket: socket.on("framereceived", lambda frame: received.append(str(frame))))
    attacker.goto("/admin/inbox")
    assert attacker.evaluate("() => window.sessionStorage.getItem('token')") == tab_token
    expect(attacker.locator("#admin-sign-in")).to_be_visible()
    expect_language_saved(attacker)  # the socket answered: the hydrate and the page's loaders ran
    expect(attacker.locator("#admin-sign-out")).to_have_count(0)
    assert received, "no socket traffic was observed"
    assert not [frame for frame in received if CANARY in frame], "admin data was sent to the replaying browser"
    expect(attacker.locator("body")).not_to_contain_text(CANARY)


def test_sign_in_posted_from_another_origin_is_refused(page: Page, editor: str, live_app: LiveApp):
    response = page.request.post(
        "/admin/sign-in",
        form={"email": editor, "password": PASSWORD},
        headers={"origin": "http://evil.example"},
        max_redirects=0,
    )
    assert response.status == 403
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_guessing_from_many_addresses_closes_the_account_but_its_owners_browser_gets_in(
    new_context: Callable[..., BrowserContext], live_app: LiveApp
):
    create_editor_with_cli(live_app.database_url, OWNER_EMAIL)
    owner_context = new_context()
    owner = owner_context.new_page()
    sign_in(owner, OWNER_EMAIL)
    assert any(cookie["name"] == DEVICE_COOKIE and cookie["httpOnly"] for cookie in owner_context.cookies())
    owner.locator("#admin-sign-out").click()
    expect(owner.locator("#admin-sign-in")).to_be_visible()

    stranger = new_context().new_page()
    for attempt in range(sign_in_limits.ACCOUNT_FAILURE_BUDGET):  # each guess from another address
        response = stranger.request.post(
            "/admin/sign-in",
            form={"email": OWNER_EMAIL, "password": f"guess number {attempt}"},
            headers={"origin": live_app.base_url, "x-forwarded-for": f"198.51.100.{attempt + 1}"},
            max_redirects=0,
        )
        assert response.status == 303 and response.headers["location"] == "/admin?sign_in=invalid"
    with db(live_app.database_url) as session:
        failures = session.exec(select(SignInFailure).where(SignInFailure.email == OWNER_EMAIL)).all()
    assert len({failure.client_hash for failure in failures}) == sign_in_limits.ACCOUNT_FAILURE_BUDGET

    submit_sign_in(stranger, OWNER_EMAIL, PASSWORD)  # even the right password, from a browser the account does not know
    expect(stranger.locator("#admin-sign-in-error")).to_contain_text("Too many failed attempts")
    expect(stranger.locator("#admin-sign-out")).to_have_count(0)

    submit_sign_in(owner, OWNER_EMAIL, PASSWORD)
    expect(owner.locator("#admin-sign-out")).to_be_visible()


def test_state_files_on_disk_hold_no_session_secret(
    new_context: Callable[..., BrowserContext], editor: str, live_app: LiveApp
):
    """Reflex writes each tab's state, the socket's handshake headers included, to `.states/`:
    they keep the session cookie's digest, never the cookie."""
    context = new_context()
    page = context.new_page()
    sign_in(page, editor)
    page.get_by_role("navigation", name="Editors' admin").get_by_role("link", name="Posts", exact=True).click()
    expect(page.locator(".admin-post-row").first).to_be_visible()
    token = session_cookie(context)["value"]
    digest = hashlib.sha256(token.encode()).hexdigest()
    deadline = time.monotonic() + STATE_FILES_DEADLINE_S
    while not (holding := _state_files_holding(live_app.root, digest.encode())) and time.monotonic() < deadline:
        time.sleep(0.2)  # polling: Reflex writes state files shortly after an event
    assert holding, "no state file records this tab's socket (looked in the wrong place?)"
    assert not _state_files_holding(live_app.root, token.encode()), "a state file holds the raw session token"


def _state_files_holding(root: Path, needle: bytes) -> list[Path]:
    return [path for path in root.rglob(".states/*.pkl") if needle in path.read_bytes()]
