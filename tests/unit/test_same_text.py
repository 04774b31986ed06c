"""The same text for everyone: crawlers, link previews, RSS and search get the live page's rendering."""

from html.parser import HTMLParser

import feedparser
import pytest

from tests.unit.content_builders import add_post
from vws_app.server.feeds import rss_feed
from vws_app.services.markdown import render_markdown
from vws_app.services.search import search

SHELL = '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><div id="root"></div></body></html>'
BODY = (
    "Workers of **Sidor** marched [with their union](https://example.org/union) today.\n\n"
    "- wages\n- pensions\n\n<script>alert(1)</script> <img src=x onerror=alert(2)> [bad](javascript:alert(3))"
)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def assert_only_formatting(markup: str) -> None:
    """Elements the sanitiser allows, no event handler attributes, no script links."""
    parser = _Tags()
    parser.feed(markup)
    assert {tag for tag, _attrs in parser.tags} <= {"p", "strong", "a", "ul", "li"}
    for _tag, attrs in parser.tags:
        assert not [name for name, _value in attrs if name.startswith("on")]
        assert not [value for _name, value in attrs if value and "javascript:" in value.lower()]


@pytest.fixture
def post(session):
    row = add_post(session, "March in Guayana", slug="march-in-guayana")
    row.excerpt, row.body = "", BODY
    session.add(row)
    session.commit()
    return row


@pytest.fixture
def client(backend_client):
    return backend_client


def test_rss_items_carry_the_whole_post_as_the_sanitised_html_of_the_live_page(session, post):
    xml = rss_feed(session, "en")
    assert b'xmlns:content="http://purl.org/rss/1.0/modules/content/"' in xml
    feed = feedparser.parse(xml)
    assert feed.bozo == 0
    [entry] = [entry for entry in feed.entries if entry.title == "March in Guayana"]
    encoded = entry.content[0].value
    assert encoded.strip() == render_markdown(BODY).strip()
    assert "<strong>Sidor</strong>" in encoded and "<li>pensions</li>" in encoded
    assert_only_formatting(encoded)
    assert "**" not in encoded


def test_crawlers_and_link_previews_get_rendered_text_not_markdown(client, post):
    page = client.get("/posts/march-in-guayana").text
    head, body = page.split("</head>", 1)
    assert render_markdown(BODY) in body
    assert "<strong>Sidor</strong>" in body and "**Sidor**" not in page
    assert 'content="Workers of Sidor marched with their union today. wages pensions' in head
    assert "](https://example.org/union)" not in head and "<script>alert" not in page


def test_search_snippets_are_the_rendered_words(session, post):
    [hit] = search(session, "union", "en").items
    snippet = "".join(part.text for part in hit.snippet)
    assert "marched with their union today" in snippet
    assert "**" not in snippet and "](" not in snippet and "example.org" not in snippet
    assert [part.text for part in hit.snippet if part.is_match] == ["union"]
