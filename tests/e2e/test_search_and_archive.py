"""A reader finds a statement from the header search, and browses the archive by month, in Spanish."""

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from tests.e2e.waits import expect_hydrated
from vws_app.i18n.es import MESSAGES as ES
from vws_app.services.slugs import slug_from_title

MYANMAR_ES_TITLE = "Nos Solidarizamos con la Lucha Democrática en Myanmar-Birmania"
MYANMAR_EN_TITLE = "We Stand in Solidarity with the Democratic Struggle in Myanmar"
DESKTOP = {"width": 1280, "height": 900}


def test_header_search_in_spanish_finds_the_spanish_myanmar_statement_and_opens_it(
    new_context: Callable[..., BrowserContext],
):
    page = new_context(locale="es-VE", viewport=DESKTOP).new_page()
    page.goto("/")
    expect_hydrated(page, ES["home_latest_heading"])
    page.locator("#site-search").fill("myanmar")
    page.locator("#site-search").press("Enter")
    hits = page.locator(".search-hit")
    expect(hits.first).to_contain_text(MYANMAR_ES_TITLE)
    expect(page.locator(".search-hit", has_text=MYANMAR_EN_TITLE)).to_have_count(1)
    expect(page.locator(".search-hit mark").first).to_be_visible()
    hits.first.get_by_role("link").first.click()
    expect(page).to_have_url(f"/posts/{slug_from_title(MYANMAR_ES_TITLE)}")
    expect(page.locator("main h1")).to_have_text(MYANMAR_ES_TITLE)


def test_accent_folded_search_and_odd_input_never_break_the_page(new_context: Callable[..., BrowserContext]):
    page = new_context(locale="es-VE", viewport=DESKTOP).new_page()
    page.goto("/search?q=democratica")
    expect(page.locator(".search-hit").first).to_contain_text("Democrática")
    for odd in ['"unclosed', "NEAR(", "'; DROP TABLE post; --", "✊🏽", "تضامن"]:
        page.goto(f"/search?q={odd}")
        expect(page.locator("#search-summary, #search-empty").first).to_be_visible()


def test_archive_lists_seeded_posts_under_spanish_month_names(new_context: Callable[..., BrowserContext]):
    page = new_context(locale="es-VE", viewport=DESKTOP).new_page()
    page.goto("/posts")
    expect_hydrated(page, ES["posts_heading"])
    archive = page.locator("#posts-archive")
    for month in ("mayo de 2021 (1)", "abril de 2021 (1)", "marzo de 2021 (1)"):
        expect(archive).to_contain_text(month)
    archive.get_by_role("link", name="abril de 2021 (1)").click()
    expect(page.locator("main h1")).to_contain_text("abril de 2021")
    expect(page.locator(".post-card")).to_have_count(1)
    expect(page.locator(".post-card")).to_contain_text(MYANMAR_ES_TITLE)
