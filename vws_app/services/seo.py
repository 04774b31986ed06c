"""What search engines and link previews read about a page: title, description, links, text."""

import dataclasses
import html
import json

from sqlmodel import Session

from vws_app.i18n import (
    DEFAULT_LANGUAGE,
    OTHER_LANGUAGE,
    SUPPORTED_LANGUAGES,
    format_date,
    normalise_language,
    translate,
)
from vws_app.models import MediaImage, Post, PostCategory, as_utc
from vws_app.services import (
    archive,
    content,
    home_page,
    letters_public,
    media,
    post_pictures,
    privacy_page,
    server_cards,
)
from vws_app.services.calendar_files import feed_path as calendar_feed_path
from vws_app.services.image_credit import alt_text, credit_text, image_object
from vws_app.services.rendered_text import post_body_html, post_summary_text
from vws_app.services.site_routes import ALLIES, EVENTS, FOLLOW, HOME, POSTS, PRIVACY, filled_section
from vws_app.settings import site_url

OG_LOCALES = {"en": "en_US", "es": "es_VE"}
# The link preview of a page without its own picture: the mark and the site's name in the
# page's language (drawn by scripts/make_brand_images.py).
DEFAULT_IMAGES = {"en": "/og-image.png", "es": "/og-image-es.png"}
DEFAULT_IMAGE = DEFAULT_IMAGES["en"]
DESCRIPTION_LENGTH = 200
X_DEFAULT = "x-default"  # the version for readers of neither language: the English one when there is one


@dataclasses.dataclass(frozen=True)
class PageMeta:
    """The tags and text a server-rendered page carries; every value is plain text, escaped on output."""

    title: str
    description: str
    path: str
    language: str
    image: str = ""  # empty: the default picture in the page's language
    image_width: int = 0  # of `image`, with its height and description, when the page has its own photo
    image_height: int = 0
    image_alt: str = ""
    og_type: str = "website"
    alternates: dict[str, str] = dataclasses.field(default_factory=dict)
    heading: str = ""
    paragraphs: list[str] = dataclasses.field(default_factory=list)
    body_html: str = ""  # a post's body as the live page renders and sanitises it (`services/rendered_text.py`)
    json_ld: str = ""  # structured data (schema.org), already serialised safely for a <script> block
    extra_html: str = ""  # already-escaped HTML after the paragraphs (a letter's form and names, an event's RSVP form)
    paragraph_links: dict[str, str] = dataclasses.field(default_factory=dict)  # a paragraph's text -> where it leads


def default_image(language: str) -> str:
    """The site's own link-preview picture in `language`."""
    return DEFAULT_IMAGES[normalise_language(language)]


def posts_feed_path(language: str) -> str:
    """`/feed.xml` for English, `/es/feed.xml` for Spanish."""
    return "/feed.xml" if language == "en" else f"/{language}/feed.xml"


def other_language_path(meta: PageMeta) -> str:
    """Where this page is in the other language: its translation, else the home page in that language."""
    other = OTHER_LANGUAGE[meta.language]
    return meta.alternates.get(other) or HOME.in_language(other)


def _shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def section_meta(session: Session, path: str, language: str) -> PageMeta | None:
    """Meta for a section the server fills (`site_routes.FILLED_SECTIONS`) in `language`; None for other paths."""
    language = normalise_language(language)
    route = filled_section(path)
    if route is None or not route.description_key:
        return None
    lines = _section_text(session, route.name, language)
    paragraphs = [text for text, _href in lines]  # the description's source
    shown = [] if route is EVENTS else paragraphs  # the events page's cards say it all (`_section_html`)
    describes_itself = route.describes_itself and paragraphs
    description = _shorten(paragraphs[0]) if describes_itself else translate(route.description_key, language)
    return PageMeta(
        title=_page_title(translate(route.title_key, language), language, route is HOME),
        description=description,
        path=route.in_language(language),
        language=language,
        alternates={code: route.in_language(code) for code in SUPPORTED_LANGUAGES},
        heading=translate(route.first_heading_key, language),
        paragraphs=shown,
        paragraph_links={text: href for text, href in lines if href},
        extra_html=_section_html(session, route.name, language),
    )


def _page_title(title: str, language: str, is_home: bool) -> str:
    """ "Events · Venezuelan Workers Solidarity"; the home page is just the site's name."""
    site = translate("site_name", language)
    return site if is_home else f"{title} · {site}"


