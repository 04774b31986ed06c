"""What robots and link previews read: page meta of posts and sections, its HTML tags, and the filled page shell."""

import dataclasses
import html
import re
from html.parser import HTMLParser

import pytest
from sqlmodel import select

from tests.unit.content_builders import add_event, add_post, add_translation, days_ago
from vws_app.i18n import CATALOGUES, translate
from vws_app.models import Post, PostStatus
from vws_app.server.page_shell import FRAME_HIDDEN_STYLE, TEXT_FIRST_STYLE, fill, shows_text_first
from vws_app.services.markdown import render_markdown
from vws_app.services.seeding import seed_database
from vws_app.services.seo import (
    FALLBACK_ID,
    SERVER_ONLY_ATTRIBUTE,
    fallback_body,
    head_tags,
    other_language_path,
    post_meta,
    section_meta,
)
from vws_app.services.server_frame import FRAME_CLASS

SITE = "https://vws.example"
MYANMAR_EN = "We Stand in Solidarity with the Democratic Struggle in Myanmar"
MYANMAR_ES = "Nos Solidarizamos con la Lucha Democrática en Myanmar-Birmania"
SITE_NAME = "Venezuelan Workers Solidarity"
SECTIONS = ("/", "/posts", "/events", "/allies", "/contact")
SHELL_WITH_TITLE = (
    '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><title>Posts</title>'
    '<meta content="Default description" name="description"/><meta content="favicon.ico" property="og:image"/>'
    '</head><body><div id="root">app</div><script>boot()</script></body></html>'
)
SHELL_WITHOUT_TITLE = (
    '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/></head><body><div id="root"></div></body></html>'
)


@pytest.fixture(autouse=True)
def public_address(monkeypatch):
    """Canonical links are built from SITE_URL; pin it."""
    monkeypatch.setenv("SITE_URL", SITE + "/")


