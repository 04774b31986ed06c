"""Machine-readable views of the content (sitemap, robots.txt, RSS, iCalendar, health) as functions and as routes."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from tests.unit.content_builders import add_post, add_translation, days_ago
from vws_app.models import Post
from vws_app.server.feeds import SECTION_PATHS, feed_path, robots_txt, rss_feed, sitemap_xml
from vws_app.server.routes import backend_routes
from vws_app.services.markdown import render_markdown
from vws_app.services.seeding import seed_database

SITE = "https://vws.example"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
MYANMAR_EN = "We Stand in Solidarity with the Democratic Struggle in Myanmar"
MYANMAR_ES = "Nos Solidarizamos con la Lucha Democrática en Myanmar-Birmania"
DSA = "DSA: Solidarity with the Venezuelan people or with the regime?"
US_VENEZUELA = "Statement on US-Venezuela relations"
SECTIONS = ("/", "/posts", "/events", "/allies", "/contact", "/privacy")


@pytest.fixture(autouse=True)
def public_address(monkeypatch):
    """Absolute links in feeds and the sitemap come from SITE_URL; pin it (and no Redis)."""
    monkeypatch.setenv("SITE_URL", SITE)
    monkeypatch.delenv("REDIS_URL", raising=False)


@pytest.fixture
def seeded(session):
    """The original site's four posts, two of them translations of each other; slugs by title."""
    seed_database(session)
    return {post.title: post.slug for post in session.exec(select(Post))}


@pytest.fixture
def client(app_database, session) -> TestClient:
    """The backend's own routes on the test database (`session` uses the same one)."""
    return TestClient(backend_routes())


def _sitemap_urls(xml_text: str) -> dict[str, dict[str, str]]:
    """Each `<loc>` of a sitemap with its hreflang alternates."""
    root = ET.fromstring(xml_text.encode())
    assert root.tag == f"{{{NS['sm']}}}urlset"
    return {
        url.find("sm:loc", NS).text: {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)}
        for url in root.findall("sm:url", NS)
    }


def test_robots_allows_the_site_disallows_the_admin_and_names_the_sitemap():
    lines = robots_txt().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_sitemap_lists_every_section_in_both_languages(session):
    urls = _sitemap_urls(sitemap_xml(session))
    for path in SECTIONS:
        for language in ("en", "es"):
            assert urls[f"{SITE}{path}?lang={language}"] == {
                "en": f"{SITE}{path}?lang=en",
                "es": f"{SITE}{path}?lang=es",
            }


def test_sitemap_lists_both_myanmar_posts_with_alternates_to_each_other(session, seeded):
    urls = _sitemap_urls(sitemap_xml(session))
    english, spanish = f"{SITE}/posts/{seeded[MYANMAR_EN]}", f"{SITE}/posts/{seeded[MYANMAR_ES]}"
    assert urls[english] == urls[spanish] == {"en": english, "es": spanish}
    assert urls[f"{SITE}/posts/{seeded[US_VENEZUELA]}"] == {}
    assert len(urls) == 2 * len(SECTION_PATHS) + 4


def test_sitemap_posts_carry_their_last_modification_date(session, seeded):
    root = ET.fromstring(sitemap_xml(session).encode())
    dates = {url.find("sm:loc", NS).text: url.find("sm:lastmod", NS) for url in root.findall("sm:url", NS)}
    assert dates[f"{SITE}/posts/{seeded[MYANMAR_EN]}"].text == "2021-04-12"
    assert dates[f"{SITE}/?lang=en"] is None


def test_sitemap_leaves_out_drafts_and_scheduled_posts_and_their_alternates(session):
    original = add_post(session, "Public statement")
    add_translation(session, original, "Borrador de la declaración", status="draft")
    draft = add_post(session, "Unfinished draft", status="draft")
    scheduled = add_post(session, "Scheduled statement", published_at=days_ago(-3))
    xml_text = sitemap_xml(session)
    urls = _sitemap_urls(xml_text)
    assert urls[f"{SITE}/posts/{original.slug}"] == {}
    assert draft.slug not in xml_text and scheduled.slug not in xml_text
    assert "borrador" not in xml_text


@pytest.mark.parametrize(
    "language, expected, absent",
    [
        ("en", [DSA, MYANMAR_EN, US_VENEZUELA], MYANMAR_ES),
        ("es", [DSA, MYANMAR_ES, US_VENEZUELA], MYANMAR_EN),
    ],
)
def test_rss_feed_parses_and_lists_the_languages_posts_newest_first(session, seeded, language, expected, absent):
    feed = feedparser.parse(rss_feed(session, language))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.language == language
    assert feed.feed.title == "Venezuelan Workers Solidarity"
    assert [entry.title for entry in feed.entries] == expected
    assert absent not in {entry.title for entry in feed.entries}
    first = feed.entries[0]
    assert first.link == f"{SITE}/posts/{seeded[DSA]}"
    assert first.id == first.link
    assert first.published_parsed[:3] == (2021, 5, 24)
    assert first.summary.startswith("<p>Open letter to the Democratic Socialists of America")


