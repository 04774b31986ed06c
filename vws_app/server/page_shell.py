"""The compiled page files, read once and re-read when a rebuild changes them."""

import html
import re
from pathlib import Path

from reflex.utils import prerequisites
from reflex_base import constants

from vws_app.server.deferred_scripts import defer_app_scripts
from vws_app.services.seo import (
    SERVER_ONLY_ATTRIBUTE,
    PageMeta,
    fallback_body,
    head_tags,
    other_language_path,
    posts_feed_path,
)
from vws_app.services.server_frame import FRAME_CLASS, framed
from vws_app.services.site_routes import FILLED_SECTIONS

_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
_DESCRIPTION = re.compile(r'<meta content="[^"]*" name="description"/>')
_DEFAULT_OG_IMAGE = re.compile(r'<meta content="[^"]*" property="og:image"/>')
# Static files per route, relative to the build; anything else uses the SPA shell.
PRERENDERED = {path: route.prerendered_file for path, route in FILLED_SECTIONS.items()}
SHELL_CANDIDATES = ("__spa-fallback.html", "404.html")
# Pages whose prerendered file already shows what the visitor came for (nothing to load).
COMPLETE_WITHOUT_DATA = {path for path, route in FILLED_SECTIONS.items() if route.complete_without_data}
# Query parameters that change what a page lists but not the text the server writes (which is
# the unfiltered page's): with any of them the app shows itself at once.
LIST_FILTERS = {"category", "year", "month", "page"}
# Readers the app never comes to on a page whose server frame is complete: a touch screen, no scripts.
NO_APP_MEDIA = "@media (pointer: coarse), (scripting: none)"
# Until the app has hydrated, show the server's text in its frame (header and footer, see
# services/server_frame.py) where the page will be, and keep the app (still without its data: an
# empty home, a blank post) out of sight. On a slow phone that is seconds of reading instead of a
# blank screen. The live page removes this style and the frame (`components/document_language.py`);
# the app just appears. The frame's look is in assets/reading.css (cached with the stylesheet).
TEXT_FIRST_STYLE = (
    f'<style {SERVER_ONLY_ATTRIBUTE}="">'
    ".radix-themes{visibility:hidden}"
    f".{FRAME_CLASS}{{position:absolute;top:0;left:0;right:0}}"
    # Where the app never comes (a phone, no JavaScript: `server/deferred_scripts.py`), it is not
    # laid out at all: less work for a phone's processor, and no empty space under the frame.
    f"{NO_APP_MEDIA}{{.radix-themes{{display:none}}}}"
    "</style>"
)
# Where the app shows at once, its own header and footer are on screen: the server's text (there
# for crawlers, and until the page is ready) goes without its frame's.
FRAME_HIDDEN_STYLE = f'<style {SERVER_ONLY_ATTRIBUTE}="">.server-header,.server-footer{{display:none}}</style>'


def build_dir() -> Path:
    """Where the production build's static files are."""
    return prerequisites.get_web_dir() / constants.Dirs.STATIC


class ShellCache:
    """Page files by name, cached with their modification time."""

    def __init__(self) -> None:
        self._files: dict[Path, tuple[float, str]] = {}

    def read(self, name: str) -> str | None:
        """The file's text, or None while it does not exist (e.g. during a rebuild)."""
        path = build_dir() / name
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        cached = self._files.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        text = path.read_text(encoding="utf-8")
        self._files[path] = (mtime, text)
        return text

    def page_for(self, route: str) -> str | None:
        """The prerendered file of `route`, else the SPA shell; None when the build is missing."""
        names = ((PRERENDERED[route],) if route in PRERENDERED else ()) + SHELL_CANDIDATES
        for name in names:
            text = self.read(name)
            if text is not None:
                return text
        return None


def shows_text_first(route: str, query_names: set[str]) -> bool:
    """Whether the server's text is what the reader should see until the app has its content."""
    return route not in COMPLETE_WITHOUT_DATA and not query_names & LIST_FILTERS


def fill(page: str, meta: PageMeta, *, text_first: bool = True) -> str:
    """`page` with this page's title and tags in `<head>`, its text at the end of `<body>`.

    The text goes after everything React owns, so hydration is untouched; the page's
    `on_load` removes it once the live page is there. Its scripts are fetched after the
    first paint (`defer_app_scripts`).
    """
    page = defer_app_scripts(page)
    if _TITLE.search(page):
        page = _TITLE.sub(lambda _m: f"<title>{html.escape(meta.title)}</title>", page, count=1)
    else:  # the SPA shell has none; the live page sets its own and drops this one
        page = page.replace("</head>", f'<title {SERVER_ONLY_ATTRIBUTE}="">{html.escape(meta.title)}</title></head>', 1)
    page = _DESCRIPTION.sub("", page)
    page = _DEFAULT_OG_IMAGE.sub("", page)
    page = page.replace('<html lang="en"', f'<html lang="{meta.language}"', 1)
    style = TEXT_FIRST_STYLE if text_first else FRAME_HIDDEN_STYLE
    page = page.replace("</head>", head_tags(meta) + style + "</head>", 1)
    text = framed(
        fallback_body(meta),
        language=meta.language,
        other_language_href=other_language_path(meta),
        feed_href=posts_feed_path(meta.language),
        marker=SERVER_ONLY_ATTRIBUTE,
        complete=text_first,
    )
    return page.replace("</body>", text + "</body>", 1)
