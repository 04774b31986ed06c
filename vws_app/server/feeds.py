"""Machine-readable views of the content: sitemap, robots.txt and RSS feeds (event calendars: `services/calendar_files.py`)."""

import html
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from sqlmodel import Session, select

from vws_app.i18n import translate
from vws_app.models import Event, MediaImage, Post, PostStatus, as_utc, utc_now
from vws_app.services import content, media, post_pictures
from vws_app.services.image_credit import alt_text, credit_text
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
            entries.append(
                _url_entry(
                    f"{base}{path}?lang={language}", None, {code: f"{base}{path}?lang={code}" for code in ("en", "es")}
                )
            )
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
    links = (
        "".join(
            f'<xhtml:link rel="alternate" hreflang="{code}" href={quoteattr(href)}/>'
            for code, href in sorted(alternates.items())
        )
        if len(alternates) > 1
        else ""
    )
    lastmod = f"<lastmod>{modified.date().isoformat()}</lastmod>" if modified else ""
    return f"<url><loc>{escape(location)}</loc>{lastmod}{links}</url>\n"


def rss_feed(session: Session, language: str) -> bytes:
    """The latest posts in `language` (untranslated posts included, as on the site) as RSS 2.0."""
    # Imported here, not at the top: feedgen brings lxml's tree API and its own extensions (about
    # 4.6 MiB per process), which only a feed request needs, not every worker serving pages.
    from feedgen.feed import FeedGenerator

    base = site_url()
    feed = FeedGenerator()
    feed.title(translate("site_name", language))
    feed.description(translate("site_description", language))
    # feedgen's RSS <link> is the last one given: the self link first, then the site.
    feed.link(href=f"{base}{feed_path(language)}", rel="self")
    feed.link(href=f"{base}{HOME.in_language(language)}", rel="alternate")
    feed.language(language)
    feed.load_extension("media")  # a post's photo as <media:content>
    for card in reversed(content.list_posts(session, language, per_page=FEED_SIZE).cards):
        post = content.published_post(session, card.slug)
        if post is None:
            continue
        image = post_pictures.image_of(session, post)
        entry = feed.add_entry()
        entry.id(f"{base}/posts/{post.slug}")
        entry.title(post.title)
        entry.link(href=f"{base}/posts/{post.slug}")
        entry.description(feed_summary(post) + _credit_paragraph(image, post))
        # The whole post as the live page shows it (`content:encoded`, namespace declared by feedgen).
        entry.content(_feed_figure(image, post) + post_body_html(post), type="CDATA")
        if image is not None:
            largest = media.largest(image)
            entry.media.content(
                url=_absolute(largest.jpeg_url),
                type="image/jpeg",
                medium="image",
                width=str(largest.width),
                height=str(largest.height),
                group=None,
            )
        entry.published(as_utc(post.published_at))
        entry.updated(as_utc(post.updated_at))
    return feed.rss_str(pretty=True)


def _absolute(url: str) -> str:
    """`url` with the site's address in front when it is a path."""
    return url if url.startswith("http") else site_url() + url


def _credit_paragraph(image: MediaImage | None, post: Post) -> str:
    """The photo's credit in the post's language, or its source line, as a paragraph of the item's summary."""
    text = credit_text(image, post.language) if image is not None else post_pictures.source_line_text(post)
    return f"<p>{html.escape(text)}</p>" if text else ""


def _feed_figure(image: MediaImage | None, post: Post) -> str:
    """The photo above the item's text: the one fallback JPEG (feed readers rarely choose from a `srcset`)."""
    if image is None:
        return ""
    alt = html.escape(alt_text(image, post.language))
    credit = html.escape(credit_text(image, post.language))
    return (
        f'<figure><img src="{html.escape(_absolute(media.fallback_url(image)))}" alt="{alt}"/>'
        f"<figcaption>{credit}</figcaption></figure>"
    )


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