def _section_text(session: Session, name: str, language: str) -> list[tuple[str, str]]:
    """The text a reader of a section (by its name in the route table) sees first, for robots that run no
    JavaScript: its lines, each with the address it leads to ("" for none), so the posts, meetings and allies
    a list names can be followed without the app."""
    if name == HOME.name:  # its posts and meeting are cards (`_section_html`)
        texts = content.site_texts(session, language)
        return [(texts.get("mission", ""), ""), (texts.get("goal", ""), "")]
    if name == POSTS.name:  # cards only
        return []
    if name == EVENTS.name:
        events = content.upcoming_events(session, language)
        lines = [(f"{event.title} — {event.date_label}", f"/events/{event.id}") for event in events]
        return lines or [(translate("events_empty", language), "")]
    if name == ALLIES.name:
        allies = content.allies(session, language)
        return [(f"{ally.name}: {ally.description}", _web_address(ally.url)) for ally in allies]
    if name == FOLLOW.name:
        return [(translate("follow_intro", language), "")]
    if name == PRIVACY.name:
        return [(line, "") for line in privacy_page.readable_text(session, language)]
    return [(translate("contact_intro", language), "")]


def _web_address(url: str) -> str:
    """`url` when it is a web address (an ally's site), else "" (no link)."""
    return url if url.startswith(("https://", "http://")) else ""


def _section_html(session: Session, name: str, language: str) -> str:
    """What a section's server page shows after its lines, as the live page does: cards, the next meeting."""
    if name == HOME.name:
        featured, others = home_page.featured_first(content.latest_posts(session, language))
        all_posts = (
            f'<p><a href="{POSTS.in_language(language)}">{html.escape(translate("home_all_posts", language))}</a></p>'
        )
        return (
            f'<section class="server-section"><h2>{html.escape(translate("home_latest_heading", language))}</h2>'
            f"{server_cards.post_cards_html([*featured, *others], language, first_leads=True)}{all_posts}</section>"
            f"{server_cards.next_meeting_html(home_page.next_meetings(session, language), language)}"
            f"{server_cards.take_part_html(language)}"
        )
    if name == POSTS.name:
        listed = content.list_posts(session, language)
        more = ""
        if listed.page_count > 1:
            older = html.escape(f"{POSTS.path}?page=2&lang={language}")
            more = f'<p><a href="{older}">{html.escape(translate("posts_next", language))}</a></p>'
        navigation = server_cards.posts_navigation_html(
            [category.value for category in PostCategory], archive.archive(session, language), language
        )
        return navigation + server_cards.post_cards_html(listed.cards, language, "h2") + more
    if name == EVENTS.name:
        return server_cards.events_html(
            content.upcoming_events(session, language),
            content.past_events_by_year(session, language),
            language,
            calendar_feed_path(language),
        )
    if name == ALLIES.name and not content.allies(session, language):
        return server_cards.allies_empty_html(language)
    return ""


def post_meta(session: Session, slug: str) -> PageMeta | None:
    """Meta for a published post in its own language, linked to its translation; None if unknown."""
    post = content.published_post(session, slug)
    if post is None:
        return None
    alternates = {post.language: f"/posts/{post.slug}"}
    translation = content.published_translation(session, post)
    if translation is not None:
        alternates[translation.language] = f"/posts/{translation.slug}"
    alternates[X_DEFAULT] = alternates.get(DEFAULT_LANGUAGE, alternates[post.language])
    letter = letters_public.letter_of_post(session, post.translation_key)
    signed = f"{letters_public.sign_on_view(letter, post.language).count_text}. " if letter is not None else ""
    meta = PageMeta(
        title=_page_title(post.title, post.language, is_home=False),
        description=_shorten(signed + post_summary_text(post)),
        path=f"/posts/{post.slug}",
        language=post.language,
        image=post.image_path,
        og_type="article",
        alternates=alternates,
        heading=post.title,
        paragraphs=[format_date(post.published_at, post.language)],
        body_html=post_pictures.post_picture_html(session, post) + page_body_html(post),
    )
    image = post_pictures.image_of(session, post)
    return _with_photo(meta, post, image) if image is not None else meta


def _with_photo(meta: PageMeta, post: Post, image: MediaImage) -> PageMeta:
    """`meta` previewing the post's own photo: its largest rendition, size, description and credit."""
    preview = media.largest(image)
    credit = credit_text(image, post.language)
    fits = credit and len(meta.description) + len(credit) + 1 <= DESCRIPTION_LENGTH
    return dataclasses.replace(
        meta,
        description=f"{meta.description} {credit}" if fits else meta.description,
        image=preview.jpeg_url,
        image_width=preview.width,
        image_height=preview.height,
        image_alt=alt_text(image, post.language),
        json_ld=json_for_script(article_data(post, image_object(image, site_url(), post.language))),
    )


