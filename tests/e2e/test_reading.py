"""How the site reads, in Chromium against the production build: a post's structure styled as such in the
live page and in the server's HTML without JavaScript, the next meeting on the home page, axe in light and dark."""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session

from tests.e2e.conftest import LiveApp, browser_contexts, running_reflex
from tests.e2e.test_accessibility import expect_no_serious_violations
from tests.e2e.waits import expect_language_saved
from vws_app.i18n import CATALOGUES
from vws_app.models import Event, Post, PostStatus, utc_now
from vws_app.services.database import engine_for

SLUG = "our-demands-in-structure"
BODY = """We write this together, as the [ILO report](https://www.ilo.org/report) documents.

## Our demands

Three things:

- Free the imprisoned workers
- Restore collective bargaining
- Respect the right to strike

> No one is free while workers are jailed for organising.

| Year | Prisoners |
|------|-----------|
| 2021 | 120 |
| 2022 | 150 |

### What comes next

Después, la solidaridad internacionalista continúa."""
MEETING = "Assembly on the reading test"
# Each structural element of a body beside a paragraph of it: what must differ from body text.
STYLES_BESIDE_TEXT = """root => {
  const pick = (el, ...names) => { const s = getComputedStyle(el); return Object.fromEntries(names.map(n => [n, s[n]])); };
  const q = selector => root.querySelector(selector);
  return {
    p: pick(q('p'), 'fontSize', 'fontWeight', 'fontFamily', 'borderLeftWidth'),
    h2: pick(q('h2'), 'fontSize', 'fontWeight', 'fontFamily'),
    h3: pick(q('h3'), 'fontSize', 'fontWeight'),
    ul: pick(q('ul'), 'listStyleType', 'paddingLeft'),
    li: pick(q('li'), 'display'),
    blockquote: pick(q('blockquote'), 'borderLeftWidth', 'fontSize', 'fontFamily', 'paddingLeft'),
    th: pick(q('th'), 'fontWeight', 'fontFamily', 'borderBottomWidth'),
    td: pick(q('td'), 'borderBottomWidth', 'fontSize'),
    body: pick(root, 'maxWidth', 'lineHeight', 'hyphens'),
  };
}"""


@pytest.fixture(scope="module")
def reading_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """A production build of its own, with a structured post and a coming meeting in its database."""
    with running_reflex(tmp_path_factory.mktemp("vws_reading_e2e"), "prod") as app:
        start = (utc_now() + timedelta(days=9)).replace(microsecond=0)
        with Session(engine_for(app.database_url)) as session:
            session.add(
                Post(
                    slug=SLUG,
                    language="en",
                    title="Our demands, in structure",
                    excerpt="We write this.",
                    body=BODY,
                    category="statement",
                    status=PostStatus.PUBLISHED.value,
                    published_at=utc_now() - timedelta(hours=1),
                )
            )
            session.add(
                Event(
                    title_en=MEETING,
                    title_es="Asamblea de la prueba de lectura",
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    timezone="America/Chicago",
                    place="Chicago, IL",
                )
            )
            session.commit()
        yield app


@pytest.fixture
def open_context(
    browser: Browser, reading_app: LiveApp, request: pytest.FixtureRequest
) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh contexts on this module's server; their page errors fail the test."""
    with browser_contexts(browser, reading_app.base_url, request) as make:
        yield make


def _assert_structure_is_styled(styles: dict) -> None:
    """Each element looks like what it is, not like the paragraph beside it."""
    text = styles["p"]
    assert float(styles["h2"]["fontSize"][:-2]) > float(text["fontSize"][:-2]) * 1.3, styles
    assert float(styles["h3"]["fontSize"][:-2]) > float(text["fontSize"][:-2]), styles
    assert int(styles["h2"]["fontWeight"]) >= 700 and styles["h2"]["fontFamily"] != text["fontFamily"], styles
    assert styles["ul"]["listStyleType"] == "disc" and float(styles["ul"]["paddingLeft"][:-2]) > 0, styles
    assert styles["li"]["display"] == "list-item", styles
    quote = styles["blockquote"]
    assert float(quote["borderLeftWidth"][:-2]) >= 3 and quote["borderLeftWidth"] != text["borderLeftWidth"], styles
    assert float(quote["fontSize"][:-2]) > float(text["fontSize"][:-2]), styles
    assert int(styles["th"]["fontWeight"]) >= 700 and styles["th"]["fontFamily"] != text["fontFamily"], styles
    assert float(styles["td"]["borderBottomWidth"][:-2]) > 0, styles
    measure = float(styles["body"]["maxWidth"][:-2]) / float(text["fontSize"][:-2])
    assert 25 <= measure <= 45, f"measure of {measure:.0f} em is not 60-75 characters: {styles}"
    assert styles["body"]["hyphens"] == "auto", styles


