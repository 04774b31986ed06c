"""A post sent to the mailing list: its title and text, a link to it on the site, and the unsubscribe link.

When the post is not available in the subscriber's language it comes in the other one,
with one line saying so. The body is the post's Markdown, rendered and sanitised by
`services/markdown.py` (the one place allowed to make markup from an editor's text);
images in it are dropped, since mail loads nothing from elsewhere.
"""

import functools
import re

from vws_app.i18n import translate
from vws_app.mail_templates.base import MailContent, escape, link
from vws_app.services.markdown import render_markdown

_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


@functools.lru_cache(maxsize=8)
def body_html(markdown_source: str) -> str:
    """The post's body as mail HTML, without images (a newsletter renders one body thousands of times)."""
    return _IMAGE.sub("", render_markdown(markdown_source))


def build(
    language: str,
    *,
    title: str,
    body: str,
    post_url: str,
    post_language: str,
    unsubscribe_url: str,
) -> MailContent:
    """The mail in the subscriber's `language`; `post_language` is the language the post is written in."""

    def t(key: str, **params: object) -> str:
        return translate(key, language, **params)

    notice = ""
    if post_language != language:
        notice = t(f"mail_newsletter_only_in_{post_language}")
    read_online = t("mail_newsletter_read_online")
    why = t("mail_newsletter_why")
    unsubscribe = t("mail_newsletter_unsubscribe")
    text = (
        f"{notice}\n\n" if notice else ""
    ) + f"{title}\n\n{body.strip()}\n\n{read_online}: {post_url}\n\n{why}\n{unsubscribe}: {unsubscribe_url}\n"
    html = (
        (f'<p style="margin:0 0 16px;font-style:italic">{escape(notice)}</p>' if notice else "")
        + f'<h1 style="margin:0 0 16px;font-size:22px">{escape(title)}</h1>'
        + f'<div lang="{escape(post_language)}">{body_html(body)}</div>'
        + f'<p style="margin:16px 0 12px">{link(post_url, read_online)}</p>'
        + f'<p style="margin:0;font-size:13px;color:#59636e">{escape(why)} {link(unsubscribe_url, unsubscribe)}</p>'
    )
    return MailContent(subject=title, text=text, html=html)
