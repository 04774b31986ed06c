"""Machine-readable views of the content: sitemap, robots.txt and RSS feeds (event calendars: `services/calendar_files.py`)."""

import html
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from feedgen.feed import FeedGenerator
from sqlmodel import Session, select

from vws_app.i18n import translate
from vws_app.models import Event, Post, PostStatus, as_utc, utc_now
from vws_app.services import content
from vws_app.services.markdown import render_markdown
from vws_app.services.rendered_text import post_body_html
from vws_app.services.seo import posts_feed_path
from vws_app.services.site_routes import HOME, SITEMAP_SECTIONS
from vws_app.settings import site_url

FEED_SIZE = 20
SUMMARY_SOURCE_LENGTH = 500  # characters of a body without an excerpt that the feed shows
SECTION_PATHS = tuple(route.path for route in SITEMAP_SECTIONS)


def robots_txt() -> str:
    """Everything public may be crawled; the admin may not; the sitemap is named."""
    return f"User-agent: *\nAllow: /\nDisallow: /admin\nSitemap: {site_url()}/sitemap.xml\n"


def sitemap_xml(session: Session) -> str:
    """Every public section in both languages, every published post and every event page, with alternates."""
    base = site_url()
    entries = []
    for path in SECTION_PATHS:
        for language in ("en", "es"):
            entries.append(_url_entry(f"{base}{path}?lang={language}", None, {
                code: f"{base}{path}?lang={code}" for code in ("en", "es")
            }))
    posts = session.exec(
        select(Post).where(Post.status == PostStatus.PUBLISHED.value, Post.published_at <= utc_now())
    ).all()
    slugs = {(post.translation_key, post.language): post.slug for post in posts}
    for post in posts:
        alternates = {
            code: f"{base}/posts/{slugs[(post.translation_key, code)]}"
            for code in ("en", "es")
            if (post.translation_key, code) in slugs
        }
        entries.append(_url_entry(f"{base}/posts/{post.slug}", as_utc(post.updated_at), alternates))
    for event in session.exec(select(Event).order_by(Event.id)).all():  # every event keeps its page
        pages = {code: f"{base}/events/{event.id}?lang={code}" for code in ("en", "es")}
        for code in ("en", "es"):
            entries.append(_url_entry(pages[code], as_utc(event.updated_at), pages))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "".join(entries) + "</urlset>\n"
    )


def _url_entry(location: str, modified: datetime | None, alternates: dict[str, str]) -> str:
    """One `<url>` of the sitemap, with its language alternates when it has a translation."""
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang="{code}" href={quoteattr(href)}/>'
        for code, href in sorted(alternates.items())
    ) if len(alternates) > 1 else ""
    lastmod = f"<lastmod>{modified.date().isoformat()}</lastmod>" if modified else ""
    return f"<url><loc>{escape(location)}</loc>{lastmod}{links}</url>\n"


def rss_feed(session: Session, language: str) -> bytes:
    """The latest posts in `language` (untranslated posts included, as on the site) as RSS 2.0."""
    base = site_url()
    feed = FeedGenerator()
    feed.title(translate("site_name", language))
    feed.description(translate("site_description", language))
    # feedgen's RSS <link> is the last one given: the self link first, then the site.
    feed.link(href=f"{base}{feed_path(language)}", rel="self")
    feed.link(href=f"{base}{HOME.in_language(language)}", rel="alternate")
    feed.language(language)
    for card in reversed(content.list_posts(session, language, per_page=FEED_SIZE).cards):
        post = content.published_post(session, card.slug)
        if post is None:
            continue
        entry = feed.add_entry()
        entry.id(f"{base}/posts/{post.slug}")
        entry.title(post.title)
        entry.link(href=f"{base}/posts/{post.slug}")
        entry.description(feed_summary(post))
        # The whole post as the live page shows it (`content:encoded`, namespace declared by feedgen).
        entry.content(post_body_html(post), type="CDATA")
        entry.published(as_utc(post.published_at))
        entry.updated(as_utc(post.updated_at))
    return feed.rss_str(pretty=True)


def feed_summary(post: Post) -> str:
    """A post's summary as the sanitised HTML the site itself shows, never the editor's raw input.

    The excerpt is plain text on the site (escaped, its line breaks kept); a post without one
    shows the start of its body, rendered from Markdown and sanitised like the post page.
    """
    if post.excerpt.strip():
        paragraphs = [part.strip() for part in post.excerpt.split("\n\n") if part.strip()]
        return "".join(f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)
    body = post.body
    if len(body) > SUMMARY_SOURCE_LENGTH:
        body = body[:SUMMARY_SOURCE_LENGTH].rsplit(" ", 1)[0] + " …"
    return render_markdown(body)


def feed_path(language: str) -> str:
    """`/feed.xml` for English, `/es/feed.xml` for Spanish (the pages' autodiscovery links name the same)."""
    return posts_feed_path(language)
