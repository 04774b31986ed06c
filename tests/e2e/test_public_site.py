"""What a visitor sees and does on the public pages, in Chromium against the production build."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.browser_errors import BrowserErrors
from tests.e2e.waits import expect_hydrated, expect_language_saved
from vws_app.services.seeding import load_seed_content
from vws_app.services.slugs import slug_from_title

SEED_POSTS = load_seed_content()["posts"]
TITLES = {(post["translation_group"], post["language"]): post["title"] for post in SEED_POSTS}
MYANMAR_EN_TITLE = TITLES["myanmar", "en"]
MYANMAR_ES_TITLE = "Nos Solidarizamos con la Lucha Democrática en Myanmar-Birmania"
DSA_TITLE = TITLES["dsa-letter", "en"]
MYANMAR_EN = slug_from_title(MYANMAR_EN_TITLE)
MYANMAR_ES = slug_from_title(MYANMAR_ES_TITLE)
MISSION_EN = "We are a group of Venezuelan socialists"
MISSION_ES = "Somos un grupo de socialistas venezolanos"
NAV_LINKS_EN = ["Home", "Posts", "Events", "Allies", "Contact"]
PHONE = {"width": 375, "height": 740}


def main_heading(page: Page):
    """The page's own <h1>."""
    return page.locator("main h1")


def expect_english_home(page: Page) -> None:
    """Navigation, headings, content and dates of the home page are English."""
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header nav").get_by_role("link", name="Posts", exact=True)).to_be_visible()
    expect(page.locator("main h2").first).to_have_text("Latest Posts")
    expect(page.locator("#mission")).to_contain_text(MISSION_EN)
    expect(page.locator("main")).to_contain_text("April 12, 2021")


def expect_spanish_home(page: Page) -> None:
    """Navigation, headings, content and dates of the home page are Spanish."""
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("header nav").get_by_role("link", name="Publicaciones", exact=True)).to_be_visible()
    expect(page.locator("main h2").first).to_have_text("Últimas publicaciones")
    expect(page.locator("#mission")).to_contain_text(MISSION_ES)
    expect(page.locator("main")).to_contain_text("12 de abril de 2021")


def test_home_shows_mission_and_links_every_seeded_post(page: Page):
    """English home: the mission, three cards, and a way to each of the four seeded posts."""
    page.goto("/")
    expect(page.locator("#mission")).to_contain_text(MISSION_EN)
    cards = page.locator(".post-card")
    expect(cards).to_have_count(3)
    for (_, language), title in TITLES.items():
        if language == "en":
            expect(cards.get_by_role("link", name=title, exact=True)).to_be_visible()
    translation = cards.locator(".card-translation-link")
    expect(translation).to_have_count(1)
    expect(translation).to_have_text("Leer en español")
    expect(translation).to_have_attribute("href", f"/posts/{MYANMAR_ES}")
    hrefs = {link.get_attribute("href") for link in page.locator("main a").all()}
    assert {f"/posts/{slug_from_title(post['title'])}" for post in SEED_POSTS} <= hrefs


def test_language_toggle_turns_site_spanish_and_survives_reload_and_new_tab(page: Page):
    """The toggle switches nav, headings, dates and <html lang>; the choice is remembered; toggling back works."""
    page.goto("/")
    expect_hydrated(page, MISSION_EN)
    expect_english_home(page)
    page.locator("#language-toggle").click()
    expect_spanish_home(page)
    expect_language_saved(page, "es")
    page.reload()
    expect_spanish_home(page)
    tab = page.context.new_page()
    tab.goto("/")
    expect_spanish_home(tab)
    tab.locator("#language-toggle").click()
    expect_english_home(tab)
    expect_language_saved(tab, "en")
    tab.reload()
    expect_english_home(tab)


@pytest.mark.parametrize(
    ("browser_locale", "expect_home"),
    [("es-VE", expect_spanish_home), ("fr-FR", expect_english_home)],
    ids=["spanish-browser-reads-spanish", "french-browser-reads-english"],
)
def test_first_visit_follows_browser_language(
    new_context: Callable[..., BrowserContext], browser_locale: str, expect_home
):
    """With no saved choice, the browser's Accept-Language picks the language; unsupported ones get English."""
    page = new_context(locale=browser_locale).new_page()
    page.goto("/")
    expect_home(page)


def test_lang_query_shows_spanish_to_an_english_browser(page: Page):
    """A shared `/?lang=es` link opens in Spanish even when the browser asks for English."""
    page.goto("/?lang=es")
    expect_spanish_home(page)


def test_post_links_to_its_translation_and_back(page: Page):
    """The English Myanmar statement links to its Spanish version, which links back."""
    page.goto(f"/posts/{MYANMAR_EN}")
    expect(main_heading(page)).to_have_text(MYANMAR_EN_TITLE)
    link = page.locator("#translation-link")
    expect(link).to_have_text("Leer en español")
    link.click()
    expect(page).to_have_url(re.compile(f"/posts/{MYANMAR_ES}$"))
    expect(main_heading(page)).to_have_text(MYANMAR_ES_TITLE)
    expect(page.locator("main article")).to_have_attribute("lang", "es")
    expect(link).to_have_text("Read in English")
    link.click()
    expect(page).to_have_url(re.compile(f"/posts/{MYANMAR_EN}$"))
    expect(main_heading(page)).to_have_text(MYANMAR_EN_TITLE)


