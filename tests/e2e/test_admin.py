"""What an editor does in the admin, in Chromium against the production build, and what visitors then see."""

import codecs
import csv
import io
import re
import uuid
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import col, func, select

from tests.e2e.admin_helpers import (
    PASSWORD,
    SlowConnection,
    admin_fixtures,
    confirm_delete,
    db,
    open_section,
    sign_in,
    submit_sign_in,
    write_post,
)
from tests.e2e.conftest import LiveApp
from tests.e2e.waits import expect_language_saved
from vws_app.models import AllyLink, ContactMessage, Editor, EditorSession, Event, Post
from vws_app.services import editorial, inbox

RUN = uuid.uuid4().hex[:8]  # in every title this module writes, so the clean-up finds exactly its own rows
EDITOR_EMAIL = f"editor-{RUN}@example.com"
XSS_BODY = (
    "Safety check paragraph.\n\n"
    "<script>window.__xss=1</script>\n\n"
    '<img src=x onerror="window.__xss=1">\n\n'
    "[click](javascript:window.__xss=1)\n"
)


editor, leftovers_removed, admin = admin_fixtures(RUN, EDITOR_EMAIL)


def test_wrong_password_is_refused_and_right_password_opens_admin(page: Page, editor: str):
    """A wrong password says so and shows nothing of the admin; the right one shows the header."""
    submit_sign_in(page, editor, "not the password 123")
    expect(page.locator("#admin-sign-in-error")).to_have_text("The email or password is wrong.")
    expect(page.locator("#admin-sign-out")).to_have_count(0)
    page.locator("#admin-email").fill(editor)
    page.locator("#admin-password").fill(PASSWORD)
    page.locator("#admin-sign-in").click()
    expect(page.locator("#admin-sign-out")).to_be_visible()
    expect(page.locator("header")).to_contain_text(editor)
    expect(page.locator("#admin-sign-in")).to_have_count(0)
    expect(page.locator("main h1")).to_have_text("Editors' admin")


def test_published_post_and_its_translation_reach_public_site_linked_and_draft_stays_hidden(
    admin: Page, page: Page, live_app: LiveApp
):
    """English post + Spanish translation are public and link to each other; a draft is not; all three deleted."""
    en_title, es_title, draft_title = f"Teachers' strike {RUN}", f"Huelga docente {RUN}", f"Unfinished {RUN}"
    en_slug, es_slug, draft_slug = f"teachers-strike-{RUN}", f"huelga-docente-{RUN}", f"unfinished-{RUN}"
    en_id = write_post(
        admin,
        title=en_title,
        slug=en_slug,
        body="We stand with the teachers.\n\n**Solidarity** forever.",
        status="published",
        published_at="2024-03-05T12:00",
    )
    es_id = write_post(
        admin,
        title=es_title,
        slug=es_slug,
        body="Estamos con los docentes.",
        language="es",
        status="published",
        translation_of=en_title,
    )
    expect(admin.locator("#post-translation_of")).to_have_value(str(en_id))
    draft_id = write_post(admin, title=draft_title, slug=draft_slug, body="Not ready yet.")

    page.goto(f"/posts/{en_slug}")
    expect(page.locator("main h1")).to_have_text(en_title)
    expect(page.locator(".post-body")).to_contain_text("We stand with the teachers.")
    expect(page.locator(".post-body strong")).to_have_text("Solidarity")
    expect(page.locator("main article")).to_contain_text("March 5, 2024")
    link = page.locator("#translation-link")
    expect(link).to_have_text("Leer en español")
    link.click()
    expect(page).to_have_url(re.compile(f"/posts/{es_slug}$"))
    expect(page.locator("main h1")).to_have_text(es_title)
    expect(page.locator("main article")).to_have_attribute("lang", "es")
    expect(page.locator(".post-body")).to_contain_text("Estamos con los docentes.")
    expect(link).to_have_text("Read in English")
    expect(link).to_have_attribute("href", f"/posts/{en_slug}")

    page.goto(f"/posts/{draft_slug}")
    expect(page.locator("#post-not-found")).to_have_text("We could not find that post.")
    expect(page.locator("main article")).to_have_count(0)
    page.goto("/posts")
    expect(page.locator(".post-card").get_by_role("link", name=en_title, exact=True)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(draft_title)

    open_section(admin, "Posts", "/admin/posts")
    rows = [admin.locator(".admin-post-row", has_text=title) for title in (draft_title, es_title, en_title)]
    for row in rows:  # the tab first shows the list as it last saw it (without the draft): wait for the fresh one
        expect(row).to_be_visible()
    for row in rows:
        confirm_delete(admin, row)
    with db(live_app.database_url) as session:
        assert session.exec(select(Post).where(col(Post.id).in_([en_id, es_id, draft_id]))).all() == []


def test_delete_confirmed_while_list_refreshes_deletes_the_post_that_was_clicked(
    new_context: Callable[..., BrowserContext], editor: str, live_app: LiveApp
):
    """On a slow connection the tab shows its old list first; Delete clicked there must delete that post."""
    page = new_context().new_page()
    connection = SlowConnection(page)
    sign_in(page, editor)

    def start_draft(title: str) -> int:
        with db(live_app.database_url) as session:
            author = session.exec(select(Editor).where(Editor.email == editor)).one()
            return editorial.create_post(session, editorial.PostInput(title=title), author).id

    clicked_id = start_draft(f"Old draft {RUN}")
    open_section(page, "Posts", "/admin/posts")
    clicked_row = page.locator(".admin-post-row", has_text=f"Old draft {RUN}")
    expect(clicked_row).to_be_visible()
    newer_id = start_draft(f"Newer draft {RUN}")  # meanwhile another editor starts a post: it heads the list

    page.get_by_role("link", name="Editors' admin", exact=True).click()
    expect(page.locator("main h1")).to_have_text("Editors' admin")
    connection.held = True
    open_section(page, "Posts", "/admin/posts")
    clicked_row.get_by_role("button", name="Delete", exact=True).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    connection.deliver()
    expect(page.locator(".admin-post-row", has_text=f"Newer draft {RUN}")).to_have_count(1)  # the fresh list
    rows_before = page.locator(".admin-post-row").count()
    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator(".admin-post-row")).to_have_count(rows_before - 1)
    with db(live_app.database_url) as session:
        assert session.get(Post, clicked_id) is None, "the post whose Delete was clicked is still there"
        assert session.get(Post, newer_id) is not None, "another post was deleted instead"


