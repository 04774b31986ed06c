"""The server's page before (or without) the app: the site's frame in the reader's language, links that lead
everywhere, and no app at all on the reading pages for a phone or a browser that asked to save data."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import LiveApp
from tests.e2e.test_accessibility import expect_no_serious_violations
from tests.e2e.waits import expect_hydrated
from vws_app.services.seeding import load_seed_content
from vws_app.services.seo import FALLBACK_ID
from vws_app.services.server_frame import FRAME_CLASS
from vws_app.services.slugs import slug_from_title

SEED = load_seed_content()
MYANMAR_ES_TITLE = next(
    post["title"] for post in SEED["posts"] if (post["translation_group"], post["language"]) == ("myanmar", "es")
)
MYANMAR_EN_TITLE = next(
    post["title"] for post in SEED["posts"] if (post["translation_group"], post["language"]) == ("myanmar", "en")
)
PHONE = {"width": 375, "height": 812}
# A phone as Playwright emulates one: touch is its main pointer (`(pointer: coarse)`).
PHONE_OPTIONS = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
BROWSER_LOCALES = {"en": "en-US", "es": "es-VE"}
# Every page a phone reads without the app: the reading pages and the contact page (its server form).
PHONE_PAGES = [
    "/",
    "/posts",
    f"/posts/{slug_from_title(MYANMAR_ES_TITLE)}",
    "/events",
    "/allies",
    "/privacy",
    "/contact",
]


def _scripts_asked_for(page: Page) -> list[str]:
    """Every script the page has asked for so far (from the browser's own resource timing)."""
    return page.evaluate(
        "() => performance.getEntriesByType('resource')"
        ".filter((entry) => entry.initiatorType === 'script' || entry.name.endsWith('.js'))"
        ".map((entry) => entry.name)"
    )


def _saving_data(page: Page) -> Page:
    """`page` in a browser that asked to save data, as Chrome's Lite mode does (`navigator.connection.saveData`)."""
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    return page


def test_without_javascript_the_frame_leads_to_the_sections_posts_and_the_other_language(
    new_context: Callable[..., BrowserContext], live_app: LiveApp
):
    page = new_context(java_script_enabled=False, viewport=PHONE, locale="es-VE").new_page()
    page.goto(live_app.url("/"))
    navigation = page.get_by_role("navigation", name="Navegación principal")
    expect(navigation).to_be_visible()
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Privacidad")).to_be_visible()

    navigation.get_by_role("link", name="Publicaciones", exact=True).click()
    expect(page).to_have_url(live_app.url("/posts?lang=es"))
    expect(page.locator(f"#{FALLBACK_ID} h1")).to_have_text("Publicaciones")
    page.get_by_role("link", name=MYANMAR_ES_TITLE).click()  # each post in the list is a link
    expect(page.locator(f"#{FALLBACK_ID} h1")).to_have_text(MYANMAR_ES_TITLE)

    page.get_by_role("link", name="Read in English").click()  # the post's translation
    expect(page.locator(f"#{FALLBACK_ID} h1")).to_have_text(MYANMAR_EN_TITLE)
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    # Nothing sideways at a phone's width.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_live_page_takes_the_frames_place(page: Page, live_app: LiveApp):
    page.goto(live_app.url(f"/posts/{slug_from_title(MYANMAR_ES_TITLE)}"))
    expect_hydrated(page, MYANMAR_ES_TITLE)
    expect(page.locator(f".{FRAME_CLASS}")).to_have_count(0)
    # One banner, one navigation with the sections, one footer: the app's.
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    expect(page.locator("header")).to_be_visible()


def test_a_browser_saving_data_reads_a_post_without_the_app(
    new_context: Callable[..., BrowserContext], live_app: LiveApp
):
    page = _saving_data(new_context(viewport=PHONE).new_page())
    page.goto(live_app.url(f"/posts/{slug_from_title(MYANMAR_ES_TITLE)}"))
    expect(page.locator(f"#{FALLBACK_ID} h1")).to_have_text(MYANMAR_ES_TITLE)
    expect(page.locator(f"#{FALLBACK_ID} h1")).to_be_in_viewport()
    page.wait_for_load_state("networkidle")
    assert _scripts_asked_for(page) == []
    expect(page.get_by_role("navigation", name="Navegación principal")).to_be_visible()

    # Its links are the site: the sections come as the server's pages, still without the app.
    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Publicaciones").click()
    expect(page.locator(f"#{FALLBACK_ID} h1")).to_have_text("Publicaciones")
    page.wait_for_load_state("networkidle")
    assert _scripts_asked_for(page) == []


def test_a_browser_saving_data_still_gets_the_app_where_the_page_needs_it(
    new_context: Callable[..., BrowserContext], live_app: LiveApp
):
    """On a computer the contact form is the app's (the server's is shown on touch screens and without JavaScript)."""
    page = _saving_data(new_context(viewport=PHONE).new_page())
    page.goto(live_app.url("/contact"))
    expect_hydrated(page, "Contact")
    assert any("/assets/" in url for url in _scripts_asked_for(page))


def test_without_saving_data_the_app_loads_as_before(new_context: Callable[..., BrowserContext], live_app: LiveApp):
    page = new_context(viewport=PHONE).new_page()
    page.goto(live_app.url(f"/posts/{slug_from_title(MYANMAR_ES_TITLE)}"))
    expect_hydrated(page, MYANMAR_ES_TITLE)
    assert any("/assets/" in url for url in _scripts_asked_for(page))


@pytest.mark.parametrize("language", list(BROWSER_LOCALES))
@pytest.mark.parametrize("path", PHONE_PAGES)
def test_a_phone_reads_each_page_without_the_app(
    new_context: Callable[..., BrowserContext], live_app: LiveApp, path: str, language: str
):
    page = new_context(locale=BROWSER_LOCALES[language], **PHONE_OPTIONS).new_page()
    page.goto(live_app.url(path))
    expect(page.locator(f"#{FALLBACK_ID} h1")).to_be_in_viewport()
    expect(page.get_by_role("banner")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert _scripts_asked_for(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    expect_no_serious_violations(page)


def test_a_phones_home_page_has_the_cards_the_next_meeting_and_the_ways_to_take_part(
    new_context: Callable[..., BrowserContext], live_app: LiveApp
):
    page = new_context(locale="es-VE", **PHONE_OPTIONS).new_page()
    page.goto(live_app.url("/"))
    text = page.locator(f"#{FALLBACK_ID}")
    expect(text.locator("h1")).to_have_text("Quiénes somos")
    expect(text.locator(".server-card").first).to_be_visible()
    expect(text.get_by_role("link", name=MYANMAR_ES_TITLE)).to_be_visible()
    expect(text.get_by_role("heading", name="Próxima reunión")).to_be_visible()
    expect(text.get_by_role("heading", name="Participa")).to_be_visible()
    text.get_by_role("link", name=MYANMAR_ES_TITLE).tap()
    expect(page.locator(f"#{FALLBACK_ID} h1")).to_have_text(MYANMAR_ES_TITLE)
    assert _scripts_asked_for(page) == []


def test_a_phone_gets_the_app_where_the_page_needs_it(new_context: Callable[..., BrowserContext], live_app: LiveApp):
    """The mailing list's page has no form of the server's: its own form is the app's."""
    page = new_context(**PHONE_OPTIONS).new_page()
    page.goto(live_app.url("/follow"))
    expect_hydrated(page, "Follow")
    assert any("/assets/" in url for url in _scripts_asked_for(page))


def test_a_phone_searches_from_the_servers_page(new_context: Callable[..., BrowserContext], live_app: LiveApp):
    page = new_context(locale="es-VE", **PHONE_OPTIONS).new_page()
    page.goto(live_app.url("/posts"))
    search = page.get_by_role("search", name="Buscar en el sitio")
    search.get_by_label("Buscar en el sitio").fill("myanmar")
    search.get_by_role("button").tap()
    expect(page).to_have_url(re.compile(r"/search/?\?lang=es&q=myanmar$"))  # the app's router adds the slash
    expect(page.locator(".search-hit").first).to_contain_text("Myanmar")


def test_a_phone_prints_a_post_without_the_frame(new_context: Callable[..., BrowserContext], live_app: LiveApp):
    page = new_context(**PHONE_OPTIONS).new_page()
    page.goto(live_app.url(f"/posts/{slug_from_title(MYANMAR_ES_TITLE)}"))
    page.emulate_media(media="print")
    expect(page.locator(f"#{FALLBACK_ID} h1")).to_be_visible()
    expect(page.get_by_role("banner")).to_have_count(0)  # hidden: no longer exposed
    expect(page.locator(".server-footer")).to_be_hidden()