def test_phone_menu_shows_links_and_navigates(new_context: Callable[..., BrowserContext]):
    """At 375 px the nav collapses into a menu whose links work."""
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    expect_hydrated(page, MISSION_EN)
    expect(page.locator("header nav")).to_be_hidden()
    page.locator("#menu-button").click()
    menu = page.locator("#mobile-menu")
    expect(menu).to_be_visible()
    for name in NAV_LINKS_EN:
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    menu.get_by_role("link", name="Events", exact=True).click()
    expect(page).to_have_url(re.compile(r"/events/?$"))
    expect(main_heading(page)).to_have_text("Events")
    expect(menu).to_be_hidden()


@pytest.mark.parametrize(("query", "mission"), [("en", MISSION_EN), ("es", MISSION_ES)])
def test_header_keeps_the_site_name_on_one_line_at_1280px(
    new_context: Callable[..., BrowserContext],
    query: str,
    mission: str,
):
    """At 1280 px the name, every section, the search box and the toggle share one line, in both languages."""
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"/?lang={query}")
    expect_hydrated(page, mission)
    name = page.locator("header .site-mark span")
    line_height = name.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert name.evaluate("el => el.getBoundingClientRect().height") < 1.5 * line_height, "the site's name wraps"
    header = page.locator("header > div").first
    assert header.evaluate("el => el.scrollWidth <= el.clientWidth"), "the header's items overflow it"
    middles = page.locator("header > div > *").evaluate_all(
        "items => items.filter(item => item.offsetWidth).map(item => Math.round(item.getBoundingClientRect().top + item.offsetHeight / 2))"
    )
    assert max(middles) - min(middles) <= 4, middles


def test_unknown_address_shows_not_found_page_in_chosen_language(page: Page):
    """After choosing Spanish, a mistyped address shows the 404 page in Spanish."""
    page.goto("/")
    expect_hydrated(page, MISSION_EN)
    page.locator("#language-toggle").click()
    expect_language_saved(page, "es")
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page.locator("#not-found")).to_have_text("Página no encontrada")


def test_unknown_post_slug_shows_post_not_found(page: Page):
    """A post address with no post says so instead of showing an empty article."""
    page.goto("/posts/no-such-post")
    expect(page.locator("#post-not-found")).to_have_text("We could not find that post.")
    expect(page.locator("main article")).to_have_count(0)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Who we are"),
        ("/posts", "Posts"),
        (f"/posts/{MYANMAR_EN}", MYANMAR_EN_TITLE),
        ("/events", "Events"),
        ("/allies", "Allied organizations"),
        ("/contact", "Contact Us"),
    ],
)
def test_public_page_loads_without_browser_errors(page: Page, browser_errors: BrowserErrors, path: str, heading: str):
    """Loading and hydrating each public page logs no console error and throws nothing (no known-bug allowance)."""
    page.goto(path)
    expect(main_heading(page)).to_have_text(heading)
    expect_hydrated(page, heading)
    browser_errors.assert_none(strict=True)


def test_open_letters_filter_shows_only_the_dsa_letter(page: Page):
    """Choosing the "Open letters" category leaves just the open letter to DSA."""
    page.goto("/posts")
    cards = page.locator(".post-card")
    expect(cards).to_have_count(3)
    choice = page.get_by_role("navigation", name="Filter by category").get_by_role("link", name="Open letters")
    choice.click()
    expect(page).to_have_url(re.compile(r"[?&]category=open_letter"))
    expect(choice).to_have_attribute("aria-current", "page")
    expect(cards).to_have_count(1)
    expect(cards.get_by_role("link", name=DSA_TITLE, exact=True)).to_be_visible()


def test_events_page_without_events_shows_empty_state(page: Page):
    """With no events on file, the events page says so and invites contact."""
    page.goto("/events")
    expect_hydrated(page, "Upcoming events")
    expect(page.locator("#events-empty")).to_contain_text("No events are scheduled right now.")
    for address in ("/contact", "/follow", "/posts"):  # and points somewhere
        expect(page.locator(f'#events-empty a[href="{address}"]')).to_be_visible()
    expect(page.locator(".event-card")).to_have_count(0)


def test_allies_page_without_allies_shows_empty_state(page: Page):
    """With no allies on file, the allies page says so."""
    page.goto("/allies")
    expect_hydrated(page, "Allied organizations")
    expect(page.locator("#allies-empty")).to_have_text("No allied organizations are listed yet.")
    for address in ("/contact", "/posts"):  # and points somewhere
        expect(page.locator(f'#allies-empty-note a[href="{address}"]')).to_be_visible()
    expect(page.locator(".ally-card")).to_have_count(0)
