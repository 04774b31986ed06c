"""The short privacy notice in the forms the server writes itself (no JavaScript): its words, a link, and its id."""

from html import escape

from vws_app.i18n import translate
from vws_app.services.consent import NOTICE_FIELD
from vws_app.services.database import open_session
from vws_app.services.privacy_page import PATH
from vws_app.services.privacy_texts import current_notice


def notice_html(language: str, prefix: str) -> str:
    """The current notice in `language` and the hidden field naming its version (reads the database: call it in a thread)."""
    with open_session() as session:
        notice = current_notice(session, language)
        notice_id, body = notice.id, notice.body
    link = f'<a href="{PATH}?lang={language}" id="{prefix}-privacy-link">{escape(translate("privacy_notice_link", language))}</a>'
    return (
        f'<input type="hidden" name="{NOTICE_FIELD}" value="{notice_id}">'
        f'<p class="privacy-notice" id="{prefix}-privacy-notice"><small>{escape(body)} {link}</small></p>'
    )