def article_data(post: Post, image: dict) -> dict:
    """schema.org/Article for a post, its photo an `ImageObject` (with `creditText` and `license`)."""
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": post.title,
        "inLanguage": post.language,
        "url": f"{site_url()}/posts/{post.slug}",
        "datePublished": as_utc(post.published_at).isoformat() if post.published_at else None,
        "image": image,
        "publisher": {"@type": "Organization", "name": translate("site_name", post.language), "url": site_url()},
    }


def json_for_script(data: dict) -> str:
    """`data` as JSON safe inside a `<script>` block: no text in it can close the block or open a comment."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_body_html(post: Post) -> str:
    """A post's body as the live page shows it (same class, same styles), for readers without JavaScript."""
    note = (
        f'<p class="excerpt-note">{html.escape(translate("post_excerpt_note", post.language))}</p>'
        if post.body_is_excerpt
        else ""
    )
    return f'{note}<div class="post-body">{post_body_html(post)}</div>'


def head_tags(meta: PageMeta) -> str:
    """The `<head>` tags of a page: description, canonical, Open Graph, Twitter card, hreflang."""
    base = site_url()
    escape = html.escape
    image = meta.image or default_image(meta.language)
    image = image if image.startswith("http") else base + image
    tags = [
        f'<meta name="description" content="{escape(meta.description)}"/>',
        f'<link rel="canonical" href="{escape(base + meta.path)}"/>',
        f'<meta property="og:title" content="{escape(meta.title)}"/>',
        f'<meta property="og:description" content="{escape(meta.description)}"/>',
        f'<meta property="og:type" content="{meta.og_type}"/>',
        f'<meta property="og:url" content="{escape(base + meta.path)}"/>',
        f'<meta property="og:image" content="{escape(image)}" {SERVER_ONLY_ATTRIBUTE}=""/>',
        *_image_detail_tags(meta),
        f'<meta property="og:locale" content="{OG_LOCALES[meta.language]}"/>',
        f'<meta property="og:site_name" content="{escape(translate("site_name", meta.language))}"/>',
        '<meta name="twitter:card" content="summary_large_image"/>',
    ]
    other = OTHER_LANGUAGE[meta.language]
    if other in meta.alternates:
        tags.append(f'<meta property="og:locale:alternate" content="{OG_LOCALES[other]}"/>')
    tags += [
        f'<link rel="alternate" hreflang="{code}" href="{escape(base + href)}"/>'
        for code, href in sorted(meta.alternates.items())
    ]
    feed_title = f"{translate('site_name', meta.language)} (RSS)"
    tags.append(
        f'<link rel="alternate" type="application/rss+xml" title="{escape(feed_title)}"'
        f' href="{escape(base + posts_feed_path(meta.language))}"/>'
    )
    if meta.json_ld:
        tags.append(f'<script type="application/ld+json">{meta.json_ld}</script>')
    return "".join(tags)


def _image_detail_tags(meta: PageMeta) -> list[str]:
    """Size and description of a page's own photo (the site's default picture needs none)."""
    if not meta.image_width:
        return []
    alt = html.escape(meta.image_alt)
    return [
        f'<meta property="og:image:width" content="{meta.image_width}" {SERVER_ONLY_ATTRIBUTE}=""/>',
        f'<meta property="og:image:height" content="{meta.image_height}" {SERVER_ONLY_ATTRIBUTE}=""/>',
        f'<meta property="og:image:alt" content="{alt}" {SERVER_ONLY_ATTRIBUTE}=""/>',
        f'<meta name="twitter:image:alt" content="{alt}" {SERVER_ONLY_ATTRIBUTE}=""/>',
    ]


def _paragraph(text: str, href: str) -> str:
    """One paragraph of the server's text, a link when it names something with its own page."""
    if not href:
        return f"<p>{html.escape(text)}</p>"
    return f'<p><a href="{html.escape(href)}">{html.escape(text)}</a></p>'


def fallback_body(meta: PageMeta) -> str:
    """The page's heading and text as plain HTML, for readers that run no JavaScript."""
    paragraphs = "".join(
        _paragraph(text, meta.paragraph_links.get(text, "")) for text in meta.paragraphs if text.strip()
    )
    return (
        f'<article id="{FALLBACK_ID}" lang="{meta.language}">'
        f"<h1>{html.escape(meta.heading)}</h1>{paragraphs}{meta.body_html}{meta.extra_html}</article>"
    )


FALLBACK_ID = "server-rendered-text"
# Marks tags the live page replaces with its own once it runs (so none is there twice).
SERVER_ONLY_ATTRIBUTE = "data-server-only"