def test_post_structure_renders_as_its_elements_with_their_own_styles_once_live(open_context):
    page = open_context().new_page()
    page.goto(f"/posts/{SLUG}")
    expect_language_saved(page)
    body = page.locator("main .post-body")
    expect(body.locator("h2")).to_have_text("Our demands")
    expect(page.locator("#server-rendered-text")).to_have_count(0)
    expect(body.locator("ul > li")).to_have_count(3)
    expect(body.locator("blockquote")).to_contain_text("No one is free")
    expect(body.locator("table th").first).to_have_text("Year")
    expect(page.locator("article[lang=en]")).to_have_count(1)
    _assert_structure_is_styled(body.evaluate(STYLES_BESIDE_TEXT))


def test_post_structure_is_styled_the_same_in_the_servers_html_without_javascript(open_context):
    page = open_context(java_script_enabled=False).new_page()
    page.goto(f"/posts/{SLUG}")
    body = page.locator("#server-rendered-text .post-body")
    expect(body.locator("h2")).to_have_text("Our demands")
    expect(body.locator("ul > li")).to_have_count(3)
    expect(body.locator("blockquote")).to_be_visible()
    expect(body.locator("table td").first).to_have_text("2021")
    expect(page.locator("#server-rendered-text")).to_have_attribute("lang", "en")
    _assert_structure_is_styled(body.evaluate(STYLES_BESIDE_TEXT))


@pytest.mark.parametrize(
    ("locale", "language", "title"), [("en-US", "en", MEETING), ("es-VE", "es", "Asamblea de la prueba de lectura")]
)
def test_home_shows_the_next_meeting_with_date_place_and_calendar_file(open_context, locale, language, title):
    page = open_context(locale=locale).new_page()
    page.goto("/")
    expect_language_saved(page, language)
    meeting = page.locator("#next-event")
    expect(meeting.get_by_role("heading", name=CATALOGUES[language]["home_next_event_heading"])).to_be_visible()
    expect(page.locator("#next-event-title")).to_have_text(title)
    expect(page.locator("#next-event-date")).not_to_be_empty()
    expect(page.locator("#next-event-place")).to_contain_text("Chicago, IL")
    expect(page.locator("#next-event-calendar")).to_have_attribute("href", f"/events/1.ics?lang={language}")
    response = page.request.get(page.locator("#next-event-calendar").get_attribute("href"))
    assert response.ok and "BEGIN:VEVENT" in response.text()
    expect(page.locator("#take-part a")).to_have_count(4)
    feed = "/feed.xml" if language == "en" else "/es/feed.xml"
    expect(page.locator("#footer-feed")).to_have_attribute("href", feed)
    expect(page.locator("#footer-allies")).to_have_attribute("href", "/allies")
    expect(page.locator('head link[rel=alternate][type="application/rss+xml"]')).to_have_attribute(
        "href", re.compile(re.escape(feed) + "$")
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", f"/posts/{SLUG}"])
def test_home_and_post_pass_axe_in_light_and_dark(open_context, scheme, path):
    page: Page = open_context(color_scheme=scheme).new_page()
    page.goto(path)
    expect_language_saved(page)
    expect(page.locator("html")).to_have_class(re.compile(rf"\b{scheme}\b"))
    expect(page.locator("#server-rendered-text")).to_have_count(0)
    expect(page.locator("main .post-body, main #next-event").first).to_be_visible()
    expect_no_serious_violations(page)


def test_printed_post_keeps_the_text_drops_the_site_around_it_and_prints_link_addresses(open_context):
    page = open_context().new_page()
    page.goto(f"/posts/{SLUG}")
    expect_language_saved(page)
    expect(page.locator("#server-rendered-text")).to_have_count(0)
    page.emulate_media(media="print")
    for chrome in ("header", "footer", "form"):
        expect(page.locator(chrome).first).to_be_hidden()
    body = page.locator("main .post-body")
    expect(body.locator("h2")).to_be_visible()
    printed = body.locator("a").first.evaluate("link => getComputedStyle(link, '::after').content")
    assert "https://www.ilo.org/report" in printed
    assert body.evaluate("b => getComputedStyle(b).color") == "rgb(0, 0, 0)"