def test_script_tags_event_handlers_and_javascript_links_in_a_post_body_never_run(
    admin: Page, page: Page, live_app: LiveApp
):
    """Raw HTML and `javascript:` links in Markdown are neutralised in the preview and on the public page."""
    title, slug = f"Markdown safety {RUN}", f"markdown-safety-{RUN}"
    post_id = write_post(admin, title=title, slug=slug, body=XSS_BODY)
    preview = admin.locator("#post-preview")
    expect(preview).to_contain_text("Safety check paragraph.")
    expect(preview.locator("script, [onerror], [href^='javascript:' i]")).to_have_count(0)

    open_section(admin, "Posts", "/admin/posts")
    row = admin.locator(".admin-post-row", has_text=title)
    expect(row).to_contain_text("Draft")
    row.get_by_role("button", name="Publish", exact=True).click()
    expect(row.get_by_role("button", name="Unpublish", exact=True)).to_be_visible()
    expect(row).to_contain_text("Published")

    page.goto(f"/posts/{slug}")
    body = page.locator(".post-body")
    expect(body).to_contain_text("Safety check paragraph.")
    expect(body).to_contain_text("click")
    expect(body.locator("script")).to_have_count(0)
    expect(body.locator("[onerror]")).to_have_count(0)
    expect(body.locator("[href^='javascript:' i]")).to_have_count(0)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert admin.evaluate("typeof window.__xss") == "undefined"

    confirm_delete(admin, row)
    with db(live_app.database_url) as session:
        assert session.get(Post, post_id) is None


def test_contact_message_reaches_inbox_is_marked_handled_and_exports_as_utf8_csv(
    admin: Page, page: Page, live_app: LiveApp
):
    """A visitor writes; the editor sees it, marks it handled, and the CSV keeps the accents and the status."""
    name, email = "María José Núñez", f"maria-{RUN}@example.com"
    marker = f"Quiero ayudar con la campaña {RUN}"
    page.goto("/contact")
    expect(page.locator("main h1")).to_have_text("Contact Us")
    expect_language_saved(page)
    page.locator("#contact-name").fill(name)
    page.locator("#contact-email").fill(email)
    page.locator("#contact-message").fill(marker)
    page.locator("#contact-submit").click()
    expect(page.locator("#contact-outcome")).to_contain_text("Thank you!")
    with db(live_app.database_url) as session:
        new_before = inbox.count_new(session)
        assert session.exec(select(ContactMessage).where(ContactMessage.email == email)).one().name == name

    open_section(admin, "Inbox", "/admin/inbox")
    expect(admin.locator("#admin-new-count")).to_have_text(f"{new_before} new")
    card = admin.locator(".inbox-message", has_text=email)
    expect(card).to_contain_text(name)
    card.get_by_text(name, exact=True).click()
    expect(card).to_contain_text(marker)
    card.locator(".inbox-toggle-status").click()
    expect(card.locator(".inbox-toggle-status")).to_have_text("Mark as new")
    expect(card).to_contain_text("Handled")
    badge = admin.locator("#admin-new-count")
    if new_before > 1:
        expect(badge).to_have_text(f"{new_before - 1} new")
    else:
        expect(badge).to_have_count(0)

    with admin.expect_download() as download_info:
        admin.locator("#inbox-export").click()
    download = download_info.value
    assert download.suggested_filename == "contact-messages.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = [row for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))) if row["email"] == email]
    assert len(rows) == 1
    assert (rows[0]["name"], rows[0]["message"], rows[0]["status"]) == (name, marker, "handled")


