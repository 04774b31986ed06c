"""Writing in the admin (issue 18): "Saved." in both languages, the Markdown toolbar, the unsaved-changes
guard, "Scheduled" posts, the time zone picker; every admin page at 375 px and the header at 1280 px;
and what starting the site must not do (warn falsely, change tracked files)."""

import re
import uuid
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import BrowserContext, Dialog, Page, expect
from sqlmodel import select

from tests.e2e.admin_helpers import create_editor_with_cli, db, delete_leftovers, open_section, sign_in, write_post
from tests.e2e.conftest import PROJECT_ROOT, LiveApp
from vws_app.i18n.en import MESSAGES as EN
from vws_app.i18n.es import MESSAGES as ES
from vws_app.models import Editor, Post
from vws_app.pages import ADMIN_ROUTES

RUN = uuid.uuid4().hex[:8]
EDITOR_EMAIL = f"writer-{RUN}@example.com"
EDITOR_NAME = "Marisol Pérez"
PHONE = {"width": 375, "height": 800}
LAPTOP = {"width": 1280, "height": 800}
SECOND_STEP_PATH = "/admin/code"
NO_SIDEWAYS_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.fixture(scope="module")
def editor(live_app: LiveApp) -> str:
    """An admin made with the real CLI, then given a display name."""
    create_editor_with_cli(live_app.database_url, EDITOR_EMAIL)
    with db(live_app.database_url) as session:
        account = session.exec(select(Editor).where(Editor.email == EDITOR_EMAIL)).one()
        account.display_name = EDITOR_NAME
        session.add(account)
        session.commit()
    return EDITOR_EMAIL


@pytest.fixture(autouse=True)
def leftovers_removed(live_app: LiveApp) -> Iterator[None]:
    yield
    delete_leftovers(live_app.database_url, RUN)


def signed_in(new_context: Callable[..., BrowserContext], editor: str, viewport: dict[str, int] = LAPTOP) -> Page:
    page = new_context(viewport=viewport).new_page()
    sign_in(page, editor)
    return page


def to_spanish(page: Page) -> None:
    page.locator("#language-toggle").click()
    expect(page.locator("#admin-sign-out")).to_have_text(ES["admin_sign_out"])


def test_saving_a_post_says_saved_in_english_and_in_spanish(new_context, editor: str):
    admin = signed_in(new_context, editor)
    expect(admin.locator("#admin-account-link")).to_have_text(EDITOR_NAME)
    write_post(admin, title=f"Saved check {RUN}", slug=f"saved-check-{RUN}", body="First words.")
    notice = admin.locator("#admin-notice")
    expect(notice).to_have_text(EN["admin_saved"])
    to_spanish(admin)
    expect(notice).to_have_text(ES["admin_saved"])
    admin.locator("#post-title").fill(f"Saved check again {RUN}")
    expect(notice).to_have_count(0)  # typing again: no stale "saved"
    admin.locator("#post-body").focus()
    admin.locator("#post-save").click()
    expect(notice).to_have_text(ES["admin_saved"])
    expect(admin.locator("#post-title")).to_have_value(f"Saved check again {RUN}")


def test_toolbar_puts_markdown_around_the_selection_and_the_preview_renders_it(new_context, editor: str):
    admin = signed_in(new_context, editor)
    write_post(admin, title=f"Toolbar {RUN}", slug=f"toolbar-{RUN}", body="Solidarity now")
    body = admin.locator("#post-body")
    expect(admin.get_by_role("toolbar")).to_be_visible()
    expect(admin.locator("#post-body-help")).to_contain_text("**")
    body.evaluate("area => area.setSelectionRange(0, 'Solidarity'.length)")
    admin.get_by_role("button", name=EN["md_bold"]).click()
    expect(body).to_have_value("**Solidarity** now")
    expect(admin.locator("#post-preview strong")).to_have_text("Solidarity")
    body.evaluate("area => area.setSelectionRange(area.value.length, area.value.length)")
    admin.get_by_role("button", name=EN["md_heading"]).click()
    expect(body).to_have_value("## **Solidarity** now")
    expect(admin.locator("#post-preview h2")).to_contain_text("Solidarity")


def test_leaving_with_unsaved_changes_asks_first(new_context, editor: str):
    admin = signed_in(new_context, editor)
    post_id = write_post(admin, title=f"Guard {RUN}", slug=f"guard-{RUN}", body="Words.")
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    admin.on("dialog", answer)
    admin.locator("#post-title").fill(f"Guard changed {RUN}")
    admin.locator("#post-body").focus()  # the change reaches the server
    expect(admin.locator("#unsaved-guard")).to_have_attribute("data-unsaved", "true")
    admin.get_by_role("navigation", name="Editors' admin").get_by_role("link", name="Events", exact=True).click()
    expect(admin.locator("#post-title")).to_have_value(f"Guard changed {RUN}")  # answered once the page runs again
    assert asked == [EN["admin_unsaved_confirm"]]
    expect(admin).to_have_url(re.compile(rf"/admin/posts/edit\?id={post_id}$"))
    admin.locator("#post-save").click()
    expect(admin.locator("#unsaved-guard")).to_have_attribute("data-unsaved", "false")
    open_section(admin, "Events", "/admin/events")
    assert asked == [EN["admin_unsaved_confirm"]]  # saved: leaving asked nothing more