class TagCollector(HTMLParser):
    """Every start tag's attributes, the <title> text, and all text of an HTML fragment."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.titles: list[str] = []
        self.text: list[str] = []
        self._in_title = False
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        (self.titles if self._in_title else self.text).append(data)

    def meta(self, attribute: str, name: str) -> list[str]:
        return [attrs["content"] for tag, attrs in self.tags if tag == "meta" and attrs.get(attribute) == name]

    def links(self, rel: str) -> list[dict[str, str]]:
        """Links with `rel`; for "alternate", the language versions (not the feed's link, which has a type)."""
        return [
            attrs
            for tag, attrs in self.tags
            if tag == "link" and attrs.get("rel") == rel and not (rel == "alternate" and "type" in attrs)
        ]


def _seeded(session, title: str) -> Post:
    seed_database(session)
    return session.exec(select(Post).where(Post.title == title)).one()


def test_post_meta_carries_title_path_language_and_article_type(session):
    post = _seeded(session, MYANMAR_EN)
    meta = post_meta(session, post.slug)
    assert meta.title == f"{MYANMAR_EN} · {SITE_NAME}"
    assert meta.heading == MYANMAR_EN
    assert (meta.path, meta.language, meta.og_type) == (f"/posts/{post.slug}", "en", "article")
    assert meta.paragraphs == ["April 12, 2021"]
    assert render_markdown(post.body) in meta.body_html  # the live page's rendering, never raw Markdown


def test_post_text_without_javascript_is_the_rendered_body_in_the_same_class_as_the_live_page(session):
    post = add_post(session, "Structured")
    post.body = "## Demands\n\n- one\n- two\n\n> Key sentence.\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    session.add(post)
    session.commit()
    body = fallback_body(post_meta(session, post.slug))
    assert '<div class="post-body"><h2>Demands</h2>' in body
    assert "<ul>" in body and "<blockquote>" in body and "<table>" in body
    assert "excerpt-note" not in body


def test_seeded_excerpt_says_so_once_above_its_text(session):
    post = _seeded(session, MYANMAR_ES)
    body = fallback_body(post_meta(session, post.slug))
    assert body.count("excerpt-note") == 1
    assert body.index("excerpt-note") < body.index('class="post-body"')
    assert CATALOGUES["es"]["post_excerpt_note"] in body


@pytest.mark.parametrize(
    ("language", "image", "feed"), [("en", "/og-image.png", "/feed.xml"), ("es", "/og-image-es.png", "/es/feed.xml")]
)
def test_pages_without_a_picture_preview_with_the_site_image_and_name_the_feed_in_their_language(
    session, language, image, feed
):
    seed_database(session)
    tags = TagCollector(head_tags(section_meta(session, "/events", language)))
    assert tags.meta("property", "og:image") == [f"{SITE}{image}"]
    [rss] = [attrs for tag, attrs in tags.tags if tag == "link" and attrs.get("type") == "application/rss+xml"]
    assert rss["rel"] == "alternate" and rss["href"] == f"{SITE}{feed}"


def test_post_description_is_cut_at_a_word_boundary_with_an_ellipsis(session):
    post = _seeded(session, MYANMAR_EN)
    description = post_meta(session, post.slug).description
    flat = " ".join(post.excerpt.split())
    assert len(flat) > 200 and len(description) <= 201
    assert description.endswith("…")
    kept = description.removesuffix("…")
    assert flat.startswith(kept)
    assert flat[len(kept)] in " ,.;:", "cut inside a word"


def test_short_post_description_is_the_whole_excerpt_on_one_line(session):
    post = add_post(session, "Short one")
    post.excerpt = "Line one\n\n  line   two."
    session.add(post)
    session.commit()
    assert post_meta(session, post.slug).description == "Line one line two."


def test_spanish_post_has_spanish_locale_and_hreflang_to_its_english_version(session):
    spanish = _seeded(session, MYANMAR_ES)
    english = session.exec(select(Post).where(Post.title == MYANMAR_EN)).one()
    meta = post_meta(session, spanish.slug)
    assert meta.language == "es"
    assert meta.alternates == {
        "es": f"/posts/{spanish.slug}",
        "en": f"/posts/{english.slug}",
        "x-default": f"/posts/{english.slug}",
    }
    tags = TagCollector(head_tags(meta))
    assert tags.meta("property", "og:locale") == ["es_VE"]
    assert tags.meta("property", "og:locale:alternate") == ["en_US"]
    hreflangs = {link["hreflang"]: link["href"] for link in tags.links("alternate")}
    assert hreflangs == {
        "en": f"{SITE}/posts/{english.slug}",
        "es": f"{SITE}/posts/{spanish.slug}",
        "x-default": f"{SITE}/posts/{english.slug}",
    }
    assert meta.paragraphs[0] == "12 de abril de 2021"


def test_head_tags_name_canonical_open_graph_image_and_twitter_card(session):
    post = _seeded(session, MYANMAR_EN)
    meta = post_meta(session, post.slug)
    tags = TagCollector(head_tags(meta))
    assert [link["href"] for link in tags.links("canonical")] == [f"{SITE}/posts/{post.slug}"]
    assert tags.meta("name", "description") == [meta.description]
    assert tags.meta("property", "og:title") == [meta.title]
    assert tags.meta("property", "og:description") == [meta.description]
    assert tags.meta("property", "og:url") == [f"{SITE}/posts/{post.slug}"]
    assert tags.meta("property", "og:image") == [f"{SITE}/og-image.png"]
    assert tags.meta("property", "og:type") == ["article"]
    assert tags.meta("property", "og:locale") == ["en_US"]
    assert tags.meta("name", "twitter:card") == ["summary_large_image"]


def test_untranslated_post_has_only_its_own_hreflang_also_as_the_default(session):
    post = add_post(session, "Solo en español", language="es")
    tags = TagCollector(head_tags(post_meta(session, post.slug)))
    assert {link["hreflang"]: link["href"] for link in tags.links("alternate")} == {
        "es": f"{SITE}/posts/{post.slug}",
        "x-default": f"{SITE}/posts/{post.slug}",
    }
    assert tags.meta("property", "og:locale:alternate") == []


def test_draft_translation_is_not_offered_as_alternate(session):
    original = add_post(session, "Public text")
    add_translation(session, original, "Texto en borrador", status="draft")
    assert post_meta(session, original.slug).alternates == {
        "en": f"/posts/{original.slug}",
        "x-default": f"/posts/{original.slug}",
    }


def test_unknown_draft_and_future_posts_have_no_meta(session):
    draft = add_post(session, "Draft", status="draft")
    future = add_post(session, "Scheduled", published_at=days_ago(-2))
    assert post_meta(session, "no-such-post") is None
    assert post_meta(session, draft.slug) is None
    assert post_meta(session, future.slug) is None


def test_markup_in_a_title_and_excerpt_is_escaped_everywhere(session):
    post = add_post(session, 'Workers <script>alert(1)</script> "united" & free')
    post.excerpt = 'Read <b>this</b> "now"'
    session.add(post)
    session.commit()
    meta = post_meta(session, post.slug)
    head, body = head_tags(meta), fallback_body(meta)
    for markup in (head, body, fill(SHELL_WITH_TITLE, meta)):
        assert "<script>alert" not in markup and "<b>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;united&quot; &amp; free" in head
    assert TagCollector(head).meta("property", "og:title") == [meta.title]
    assert TagCollector(head).meta("name", "description") == ['Read <b>this</b> "now"']
    filled = TagCollector(fill(SHELL_WITH_TITLE, meta))
    assert filled.titles == [meta.title]


def test_fallback_body_is_an_article_with_heading_and_paragraphs(session):
    post = _seeded(session, MYANMAR_ES)
    body = fallback_body(post_meta(session, post.slug))
    assert body.startswith(f'<article id="{FALLBACK_ID}" lang="es"><h1>{MYANMAR_ES}</h1><p>12 de abril de 2021</p>')
    assert body.endswith("</article>")
    assert "<p></p>" not in body


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", SECTIONS)
def test_section_meta_is_in_the_requested_language_with_both_alternates(session, path, language):
    seed_database(session)
    meta = section_meta(session, path, language)
    assert meta.language == language
    assert meta.path == f"{path}?lang={language}"
    assert meta.alternates == {"en": f"{path}?lang=en", "es": f"{path}?lang=es"}
    assert meta.title.endswith(SITE_NAME) and meta.description and meta.heading
    tags = TagCollector(head_tags(meta))
    assert tags.meta("property", "og:locale") == [{"en": "en_US", "es": "es_VE"}[language]]
    assert tags.meta("property", "og:type") == ["website"]


def test_section_titles_and_descriptions_follow_the_language(session):
    seed_database(session)
    assert section_meta(session, "/events", "es").title == f"Eventos · {SITE_NAME}"
    assert section_meta(session, "/allies", "en").title == f"Allied organizations · {SITE_NAME}"
    assert section_meta(session, "/contact", "es").description == translate("contact_intro", "es")
    assert section_meta(session, "/", "en").title == SITE_NAME
    assert section_meta(session, "/", "en").description.startswith("We are a group of Venezuelan socialists")
    assert section_meta(session, "/", "es").description.startswith("Somos un grupo de socialistas venezolanos")


def test_section_text_lists_the_posts_a_reader_of_that_language_sees(session):
    seed_database(session)
    english = section_meta(session, "/posts", "en").extra_html
    spanish = section_meta(session, "/posts", "es").extra_html
    assert html.escape(MYANMAR_EN) in english and html.escape(MYANMAR_ES) not in english
    assert html.escape(MYANMAR_ES) in spanish and html.escape(MYANMAR_EN) not in spanish
    assert "Statement on US-Venezuela relations" in spanish  # untranslated posts are listed too
    assert "Solo disponible en inglés" in spanish  # and say so, as the live cards do


def test_unknown_section_and_odd_language_codes(session):
    assert section_meta(session, "/admin", "en") is None
    assert section_meta(session, "/posts", "ES-ve").language == "es"
    assert section_meta(session, "/posts", "fr").language == "en"


def test_events_section_text_lists_upcoming_and_past_events_as_cards(session):
    add_event(session, "Assembly in Queens", days_ago(-10), title_es="Asamblea en Queens")
    add_event(session, "Old forum", days_ago(400), title_es="Foro antiguo")
    body = fallback_body(section_meta(session, "/events", "es"))
    upcoming = body[body.index("<h2>Próximos eventos</h2>") : body.index("<h2>Eventos anteriores</h2>")]
    assert "Asamblea en Queens" in upcoming and "Foro antiguo" not in upcoming
    assert "Foro antiguo" in body[body.index("<h2>Eventos anteriores</h2>") :]
    assert 'href="/es/events.ics"' in body


def test_an_empty_events_page_points_somewhere(session):
    body = fallback_body(section_meta(session, "/events", "en"))
    assert translate("events_empty", "en") in body
    assert 'href="/contact?lang=en"' in body and 'href="/follow?lang=en"' in body and 'href="/posts?lang=en"' in body


def test_events_description_does_not_say_nothing_is_scheduled_when_an_event_is(session):
    add_event(session, "Assembly in Queens", days_ago(-10))
    assert section_meta(session, "/events", "en").description != translate("events_empty", "en")


def _section(session, language: str = "es"):
    seed_database(session)
    return section_meta(session, "/contact", language)


def test_fill_replaces_the_title_and_default_tags_and_appends_text_after_the_app(session):
    meta = _section(session)
    page = fill(SHELL_WITH_TITLE, meta, text_first=False)
    tags = TagCollector(page)
    assert tags.titles == [meta.title]
    assert tags.meta("name", "description") == [meta.description]
    assert tags.meta("property", "og:image") == [f"{SITE}/og-image-es.png"]
    assert '<html lang="es"' in page
    head, body = page.split("</head>")
    assert "og:title" in head and FALLBACK_ID not in head
    frame = f'<div {SERVER_ONLY_ATTRIBUTE}="" class="{FRAME_CLASS}" lang="es">'
    assert re.search(rf'<div id="root">app</div><script>boot\(\)</script>{frame}', body)
    assert f'<div role="main"><article id="{FALLBACK_ID}"' in body
    assert body.endswith("</div></body></html>")


def test_fill_adds_a_title_to_a_shell_without_one(session):
    meta = _section(session, "en")
    page = fill(SHELL_WITHOUT_TITLE, meta)
    tags = TagCollector(page)
    assert tags.titles == [meta.title]
    assert page.index("<title") < page.index("</head>")
    assert '<html lang="en"' in page
    assert page.count(f'id="{FALLBACK_ID}"') == 1


def test_fill_survives_regex_replacement_characters_in_a_title(session):
    post = add_post(session, r"Back\1slash \g<0> and $1")
    page = fill(SHELL_WITH_TITLE, post_meta(session, post.slug))
    assert TagCollector(page).titles == [rf"Back\1slash \g<0> and $1 · {SITE_NAME}"]


def test_a_page_that_waits_for_data_shows_its_text_until_the_app_is_live(session):
    post = add_post(session, "Text first")
    head = fill(SHELL_WITH_TITLE, post_meta(session, post.slug)).split("</head>")[0]
    assert TEXT_FIRST_STYLE in head
    assert f'<style {SERVER_ONLY_ATTRIBUTE}="">.radix-themes{{visibility:hidden}}.{FRAME_CLASS}{{' in head


def test_a_page_can_show_the_app_at_once(session):
    page = fill(SHELL_WITH_TITLE, _section(session, "en"), text_first=False)
    assert TEXT_FIRST_STYLE not in page and "visibility:hidden" not in page
    assert FRAME_HIDDEN_STYLE in page  # the app's own header and footer are on screen


def test_the_servers_text_has_the_sites_header_and_footer_in_the_pages_language(session):
    post = add_post(session, "Framed")
    page = fill(SHELL_WITH_TITLE, post_meta(session, post.slug))
    body = page.split("</head>")[1]
    banner = body[body.index('<div role="banner"') : body.index('<div role="main">')]
    for label, href in [("Posts", "/posts?lang=en"), ("Events", "/events?lang=en"), ("Contact", "/contact?lang=en")]:
        assert f'<a href="{href}">{label}</a>' in banner
    assert 'href="/?lang=es" lang="es" hreflang="es" aria-label="Leer en español">Español</a>' in banner
    footer = body[body.index('<div role="contentinfo"') :]
    assert '<a href="/privacy?lang=en">Privacy</a>' in footer
    assert '<a href="/follow?lang=en">Follow our statements</a>' in footer  # the live footer's form, as a link
    assert '<a href="/feed.xml" type="application/rss+xml">RSS feed</a>' in footer
    # No second <main>, <header> or <footer> beside the app's own (hidden until it is ready).
    assert "<main" not in body and "<header" not in body and "<footer" not in body


def test_the_language_link_of_a_translated_post_leads_to_its_translation(session):
    meta = post_meta(session, _seeded(session, MYANMAR_ES).slug)
    assert meta is not None
    assert other_language_path(meta) == meta.alternates["en"]
    assert other_language_path(dataclasses.replace(meta, alternates={})) == "/?lang=en"


def test_a_lists_server_text_links_each_post_as_a_card(session):
    seed_database(session)
    body = fallback_body(section_meta(session, "/posts", "en"))
    posts = session.exec(select(Post).where(Post.language == "en", Post.status == PostStatus.PUBLISHED)).all()
    assert posts
    for post in posts:
        assert f'<h2 lang="en"><a href="/posts/{post.slug}">{html.escape(post.title)}</a></h2>' in body
    assert body.count('<article class="server-card">') >= len(posts)
    # The live page's filter and archive, as links to it.
    assert '<a href="/posts?category=open_letter&amp;lang=en">Open letters</a>' in body
    assert '<a href="/posts?year=2021&amp;lang=en">2021</a>' in body


def test_the_home_pages_server_text_has_the_live_pages_sections(session):
    seed_database(session)
    add_event(session, "Assembly in Queens", days_ago(-10), title_es="Asamblea en Queens")
    meta = section_meta(session, "/", "es")
    body = fallback_body(meta)
    assert f"<h1>{translate('home_about_heading', 'es')}</h1>" in body
    for key in ("home_latest_heading", "home_next_event_heading", "home_take_part_heading"):
        assert f"<h2>{html.escape(translate(key, 'es'))}</h2>" in body
    assert "Asamblea en Queens" in body and "/events/" in body and ".ics" in body
    assert html.escape(MYANMAR_ES) in body
    assert 'href="/posts?category=open_letter&amp;lang=es"' in body
    assert meta.title == translate("site_name", "es")  # the title and description are unchanged


@pytest.mark.parametrize(
    "route, query, expected",
    [
        ("/", set(), True),
        ("/posts", {"lang"}, True),
        ("/contact", set(), False),  # its prerendered form is the page
        ("/posts", {"category"}, False),  # the server's text is the unfiltered list
        ("/posts", {"year", "month", "lang"}, False),
        ("/posts", {"page"}, False),
    ],
)
def test_which_pages_show_the_servers_text_first(route, query, expected):
    assert shows_text_first(route, query) is expected
