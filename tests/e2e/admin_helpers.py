"""What the admin browser tests share: the CLI-made editor, signing in, the post form, a slow connection, confirmed deletes, clean-up."""

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, WebSocketRoute, expect
from sqlmodel import Session, col, select

from tests.e2e.conftest import PROJECT_ROOT, LiveApp
from tests.e2e.waits import expect_language_saved
from vws_app.models import AllyLink, Editor, Event, Post
from vws_app.services import editorial
from vws_app.services.database import engine_for

PASSWORD = "a long password 123"
EDITOR_URL = re.compile(r"/admin/posts/edit\?id=(\d+)$")
EVENT_SOCKET = re.compile(r"/_event")


class SlowConnection:
    """Holds what the server sends a tab over its event socket while `held`, then delivers it in order."""

    def __init__(self, page: Page):
        self.held = False
        self._queue: list[str | bytes] = []
        self._socket: WebSocketRoute | None = None
        page.route_web_socket(EVENT_SOCKET, self._connect)  # before the page opens its socket

    def _connect(self, socket: WebSocketRoute) -> None:
        self._socket = socket
        socket.connect_to_server().on_message(self._from_server)

    def _from_server(self, message: str | bytes) -> None:
        if self.held:
            self._queue.append(message)
        else:
            self._socket.send(message)

    def deliver(self) -> None:
        """Send everything held, oldest first (messages arriving meanwhile queue behind), then stop holding."""
        while self._queue:
            self._socket.send(self._queue.pop(0))
        self.held = False


@contextmanager
def db(database_url: str) -> Iterator[Session]:
    """A fresh session on the live app's database (fresh, so it sees the server's latest commits)."""
    with Session(engine_for(database_url)) as session:
        yield session


def create_editor_with_cli(database_url: str, email: str) -> None:
    """Run `python -m vws_app.cli create-editor EMAIL --role admin` against the live database, as an operator would."""
    result = subprocess.run(
        [sys.executable, "-m", "vws_app.cli", "create-editor", email, "--role", "admin"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"create-editor failed:\n{result.stdout}\n{result.stderr}"
    assert f"Created admin {email}" in result.stdout


def submit_sign_in(page: Page, email: str, password: str) -> None:
    """Type into the sign-in form at /admin (once the page is live, so the form posts to the server) and send it."""
    page.goto("/admin")
    expect(page.locator("#admin-sign-in")).to_be_visible()
    expect_language_saved(page)
    page.locator("#admin-email").fill(email)
    page.locator("#admin-password").fill(password)
    page.locator("#admin-sign-in").click()


def sign_in(page: Page, email: str) -> None:
    """Sign this tab in with the right password and wait for the admin header."""
    submit_sign_in(page, email, PASSWORD)
    expect(page.locator("#admin-sign-out")).to_be_visible()


def open_section(page: Page, name: str, path: str) -> None:
    """Follow a link of the admin header (its sections, or the admins' own pages beside the account), as an
    editor would (in-app navigation keeps the tab's session)."""
    page.locator("header").get_by_role("link", name=name, exact=True).click()
    expect(page).to_have_url(re.compile(f"{path}$"))


def open_new_post_form(page: Page) -> None:
    """From the posts list, "New post"; wait until the server has reset the form, so typing is not overwritten."""
    open_section(page, "Posts", "/admin/posts")
    page.locator("#admin-new-post").click()
    expect(page).to_have_url(re.compile(r"/admin/posts/edit$"))
    expect(page.locator("#post-title")).to_have_value("")
    expect(page.locator("#post-translation_of option")).not_to_have_count(1)  # candidates arrived with the form


def write_post(
    page: Page,
    *,
    title: str,
    slug: str,
    body: str,
    language: str = "en",
    status: str = "draft",
    translation_of: str = "",
    published_at: str = "",
) -> int:
    """Fill the post form like an editor, save, and return the new post's id (from the editor's new address)."""
    open_new_post_form(page)
    if language != "en":
        page.locator("#post-language").select_option(language)
    if translation_of:
        option = page.locator("#post-translation_of option", has_text=translation_of)
        expect(option).to_have_count(1)  # the other language's posts are offered
        page.locator("#post-translation_of").select_option(label=translation_of)
    page.locator("#post-title").fill(title)
    page.locator("#post-slug").fill(slug)
    page.locator("#post-excerpt").fill(f"Excerpt of {title}")
    page.locator("#post-status").select_option(status)
    if published_at:
        page.locator("#post-published_at").fill(published_at)
    page.locator("#post-body").fill(body)
    page.locator("#post-title").focus()  # leaving the body sends it at once
    expect(page.locator("#post-preview")).not_to_be_empty()
    page.locator("#post-save").click()
    expect(page).to_have_url(EDITOR_URL)
    expect(page.locator("#post-title")).to_have_value(title)
    return int(EDITOR_URL.search(page.url).group(1))


def confirm_delete(page: Page, row: Locator) -> None:
    """Click the row's Delete, then confirm in the alert dialog; the row goes."""
    row.get_by_role("button", name="Delete", exact=True).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Delete this for good? This cannot be undone.")
    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(row).to_have_count(0)


def delete_leftovers(database_url: str, marker: str) -> None:
    """Safety net: delete through the services every post, event and ally whose text carries `marker`."""
    with db(database_url) as session:
        editor = session.exec(select(Editor).order_by(col(Editor.id))).first()
        if editor is None:
            return
        posts = session.exec(
            select(Post).where(col(Post.title).contains(marker) | col(Post.slug).contains(marker))
        ).all()
        for post_id in [post.id for post in posts]:
            editorial.delete_post(session, post_id, editor)
        for event_id in session.exec(select(Event.id).where(col(Event.title_en).contains(marker))).all():
            editorial.delete_event(session, event_id, editor)
        for ally_id in session.exec(select(AllyLink.id).where(col(AllyLink.name).contains(marker))).all():
            editorial.delete_ally(session, ally_id, editor)


def admin_fixtures(run: str, email: str) -> tuple:
    """A browser test module's `editor` (an admin made with the CLI, once per module), its autouse clean-up of
    every row whose text carries `run`, and `admin` (a tab of its own, signed in). Assign all three in the module."""

    @pytest.fixture(scope="module")
    def editor(live_app: LiveApp) -> str:
        create_editor_with_cli(live_app.database_url, email)
        return email

    @pytest.fixture(autouse=True)
    def leftovers_removed(live_app: LiveApp) -> Iterator[None]:
        yield
        delete_leftovers(live_app.database_url, run)

    @pytest.fixture
    def admin(new_context: Callable[..., BrowserContext], editor: str) -> Page:
        page = new_context().new_page()
        sign_in(page, editor)
        return page

    return editor, leftovers_removed, admin