def test_a_post_published_with_a_future_date_shows_scheduled_in_the_editor_and_the_list(new_context, editor: str):
    admin = signed_in(new_context, editor)
    write_post(
        admin,
        title=f"Later {RUN}",
        slug=f"later-{RUN}",
        body="Soon.",
        status="published",
        published_at="2031-06-01T10:00",
    )
    badge = admin.locator("#post-scheduled")
    expect(badge).to_have_text(f"{EN['admin_scheduled']} · 2031-06-01 10:00 EDT")
    open_section(admin, "Posts", "/admin/posts")
    row = admin.locator(".admin-post-row", has_text=f"Later {RUN}")
    expect(row.locator(".post-scheduled")).to_have_text(f"{EN['admin_scheduled']} · 2031-06-01 10:00 EDT")
    to_spanish(admin)
    expect(row.locator(".post-scheduled")).to_contain_text(ES["admin_scheduled"])


def test_list_filters_have_visible_labels(new_context, editor: str):
    admin = signed_in(new_context, editor)
    for path, ids in (
        (
            "/admin/posts",
            ["posts-filter-query", "posts-filter-language", "posts-filter-status", "posts-filter-category"],
        ),
        ("/admin/subscribers", ["subscribers-query", "subscribers-filter-status", "subscribers-filter-language"]),
    ):
        admin.goto(path)
        for control_id in ids:
            label = admin.locator(f"label[for='{control_id}']")
            expect(label).to_be_visible()
            expect(label).not_to_be_empty()
            expect(admin.locator(f"#{control_id}")).to_be_visible()


def test_time_zone_picker_finds_chicago_with_its_offset(new_context, editor: str):
    admin = signed_in(new_context, editor)
    open_section(admin, "Events", "/admin/events")
    zone = admin.locator("#event-timezone")
    zone.fill("Chicago")
    choice = admin.locator(".timezone-choice", has_text="America/Chicago")
    expect(choice).to_have_text(re.compile(r"^Chicago — America/Chicago \(UTC−0[56]:00\)$"))
    choice.click()
    expect(zone).to_have_value("America/Chicago")
    expect(admin.locator("#event-timezone-offset")).to_have_text(re.compile(r"^UTC−0[56]:00$"))
    expect(admin.locator(".timezone-choice")).to_have_count(0)


def _admin_paths(live_app: LiveApp) -> list[str]:
    """Every admin route, the post editor also with a post open."""
    with db(live_app.database_url) as session:
        post_id = session.exec(select(Post.id)).first()
    return [route.path for route in ADMIN_ROUTES] + [f"/admin/posts/edit?id={post_id}"]


def test_every_admin_page_fits_a_375px_screen_in_both_languages(new_context, editor: str, live_app: LiveApp):
    admin = signed_in(new_context, editor, PHONE)
    paths = _admin_paths(live_app)
    for language, texts in (("en", EN), ("es", ES)):
        if language == "es":
            to_spanish(admin)
        for path in paths:
            admin.goto(path)
            if path == SECOND_STEP_PATH:  # the sign-in code form: a page of its own, without the admin header
                expect(admin.locator("main h1")).to_have_text(texts["admin_code_heading"])
            else:
                expect(admin.locator("#admin-sign-out")).to_have_text(texts["admin_sign_out"])
            expect(admin.locator("main")).not_to_be_empty()
            admin.wait_for_load_state("networkidle")
            fits = admin.evaluate(NO_SIDEWAYS_SCROLL)
            width = admin.evaluate("() => document.scrollingElement.scrollWidth")
            assert fits, f"{path} ({language}) is {width}px wide at 375px"


def test_admin_header_stays_on_one_line_at_1280px_in_both_languages(new_context, editor: str):
    admin = signed_in(new_context, editor)
    for texts in (EN, ES):
        if texts is ES:
            to_spanish(admin)
        expect(admin.locator("#admin-sign-out")).to_have_text(texts["admin_sign_out"])
        tops = admin.locator("#admin-header-top > *").evaluate_all(
            "items => items.filter(item => item.offsetWidth).map(item => Math.round(item.getBoundingClientRect().top + item.offsetHeight / 2))"
        )
        assert max(tops) - min(tops) <= 4, tops
        nav = admin.locator("#admin-nav")
        assert nav.evaluate("nav => nav.scrollWidth <= nav.clientWidth"), "some sections are hidden off the line"
        link_tops = nav.locator("a").evaluate_all(
            "links => links.map(link => Math.round(link.getBoundingClientRect().top))"
        )
        assert len(set(link_tops)) == 1, link_tops


def test_starting_the_site_warned_nothing_false_and_changed_no_tracked_file(live_app: LiveApp):
    """The production start (build included) of this session, in its copy of the project."""
    log = live_app.log_path.read_text(encoding="utf-8", errors="replace")
    assert "Detected database schema changes" not in log
    assert "Target database is not up to date" not in log
    for name in ("package.json", "package-lock.json"):
        built = (live_app.root / "reflex.lock" / name).read_bytes()
        assert built == (PROJECT_ROOT / "reflex.lock" / name).read_bytes(), f"the build rewrote reflex.lock/{name}"
    assert (live_app.root / "requirements.txt").read_bytes() == (PROJECT_ROOT / "requirements.txt").read_bytes()
