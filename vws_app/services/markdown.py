"""Markdown to HTML that is safe to put on the public site, whoever wrote the text."""

import re

import nh3
from markdown_it import MarkdownIt

# `html=False` escapes raw HTML in the source; nh3 then removes anything that
# still is not plain formatting (event handlers, `javascript:` links, iframes).
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
# An image alone in its paragraph, as nh3 writes it (attributes quoted, values escaped).
_LONE_IMAGE = re.compile(r"<p>(<img [^>]*>)</p>")
_TITLE = re.compile(r' title="([^"]*)"')
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(source: str) -> str:
    """Sanitised HTML for `source`: only formatting survives, links open as plain `http(s)`/`mailto` links."""
    # The page title is the only <h1>: a "# heading" in a body becomes an <h2>.
    html = _renderer.render(source or "").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return _LONE_IMAGE.sub(_as_figure, clean)


def _as_figure(match: re.Match[str]) -> str:
    """An image on its own line as a figure; its Markdown title (`![alt](src "caption")`) is the caption.

    The title is already escaped by nh3, so it goes into the caption as it is.
    """
    image = match[1]
    title = _TITLE.search(image)
    caption = f"<figcaption>{title[1]}</figcaption>" if title and title[1].strip() else ""
    return f"<figure>{image}{caption}</figure>"