def test_rss_feed_links_to_the_site_and_to_itself(session):
    feed = feedparser.parse(rss_feed(session, "es"))
    assert feed.feed.link == f"{SITE}/?lang=es"
    assert any(link.rel == "self" and link.href == f"{SITE}/es/feed.xml" for link in feed.feed.links)


def test_rss_feed_leaves_out_drafts_and_escapes_markup(session):
    add_post(session, "Draft news", status="draft")
    add_post(session, 'Tags <b>&</b> "quotes"')
    feed = feedparser.parse(rss_feed(session, "en"))
    assert feed.bozo == 0
    assert [entry.title for entry in feed.entries] == ['Tags <b>&</b> "quotes"']


HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)"> **bold** [site](javascript:alert(3))'


def _descriptions(xml_bytes: bytes) -> dict[str, str]:
    """Each item's `<description>` as the feed carries it (the HTML a reader will render), by title."""
    channel = ET.fromstring(xml_bytes).find("channel")
    return {item.findtext("title"): item.findtext("description") for item in channel.findall("item")}


class _Tags(HTMLParser):
    """Every tag and attribute of an HTML fragment, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _has_no_active_markup(description: str) -> None:
    """Only formatting tags, no event handler attributes, no script links, no raw Markdown."""
    parser = _Tags()
    parser.feed(description)
    assert {tag for tag, _attrs in parser.tags} <= {"p", "h2", "strong", "br", "a"}
    for _tag, attrs in parser.tags:
        assert not [name for name, _value in attrs if name.startswith("on")]
        assert not [value for _name, value in attrs if value and "javascript:" in value.lower()]
    assert "**" not in description


def test_feed_description_of_a_hostile_body_is_the_sanitised_rendering(session):
    post = add_post(session, "Hostile body")
    post.excerpt, post.body = "", f"# Heading\n\n{HOSTILE}"
    session.add(post)
    session.commit()
    description = _descriptions(rss_feed(session, "en"))["Hostile body"]
    assert description == render_markdown(post.body)
    assert "<strong>bold</strong>" in description and "<h2>Heading</h2>" in description
    _has_no_active_markup(description)


def test_feed_description_of_a_hostile_excerpt_is_escaped_text(session):
    post = add_post(session, "Hostile excerpt")
    post.excerpt = f"First line\nsecond line\n\n{HOSTILE}"
    session.add(post)
    session.commit()
    description = _descriptions(rss_feed(session, "en"))["Hostile excerpt"]
    assert description.startswith("<p>First line<br>second line</p><p>&lt;script&gt;alert(1)&lt;/script&gt;")
    assert "&lt;img src=x onerror=" in description
    _has_no_active_markup(description.replace("**bold**", ""))


def test_feed_description_of_a_long_body_is_cut_then_rendered(session):
    post = add_post(session, "Long body")
    post.excerpt, post.body = "", "word " * 200 + "<script>late()</script>"
    session.add(post)
    session.commit()
    description = _descriptions(rss_feed(session, "en"))["Long body"]
    assert description.startswith("<p>word word") and description.endswith("…</p>\n")
    assert "late()" not in description


def test_feed_paths_per_language():
    assert (feed_path("en"), feed_path("es")) == ("/feed.xml", "/es/feed.xml")


def test_routes_serve_both_feeds_as_rss(client, seeded):
    english, spanish = client.get("/feed.xml"), client.get("/es/feed.xml")
    for response in (english, spanish):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/rss+xml")
        assert feedparser.parse(response.content).bozo == 0
    assert MYANMAR_EN in {entry.title for entry in feedparser.parse(english.content).entries}
    assert MYANMAR_ES in {entry.title for entry in feedparser.parse(spanish.content).entries}
    assert client.get("/fr/feed.xml").status_code == 404


def test_routes_serve_sitemap_and_robots(client, seeded):
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert sitemap.headers["content-type"].startswith("application/xml")
    assert f"{SITE}/posts/{seeded[MYANMAR_ES]}" in _sitemap_urls(sitemap.text)
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert robots.headers["content-type"].startswith("text/plain")
    assert "Disallow: /admin" in robots.text


@pytest.mark.parametrize("address", ["/events/424242.ics", "/events/abc.ics", "/events/99999999999999999999.ics"])
def test_calendar_route_of_an_unknown_or_malformed_id_is_404(client, address):
    assert client.get(address).status_code == 404


def test_health_check_reports_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "not configured"}


def test_health_check_is_503_when_the_database_does_not_answer(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'missing-dir' / 'nope.db'}")
    response = TestClient(backend_routes()).get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] != "ok"


@pytest.mark.parametrize("language, expected", [("en", "The site is starting"), ("es", "El sitio se está iniciando")])
def test_pages_asked_for_during_a_rebuild_are_a_503_in_the_readers_language(
    client, monkeypatch, tmp_path, language, expected
):
    monkeypatch.setattr("vws_app.server.page_shell.build_dir", lambda: tmp_path)  # no page files yet
    for path in ("/", "/posts/anything"):
        response = client.get(path, headers={"accept-language": language})
        assert response.status_code == 503
        assert response.text.startswith(expected)
        assert response.headers["retry-after"] == "5"