def test_sign_out_ends_the_session_and_admin_pages_ask_to_sign_in_again(admin: Page, editor: str, live_app: LiveApp):
    """Signing out ends the server session; the posts list is not shown to the tab afterwards."""
    open_section(admin, "Posts", "/admin/posts")
    expect(admin.locator(".admin-post-row").first).to_be_visible()
    with db(live_app.database_url) as session:
        editor_id = session.exec(select(Editor.id).where(Editor.email == editor)).one()
        count_sessions = select(func.count()).select_from(EditorSession).where(EditorSession.editor_id == editor_id)
        sessions_before = session.exec(count_sessions).one()
    admin.locator("#admin-sign-out").click()
    expect(admin).to_have_url(re.compile(r"/admin/?$"))  # the server sends the browser to /admin (served as /admin/)
    expect(admin.locator("#admin-sign-in")).to_be_visible()
    expect(admin.locator("#admin-sign-out")).to_have_count(0)
    with db(live_app.database_url) as session:
        assert session.exec(count_sessions).one() == sessions_before - 1

    admin.context.clear_cookies()  # so the language cookie's return shows when the page's loaders have run
    admin.goto("/admin/posts")
    expect_language_saved(admin)
    expect(admin.locator("#admin-sign-in")).to_be_visible()
    expect(admin.locator(".admin-post-row")).to_have_count(0)
    expect(admin.locator("#admin-new-post")).to_have_count(0)


def test_event_and_ally_added_in_admin_show_on_public_pages_until_deleted(admin: Page, page: Page, live_app: LiveApp):
    """An event and an ally made in the admin appear on /events and /allies, then are deleted with confirmation."""
    event_title, ally_name, ally_url = f"Solidarity assembly {RUN}", f"Workers' Aid {RUN}", f"https://example.org/{RUN}"
    open_section(admin, "Events", "/admin/events")
    for field, value in (
        ("title_en", event_title),
        ("title_es", f"Asamblea solidaria {RUN}"),
        ("description_en", "Bring a friend."),
        ("starts_at", "2030-05-01T18:30"),
        ("place", "Casa del Pueblo"),
    ):
        admin.locator(f"#event-{field}").fill(value)
    admin.locator("#event-save").click()
    expect(admin.locator("#admin-notice")).to_have_text("Saved.")
    event_row = admin.locator("#admin-events-upcoming .admin-event-row", has_text=event_title)
    expect(event_row).to_contain_text("2030-05-01 18:30")

    open_section(admin, "Allies", "/admin/allies")
    for field, value in (("name", ally_name), ("url", ally_url), ("description_en", "Mutual aid in Caracas.")):
        admin.locator(f"#ally-{field}").fill(value)
    admin.locator("#ally-save").click()
    expect(admin.locator("#admin-notice")).to_have_text("Saved.")
    ally_row = admin.locator(".admin-ally-row", has_text=ally_name)
    expect(ally_row).to_be_visible()

    page.goto("/events")
    event_card = page.locator(".event-card", has_text=event_title)
    expect(event_card).to_contain_text("Casa del Pueblo")
    expect(event_card).to_contain_text("6:30 PM")
    page.goto("/allies")
    ally_card = page.locator(".ally-card", has_text=ally_name)
    expect(ally_card.get_by_role("link", name=ally_name)).to_have_attribute("href", ally_url)
    expect(ally_card).to_contain_text("Mutual aid in Caracas.")

    confirm_delete(admin, ally_row)
    open_section(admin, "Events", "/admin/events")
    confirm_delete(admin, event_row)
    with db(live_app.database_url) as session:
        assert session.exec(select(Event).where(col(Event.title_en).contains(RUN))).all() == []
        assert session.exec(select(AllyLink).where(col(AllyLink.name).contains(RUN))).all() == []
