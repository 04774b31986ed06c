"""The header and footer the server writes around its own text of a page.

Until the app runs (a slow phone's first seconds, a reader without JavaScript, a crawler),
the server's text is what the reader sees; without a frame it was a page with no way to the
rest of the site. The frame is the live page's header and footer in plain HTML, in the page's
language: the mark, the sections, the other language, and the footer's links and feed.
Links carry `?lang=` so a reader without JavaScript stays in the language they chose.

Its landmarks are ARIA roles on `div`s, not `<header>`/`<main>`/`<footer>`: the app's own
landmarks are in the same document (hidden until it is ready), and roles of hidden elements
are not exposed, so assistive technology and role queries always find exactly one of each.
The whole frame carries `SERVER_ONLY_ATTRIBUTE`, so the live page removes it with the text.
"""

import html

from vws_app.i18n import OTHER_LANGUAGE, translate
from vws_app.services.site_routes import FOLLOW, FOOTER_LINKS, HEADER_NAV, HOME, SEARCH, SiteRoute

FRAME_CLASS = "server-frame"
# On the frame of a page that is whole without the app (see `framed`).
COMPLETE_ATTRIBUTE = "data-complete-without-app"
# On the frame of a page that is whole without the app on a touch screen, whose style shows the
# server's form there (`server/form_post.py`); elsewhere the app's own form is on screen.
COMPLETE_ON_TOUCH_ATTRIBUTE = "data-complete-on-touch"
MARK_SIZE = 36  # px, as the live header's mark


def _link(href: str, text: str, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{html.escape(value)}"' for name, value in attributes.items())
    return f'<a href="{html.escape(href)}"{extra}>{html.escape(text)}</a>'


def _section_link(route: SiteRoute, key: str, language: str) -> str:
    return _link(route.in_language(language), translate(key, language))


def frame_header(language: str, other_language_href: str) -> str:
    """The mark, the sections and the link to the other language."""
    other = OTHER_LANGUAGE[language]
    mark = (
        f'<a class="server-mark" href="{html.escape(HOME.in_language(language))}">'
        f'<img alt="" src="/favicon.svg" width="{MARK_SIZE}" height="{MARK_SIZE}">'
        f"<span>{html.escape(translate('site_name', language))}</span></a>"
    )
    sections = "".join(_section_link(route, route.nav_key, language) for route in HEADER_NAV)
    switch = _link(
        other_language_href,
        translate("language_switch", language),
        lang=other,
        hreflang=other,
        aria_label=translate("language_switch_label", language),
    )
    return (
        f'<div role="banner" class="server-header">{mark}'
        f'<div role="navigation" aria-label="{html.escape(translate("nav_label", language))}">{sections}</div>'
        f"{switch}</div>"
    )


def search_form(language: str) -> str:
    """The live header's search, as a plain form (the results page is the app's)."""
    label = html.escape(translate("search_label", language))
    return (
        f'<form role="search" aria-label="{label}" class="server-search" action="{SEARCH.path}" method="get">'
        f'<input type="hidden" name="lang" value="{language}">'
        f'<label for="server-search-q">{label}</label>'
        f'<input id="server-search-q" type="search" name="q" maxlength="200" required>'
        f'<button type="submit">{html.escape(translate("search_submit", language))}</button></form>'
    )


def frame_footer(language: str, feed_href: str) -> str:
    """The search, the footer's links and the feed, as in the live page; its mailing-list form becomes a link."""
    links = "".join(_section_link(route, route.footer_key, language) for route in FOOTER_LINKS)
    links += _section_link(FOLLOW, FOLLOW.title_key, language)
    feed = _link(feed_href, translate("footer_feed", language), type="application/rss+xml")
    return (
        f'<div role="contentinfo" class="server-footer">{search_form(language)}'
        f"<span>{html.escape(translate('footer_rights', language))}</span>{links}{feed}</div>"
    )


def framed(
    text_html: str, *, language: str, other_language_href: str, feed_href: str, marker: str, complete: bool = False
) -> str:
    """`text_html` (the page's own text) inside the frame; `marker` is the attribute the live page removes.

    `complete`: the frame and text are the whole page for a reader (links and forms work without the
    app), which lets a browser that asked to save data skip the app (`server/deferred_scripts.py`).
    """
    mark_complete = f' {COMPLETE_ATTRIBUTE}=""' if complete else ""
    return (
        f'<div {marker}=""{mark_complete} class="{FRAME_CLASS}" lang="{language}">'
        f"{frame_header(language, other_language_href)}"
        f'<div role="main">{text_html}</div>'
        f"{frame_footer(language, feed_href)}</div>"
    )


def marked_complete_on_touch(page: str) -> str:
    """`page` with its frame marked `COMPLETE_ON_TOUCH_ATTRIBUTE`."""
    return page.replace(f'class="{FRAME_CLASS}"', f'{COMPLETE_ON_TOUCH_ATTRIBUTE}="" class="{FRAME_CLASS}"', 1)
