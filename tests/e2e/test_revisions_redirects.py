"""An editor changes a post's address (the old one redirects), reads its history, compares and restores."""

import re
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.admin_helpers import create_editor_with_cli, db, delete_leftovers, sign_in, write_post
from tests.e2e.conftest import LiveApp
from vws_app.models import Post

RUN = uuid.uuid4().hex[:8]
EDITOR_EMAIL = f"history-{RUN}@example.com"


@pytest.fixture(scope="module")
def editor(live_app: LiveApp) -> str:
    create_editor_with_cli(live_app.database_url, EDITOR_EMAIL)
    return EDITOR_EMAIL


@pytest.fixture(autouse=True)
def leftovers_removed(live_app: LiveApp) -> Iterator[None]:
    yield
    delete_leftovers(live_app.database_url, RUN)


@pytest.fixture
def admin(new_context: Callable[..., BrowserContext], editor: str) -> Page:
    page = new_context().new_page()
    sign_in(page, editor)
    return page


def save(admin: Page, live_app: LiveApp, post_id: int, **expected: str) -> None:
    """Save the form and wait until the database holds `expected` (the editor's notice is replaced at once by the reload)."""
    admin.locator("#post-save").click()
    deadline = time.monotonic() + 20
    while True:
        with db(live_app.database_url) as session:
            post = session.get(Post, post_id)
            if all(getattr(post, field) == value for field, value in expected.items()):
                return
        assert time.monotonic() < deadline, f"the save never reached the database: {expected}"
        time.sleep(0.1)  # polling the database, not waiting for a fixed time


def test_a_changed_slug_keeps_the_old_address_alive(admin: Page, page: Page, live_app: LiveApp):
    title = f"Wage march {RUN}"
    post_id = write_post(admin, title=title, slug=f"wage-march-{RUN}", body="The march went ahead.", status="published")
    admin.locator("#post-slug").fill(f"wage-march-2024-{RUN}")
    admin.locator("#post-title").focus()
    save(admin, live_app, post_id, slug=f"wage-march-2024-{RUN}")

    answer = page.request.get(live_app.url(f"/posts/wage-march-{RUN}"), max_redirects=0)
    assert answer.status == 301 and answer.headers["location"] == f"/posts/wage-march-2024-{RUN}"
    page.goto(f"/posts/wage-march-{RUN}")
    expect(page).to_have_url(re.compile(f"/posts/wage-march-2024-{RUN}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    admin.goto("/admin/redirects")
    expect(admin.locator(".redirect-row", has_text=f"/posts/wage-march-{RUN}")).to_contain_text(
        f"/posts/wage-march-2024-{RUN}"
    )
    admin.locator("#redirect-old_path").fill(f"/posts/wage-march-2024-{RUN}")
    admin.locator("#redirect-target").fill("/posts")
    admin.locator("#redirect-add").click()
    expect(admin.locator("#redirect-old_path-error")).to_have_text(
        "A post lives at this address; it cannot be redirected."
    )

    admin.locator("#redirect-old_path").fill(f"/about-the-march-{RUN}/")  # a page of the old site, any shape
    admin.locator("#redirect-target").fill(f"wage-march-2024-{RUN}")
    admin.locator("#redirect-add").click()
    expect(admin.locator(".redirect-row", has_text=f"/about-the-march-{RUN}")).to_be_visible()
    answer = page.request.get(live_app.url(f"/about-the-march-{RUN}/"), max_redirects=0)
    assert answer.status == 301 and answer.headers["location"] == f"/posts/wage-march-2024-{RUN}"
    page.goto(f"/2016/03/08/wage-march-2024-{RUN}/")  # the old WordPress address of the same slug
    expect(page).to_have_url(re.compile(f"/posts/wage-march-2024-{RUN}$"))


def test_the_history_shows_a_marked_diff_and_restores_an_old_version(admin: Page, live_app: LiveApp):
    body = "First paragraph.\n\nOriginal closing line."
    post_id = write_post(admin, title=f"Statement {RUN}", slug=f"statement-{RUN}", body=body)
    expect(admin.locator("#post-history")).to_have_attribute("href", f"/admin/posts/history?id={post_id}")
    admin.locator("#post-body").fill("First paragraph.\n\nA mistaken closing line.")
    admin.locator("#post-title").focus()
    save(admin, live_app, post_id, body="First paragraph.\n\nA mistaken closing line.")

    admin.goto(f"/admin/posts/history?id={post_id}")
    expect(admin.locator(".revision-row")).to_have_count(2)
    diff = admin.locator("#revision-diff")
    expect(diff.locator("del.diff-removed")).to_have_text("− Original closing line.")
    expect(diff.locator("ins.diff-added")).to_have_text("+ A mistaken closing line.")

    admin.locator(".revision-row").last.get_by_role("button", name="Restore this version").click()
    expect(admin.locator("#admin-notice")).to_contain_text("Restored")
    expect(admin.locator(".revision-row")).to_have_count(3)
    expect(admin.locator(".revision-row").first).to_contain_text("restores #")
    expect(diff.locator("del.diff-removed")).to_have_text("− A mistaken closing line.")
    expect(diff.locator("ins.diff-added")).to_have_text("+ Original closing line.")

    admin.locator("#history-back-to-editor").click()
    expect(admin.locator("#post-body")).to_have_value(body)
