"""The layout every e-mail shares: the site's name and address around a template's content.

No images, no remote resources, no tracking and no rewritten links: a link in a mail is
the plain address it names. HTML is built from escaped values only (`escape`, `paragraphs`,
`link`), so text a visitor typed can never become markup.
"""

import dataclasses
from html import escape as _html_escape

from vws_app.i18n import translate
from vws_app.settings import site_postal_address, site_url


@dataclasses.dataclass(frozen=True)
class MailContent:
    """What a template makes: the subject, the plain-text body and the matching HTML fragment.

    `html` must be built with `escape`, `paragraphs` and `link` (nothing unescaped).
    """

    subject: str
    text: str
    html: str


def escape(value: object) -> str:
    """`value` as HTML text (quotes too, so it is safe inside attributes)."""
    return _html_escape(str(value), quote=True)


def paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs: a blank line starts a paragraph, a line break stays one."""
    blocks = [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        f'<p style="margin:0 0 12px">{"<br>".join(escape(line) for line in block.split(chr(10)))}</p>'
        for block in blocks
        if block.strip()
    )


def link(url: str, label: str | None = None) -> str:
    """A plain link to an http(s) address, shown as `label` (default: the address itself).

    Raises:
        ValueError: `url` is not http or https (no javascript:, no data:).
    """
    if not url.lower().startswith(("https://", "http://")):
        raise ValueError(f"not a web address: {url!r}")
    return f'<a href="{escape(url)}" style="color:#1a4f8b">{escape(label if label is not None else url)}</a>'


def footer_lines(language: str) -> list[str]:
    """The footer's lines: who sent this, the site's address and, when set, the postal address."""
    lines = [translate("mail_footer_sent_by", language, site=translate("site_name", language)), site_url()]
    if site_postal_address():
        lines.append(site_postal_address())
    return lines


def layout_text(content: MailContent, language: str) -> str:
    """The plain-text e-mail: the body, a separator, the footer."""
    return f"{content.text.rstrip()}\n\n-- \n" + "\n".join(footer_lines(language)) + "\n"


def layout_html(content: MailContent, language: str) -> str:
    """The HTML e-mail: one column, inline styles (mail programs drop style sheets), no images."""
    footer = "<br>".join(escape(line) for line in footer_lines(language))
    site = escape(translate("site_name", language))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(content.subject)}</title></head>"
        '<body style="margin:0;padding:0;background:#ffffff;color:#1f2328;'
        'font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">'
        '<div style="max-width:600px;margin:0 auto;padding:24px 16px">'
        f'<p style="margin:0 0 20px;font-weight:bold;font-size:18px">{site}</p>'
        f"{content.html}"
        '<hr style="border:none;border-top:1px solid #d0d7de;margin:24px 0 12px">'
        f'<p style="margin:0;font-size:13px;color:#59636e">{footer}</p>'
        "</div></body></html>\n"
    )
