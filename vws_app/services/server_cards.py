"""Lists as the server writes them: post cards, the next meeting and the ways to take part.

The server's page of the home and the post list is what a phone shows (it does not load the
app on reading pages, see `server/deferred_scripts.py`), what a reader without JavaScript and a
crawler read. So it says what the live page says, from the same services and catalogue keys
(`components/post_card.py`, `pages/home.py`): badges, date, title, excerpt, signatures, the
link to the translation, the photo of the post that leads. Every value is escaped here.
"""

import html

from vws_app.i18n import translate
from vws_app.services.archive import ArchiveYear
from vws_app.services.content import EventView, PostCard
from vws_app.services.home_page import TAKE_PART, NextMeeting
from vws_app.services.post_pictures import SERVER_TEXT_SIZES, picture_html
from vws_app.services.site_routes import CONTACT, FOLLOW, POSTS


def _text(key: str, language: str) -> str:
    return html.escape(translate(key, language))


def _badges(card: PostCard, language: str) -> str:
    code = card.language
    return (
        f'<p class="server-card-meta"><abbr class="server-badge" title="{_text("language_name_" + code, language)}">'
        f"{code.upper()}</abbr>"
        f'<span class="server-badge">{_text("category_" + card.category, language)}</span>'
        f"<span>{html.escape(card.date_label)}</span></p>"
    )


def post_card_html(card: PostCard, language: str, heading: str = "h3", *, leads: bool = False) -> str:
    """One post as a card, in the reader's `language`; the card that `leads` shows its photo first."""
    parts = []
    if leads and card.picture.src:
        parts.append(picture_html(card.picture, SERVER_TEXT_SIZES, card.language))
    parts.append(_badges(card, language))
    title = html.escape(card.title)
    parts.append(f'<{heading} lang="{card.language}"><a href="/posts/{html.escape(card.slug)}">{title}</a></{heading}>')
    if card.only_in_language:
        parts.append(f'<p class="server-note">{_text("post_only_in_" + card.only_in_language, language)}</p>')
    parts.append(f'<p class="server-excerpt" lang="{card.language}">{html.escape(card.excerpt)}</p>')
    if card.signature_label:
        parts.append(f'<p class="server-note">{html.escape(card.signature_label)}</p>')
    if card.translation_slug:
        other = card.translation_language
        parts.append(
            f'<p><a href="/posts/{html.escape(card.translation_slug)}" hreflang="{other}" lang="{other}">'
            f"{_text('post_translation_' + other, language)}</a></p>"
        )
    return f'<article class="server-card">{"".join(parts)}</article>'


def post_cards_html(cards: list[PostCard], language: str, heading: str = "h3", *, first_leads: bool = False) -> str:
    """Cards for `cards`, the first with its photo when `first_leads`."""
    return "".join(
        post_card_html(card, language, heading, leads=first_leads and index == 0) for index, card in enumerate(cards)
    )


def next_meeting_html(meetings: list[NextMeeting], language: str) -> str:
    """The home page's next meeting, or where to go while none is planned."""
    if meetings:
        body = event_card_html(meetings[0].event, language, calendar_href=meetings[0].ics_path)
    else:
        body = f"<p>{_text('events_empty', language)}</p>" + _pointers(
            language, ("home_take_part_write", CONTACT.path), ("empty_follow", FOLLOW.path)
        )
    return f'<section class="server-section"><h2>{_text("home_next_event_heading", language)}</h2>{body}</section>'


def _in_language(href: str, language: str) -> str:
    """`href` with `lang=` added, so a reader without the app stays in their language."""
    return f"{href}{'&' if '?' in href else '?'}lang={language}"


def take_part_html(language: str) -> str:
    """The ways to take part, as on the live home page."""
    items = "".join(
        f'<li><a href="{html.escape(_in_language(href, language))}"><strong>'
        f"{_text(link, language)}</strong></a><br>{_text(line, language)}</li>"
        for link, line, href in TAKE_PART
    )
    return (
        f'<section class="server-section"><h2>{_text("home_take_part_heading", language)}</h2>'
        f'<ul class="server-take-part">{items}</ul></section>'
    )


