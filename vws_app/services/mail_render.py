"""Render an e-mail template in a language: subject, plain text and HTML, inside the shared layout."""

import importlib
import re

from vws_app.i18n import normalise_language
from vws_app.mail_templates.base import MailContent, layout_html, layout_text

_TEMPLATE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Line breaks and other control characters would end a header early (or be refused by the mailer).
_NOT_IN_A_SUBJECT = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


class UnknownTemplate(ValueError):
    """No template module of that name in `vws_app/mail_templates/`."""


def template_content(template: str, language: str, **context: object) -> MailContent:
    """What template `template` makes for `context` in `language`, before the layout.

    Raises:
        UnknownTemplate: no such template.
        TypeError: `context` lacks a value the template needs, or has one it does not take.
    """
    if not _TEMPLATE_NAME.match(template) or template == "base":
        raise UnknownTemplate(template)
    try:
        module = importlib.import_module(f"vws_app.mail_templates.{template}")
    except ModuleNotFoundError as missing:
        raise UnknownTemplate(template) from missing
    return module.build(normalise_language(language), **context)


def one_line(text: str) -> str:
    """`text` on one line (for a header): control characters and line separators become spaces."""
    return _NOT_IN_A_SUBJECT.sub(" ", text).strip()


def render(template: str, language: str, **context: object) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of template `template` in `language`, with the site's layout.

    Raises:
        UnknownTemplate: no such template.
        TypeError: `context` does not fit the template.
    """
    language = normalise_language(language)
    content = template_content(template, language, **context)
    return one_line(content.subject), layout_text(content, language), layout_html(content, language)
