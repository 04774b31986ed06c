"""A post's text as every reader gets it: the live page's Markdown rendering, or plain text made from it.

Crawlers, link previews, the RSS feed and search results all start from `render_markdown` (the
renderer and sanitiser of the live page), so none of them sees raw Markdown (`**`, `[…](…)`).
"""

import html
import re

import nh3

from vws_app.models import Post
from vws_app.services.markdown import render_markdown

# Where one block of rendered HTML ends and the next begins: there the plain text needs a space.
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|pre|tr|td|th)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)


def plain_text(rendered: str) -> str:
    """The words of sanitised HTML on one line: tags dropped, entities decoded, blocks spaced."""
    spaced = _BLOCK_END.sub(lambda match: match.group(0) + " ", rendered)
    return " ".join(html.unescape(nh3.clean(spaced, tags=set())).split())


def markdown_plain_text(source: str) -> str:
    """What a reader reads of Markdown `source`, as plain text (links keep their words, not their address)."""
    return plain_text(render_markdown(source))


def post_body_html(post: Post) -> str:
    """The post's body exactly as the live page shows it (sanitised HTML)."""
    return render_markdown(post.body)


def post_summary_text(post: Post) -> str:
    """A post's description in plain text: its excerpt (already plain on the site), else its rendered body."""
    return " ".join(post.excerpt.split()) if post.excerpt.strip() else markdown_plain_text(post.body)