def _pointers(language: str, *targets: tuple[str, str]) -> str:
    """Where to go from an empty list, as the live page's `pointer_links`."""
    links = " · ".join(
        f'<a href="{html.escape(_in_language(href, language))}">{_text(key, language)}</a>' for key, href in targets
    )
    return f"<p>{links}</p>"


def event_card_html(event: EventView, language: str, heading: str = "h3", calendar_href: str = "") -> str:
    """One meeting as a card: title, when, where, the next dates of a series, the link to its page
    (and to its calendar file when given: the home page's next meeting)."""
    href = f"/events/{event.id}"
    parts = []
    if event.cancelled:
        parts.append(
            f'<p class="server-card-meta"><span class="server-badge">{_text("events_cancelled", language)}</span></p>'
        )
    parts.append(f'<{heading}><a href="{href}">{html.escape(event.title)}</a></{heading}>')
    parts.append(f"<p><strong>{html.escape(event.date_label)} · {html.escape(event.time_label)}</strong></p>")
    if event.place:
        parts.append(f"<p>{_text('events_place', language)}: {html.escape(event.place)}</p>")
    if event.is_online:
        parts.append(f'<p class="server-note">{_text("events_online_private", language)}</p>')
    if event.next_dates:
        dates = html.escape("; ".join(event.next_dates))
        parts.append(f'<p class="server-note">{_text("events_next_dates", language)}: {dates}</p>')
    calendar = ""
    if calendar_href:
        calendar = f'<a href="{html.escape(calendar_href)}">{_text("events_add_to_calendar", language)}</a> · '
    parts.append(f'<p>{calendar}<a href="{href}">{_text("events_details", language)}</a></p>')
    return f'<article class="server-card">{"".join(parts)}</article>'


def events_html(
    upcoming: list[EventView], past: list[tuple[int, list[EventView]]], language: str, calendar_feed: str
) -> str:
    """The events page as the live one: the calendar feed, upcoming meetings (or where to go), past ones by year."""
    feed = f'<p><a href="{html.escape(calendar_feed)}">{_text("events_subscribe_calendar", language)}</a></p>'
    if upcoming:
        coming = "".join(event_card_html(event, language) for event in upcoming)
    else:
        coming = f"<p>{_text('events_empty', language)}</p>" + _pointers(
            language, ("home_cta_button", CONTACT.path), ("empty_follow", FOLLOW.path), ("empty_read_posts", POSTS.path)
        )
    if past:
        earlier = "".join(
            f"<h3>{year}</h3>" + "".join(event_card_html(event, language, "h4") for event in events)
            for year, events in past
        )
    else:
        earlier = f'<p class="server-note">{_text("events_past_empty", language)}</p>'
    return (
        f'{feed}<section class="server-section"><h2>{_text("events_upcoming", language)}</h2>{coming}</section>'
        f'<section class="server-section"><h2>{_text("events_past", language)}</h2>{earlier}</section>'
    )


def allies_empty_html(language: str) -> str:
    """What the allies page says while none is listed, and where to go."""
    return f"<p>{_text('allies_empty', language)}</p>" + _pointers(
        language, ("footer_contact", CONTACT.path), ("empty_read_posts", POSTS.path)
    )


def posts_navigation_html(categories: list[str], years: list[ArchiveYear], language: str) -> str:
    """The post list's category filter and archive, as links (each list is the live page's, which they open)."""
    category_links = " · ".join(
        f'<a href="{html.escape(_in_language(f"{POSTS.path}?category={code}", language))}">'
        f"{_text('category_' + code, language)}</a>"
        for code in categories
    )
    year_links = " · ".join(
        f'<a href="{html.escape(_in_language(f"{POSTS.path}?year={year.year}", language))}">{year.year}</a>'
        f" ({year.count})"
        for year in years
    )
    parts = [f'<p role="navigation" aria-label="{_text("posts_filter_label", language)}">{category_links}</p>']
    if years:
        parts.append(
            f'<p role="navigation" aria-label="{_text("posts_archive_label", language)}">'
            f"<strong>{_text('posts_archive_heading', language)}:</strong> {year_links}</p>"
        )
    return "".join(parts)
