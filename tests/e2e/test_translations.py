"""The bilingual newsroom in Chromium: translation status through edits, Translate, a pair scheduled in New York
time, and the "only in English" notice a Spanish reader sees."""

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import select

from tests.e2e.admin_helpers import admin_fixtures, db, open_section, write_post
from tests.e2e.conftest import LiveApp
from vws_app.models import AuditEntry, Post, as_utc

RUN = uuid.uuid4().hex[:8]
EDITOR_EMAIL = f"translator-{RUN}@example.com"
TRANSLATE_URL = re.compile(r"/admin/posts/edit\?id=(\d+)&translate=1$")


editor, leftovers_removed, admin = admin_fixtures(RUN, EDITOR_EMAIL)


def _pair_state(page: Page, text: str) -> None:
    expect(page.locator("#pair-state")).to_have_text(text)


def test_missing_then_translated_then_stale_then_both_scheduled_in_new_york_time(admin: Page, live_app: LiveApp):
    en_title, es_title = f"Dockworkers' strike {RUN}", f"Huelga portuaria {RUN}"
    en_id = write_post(admin, title=en_title, slug=f"dockworkers-{RUN}", body="We stand with the dockworkers.")
    _pair_state(admin, "Missing")

    admin.locator("#pair-translate").click()  # the Spanish draft, linked, in the Translate view
    expect(admin).to_have_url(TRANSLATE_URL)
    es_id = int(TRANSLATE_URL.search(admin.url).group(1))
    source = admin.locator("#translation-source")
    expect(source).to_contain_text(en_title)
    expect(source).to_contain_text("We stand with the dockworkers.")
    expect(admin.locator("#post-language")).to_have_value("es")
    expect(admin.locator("#post-translation_of")).to_have_value(str(en_id))
    _pair_state(admin, "Stale")  # nothing translated yet
    admin.locator("#post-title").fill(es_title)
    admin.locator("#post-slug").fill(f"huelga-portuaria-{RUN}")
    admin.locator("#post-body").fill("Estamos con los trabajadores portuarios.")
    admin.locator("#post-title").focus()
    expect(admin.locator("#post-preview")).to_contain_text("Estamos con")
    admin.locator("#post-save").click()
    _pair_state(admin, "Complete")
    expect(admin.locator("#post-title")).to_have_value(es_title)

    admin.locator("#pair-open-other").click()  # back to the English, which changes again
    expect(admin).to_have_url(re.compile(rf"/admin/posts/edit\?id={en_id}$"))
    expect(admin.locator("#post-title")).to_have_value(en_title)
    _pair_state(admin, "Complete")
    admin.locator("#post-body").fill("We stand with the dockworkers, and with their families.")
    admin.locator("#post-title").focus()
    expect(admin.locator("#post-preview")).to_contain_text("families")
    admin.locator("#post-save").click()
    _pair_state(admin, "Stale")
    expect(admin.locator("#pair-note")).to_contain_text("The other version is older than this one")

    open_section(admin, "Posts", "/admin/posts")
    spanish_row = admin.locator(".admin-post-row", has_text=es_title)
    expect(spanish_row.locator(".pair-state")).to_have_text("Stale")
    admin.goto("/admin")
    needs = admin.locator("#needs-translation .needs-translation-item", has_text=es_title)
    expect(needs).to_contain_text("Stale")
    needs.get_by_role("link").click()
    expect(admin).to_have_url(re.compile(rf"/admin/posts/edit\?id={es_id}&translate=1$"))
    expect(admin.locator("#translation-source")).to_contain_text("families")

    admin.goto(f"/admin/posts/edit?id={en_id}")  # both at once, at 9:30 on a July morning in New York
    expect(admin.locator("#pair-zone")).to_contain_text("America/New_York")
    expect(admin.locator("#post-zone")).to_contain_text("America/New_York")
    admin.locator("#pair-schedule-at").fill("2031-07-15T09:30")
    admin.locator("#pair-schedule-both").click()
    expect(admin.locator("#pair-scheduled-for")).to_have_text("Scheduled for 2031-07-15 09:30 EDT")
    expect(admin.locator("#post-published_at")).to_have_value("2031-07-15T09:30")
    expect(admin.locator("#post-status")).to_have_value("published")
    with db(live_app.database_url) as session:
        stored = {post.id: post for post in session.exec(select(Post).where(Post.id.in_([en_id, es_id])))}
        actions = session.exec(select(AuditEntry.entity_id).where(AuditEntry.action == "schedule")).all()
    assert {as_utc(post.published_at) for post in stored.values()} == {datetime(2031, 7, 15, 13, 30, tzinfo=UTC)}
    assert {post.status for post in stored.values()} == {"published"}
    assert {en_id, es_id} <= set(actions)

    admin.locator("#translation-panel .pair-unpublish").click()  # unpublishing one asks about the other
    dialog = admin.get_by_role("alertdialog")
    expect(dialog).to_contain_text("The other version is published too. Unpublish it as well?")
    dialog.locator("#pair-unpublish-both").click()
    expect(admin.locator("#post-status")).to_have_value("draft")
    with db(live_app.database_url) as session:
        assert set(session.exec(select(Post.status).where(Post.id.in_([en_id, es_id])))) == {"draft"}


def test_a_spanish_reader_sees_that_a_post_is_only_in_english(admin: Page, new_context: Callable[..., BrowserContext]):
    title, slug = f"Only in English {RUN}", f"only-in-english-{RUN}"
    write_post(admin, title=title, slug=slug, body="Not translated yet.", status="published")

    reader = new_context(locale="es-ES").new_page()
    reader.goto("/posts?lang=es")
    card = reader.locator(".post-card", has_text=title)
    expect(card.locator(".card-only-in")).to_have_text("Solo disponible en inglés")
    card.get_by_role("link", name=title).click()
    expect(reader).to_have_url(re.compile(f"/posts/{slug}$"))
    expect(reader.locator("main h1")).to_have_text(title)
    expect(reader.locator("#post-only-in")).to_have_text("Solo disponible en inglés")
