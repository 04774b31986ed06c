"""The "reply" link of a contact message: a `mailto:` that opens the editor's own mail program.

The site sends nothing itself: the editor's mail program gets the sender's address, a
"Re: …" subject in the language the sender wrote in, and the message quoted. Every part is
percent-encoded (RFC 6068), so a name or message holding line breaks, `&` or `?` cannot add
headers (`cc`, `bcc`) or recipients. Internal notes are never part of it.
"""

import re
from urllib.parse import quote

from vws_app.i18n import format_date, normalise_language, translate
from vws_app.models import ContactMessage

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_LINE_BREAK = "\r\n"  # RFC 6068: line breaks in a mailto body are CRLF


def _one_line(text: str) -> str:
    """`text` with every run of control characters (line breaks included) turned into a space."""
    return _CONTROL_CHARACTERS.sub(" ", text).strip()


def quoted_message(message: ContactMessage) -> str:
    """'On <date>, <name> wrote:' in the message's language, then each line of it after '> '."""
    language = normalise_language(message.language)
    attribution = translate(
        "inbox_reply_attribution",
        language,
        date=format_date(message.created_at, language),
        name=_one_line(message.name),
    )
    lines = message.message.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _LINE_BREAK.join([attribution, *(f"> {line}".rstrip() for line in lines)])


def reply_link(message: ContactMessage) -> str:
    """The `mailto:` link answering `message`: its address, a subject and a body starting with an empty line to write in."""
    language = normalise_language(message.language)
    address = quote(_one_line(message.email), safe="@")
    subject = quote(translate("inbox_reply_subject", language), safe="")
    body = quote(_LINE_BREAK * 2 + quoted_message(message), safe="")
    return f"mailto:{address}?subject={subject}&body={body}"
