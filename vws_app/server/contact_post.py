"""`POST /contact`: the contact form sent without the app, stored by the same rules as the app's and answered with a page."""

import asyncio
import html
import logging
import re
import uuid

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import HTMLResponse

from vws_app.i18n import translate
from vws_app.server.form_post import (
    FormField,
    FormRefused,
    FormView,
    check_origin,
    client_address,
    for_touch_and_without_javascript,
    form_page,
    read_form,
    render_form,
)
from vws_app.server.privacy_notice_html import notice_html
from vws_app.services import contact
from vws_app.services.consent import NOTICE_FIELD, notice_id_from
from vws_app.services.contact import ContactSubmission, ContactValidationError, RateLimited
from vws_app.services.database import open_session
from vws_app.services.seo import PageMeta, section_meta
from vws_app.services.site_routes import CONTACT, HOME
from vws_app.settings import check_email_deliverability

logger = logging.getLogger(__name__)

ROUTE = CONTACT.path
# The one-time key the server writes into each form it renders: posting that form twice
# (reload, back and send again) stores one row.
FORM_KEY_FIELD = "form_key"
_FORM_KEY = re.compile(r"[0-9a-f]{32}")
HONEYPOT_FIELD = "website"
# The server's form has ids of its own: on the page it stands beside the app's hidden form.
ID_PREFIX = "contact-plain"
FIELDS = [
    FormField("name", "contact_name", autocomplete="name", max_length=contact.NAME_MAX_LENGTH),
    FormField("email", "contact_email", kind="email", autocomplete="email"),
    FormField("phone", "contact_phone", kind="tel", required=False, autocomplete="tel"),
    FormField("message", "contact_message", kind="textarea", max_length=contact.MESSAGE_MAX_LENGTH),
    FormField("wants_meeting", "contact_wants_meeting", kind="checkbox", required=False),
]


def submission_key(form: dict[str, str]) -> str:
    """The form's one-time key when it carries a well-formed one, else a fresh key for this post."""
    key = form.get(FORM_KEY_FIELD, "")
    return f"form-{key}" if _FORM_KEY.fullmatch(key) else uuid.uuid4().hex


def _store(submission: ContactSubmission, key: str, address: str) -> None:
    """Store through the service exactly as the app's contact state does (in a worker thread).

    The service enqueues the editors' notice in the same transaction, once per new row.
    """
    with open_session() as session:
        contact.submit_contact_message(
            session,
            submission,
            submission_key=key,
            client_address=address,
            check_deliverability=check_email_deliverability(),
        )


async def answer_contact_form(request: Request, language: str) -> HTMLResponse:
    """Check, store and answer one post of the contact form; every failure keeps what was typed."""
    try:
        check_origin(request)
        form = await read_form(request)
    except FormRefused as refused:
        return _page(language, _outcome_only(translate(refused.reason_key, language)), status=refused.status)
    values = {field.name: form.get(field.name, "") for field in FIELDS}
    submission = ContactSubmission(
        name=values["name"],
        email=values["email"],
        phone=values["phone"],
        message=values["message"],
        wants_meeting=bool(values["wants_meeting"]),
        language=language,
        honeypot=form.get(HONEYPOT_FIELD, ""),
        notice_id=notice_id_from(form.get(NOTICE_FIELD)),
    )
    key = submission_key(form)
    try:
        await asyncio.to_thread(_store, submission, key, client_address(request))
    except ContactValidationError as invalid:
        errors = {field: translate(error, language, limit=_limit_for(field)) for field, error in invalid.errors.items()}
        # 200, as for any page shown as intended (browsers log a 400 document as an error).
        return await asyncio.to_thread(
            _form, language, values, form, errors, translate("contact_form_has_errors", language), status=200
        )
    except RateLimited as limited:
        text = translate("contact_error_rate_limited", language, minutes=limited.retry_after_minutes)
        return await asyncio.to_thread(_form, language, values, form, {}, text, status=429)
    except SQLAlchemyError:
        logger.exception("Could not store a contact message sent without the app")
        return await asyncio.to_thread(
            _form, language, values, form, {}, translate("contact_failed", language), status=503
        )
    return _page(language, _thanks(language))


def _form(
    language: str, values: dict[str, str], form: dict[str, str], errors: dict[str, str], outcome: str, *, status: int
) -> HTMLResponse:
    """The form again with every value kept, errors beside their fields, and the same one-time key (reads the notice: in a thread)."""
    key = form.get(FORM_KEY_FIELD, "")
    view = FormView(
        values=values,
        errors=errors,
        outcome=outcome,
        outcome_is_error=True,
        hidden={FORM_KEY_FIELD: key if _FORM_KEY.fullmatch(key) else uuid.uuid4().hex},
    )
    return _page(language, contact_form_html(language, view), status=status)


def contact_form_html(language: str, view: FormView) -> str:
    """The contact form as the server writes it, with the privacy notice and the hidden trap field people never reach.

    Reads the current notice from the database: call it in a thread.
    """
    form = render_form(
        FIELDS,
        view,
        language=language,
        action=f"{ROUTE}?lang={language}",
        submit_key="contact_submit",
        id_prefix=ID_PREFIX,
    )
    form = form.replace("</button>", "</button>" + notice_html(language, ID_PREFIX), 1)
    trap_id = f"{ID_PREFIX}-{HONEYPOT_FIELD}"
    trap = (
        f'<div class="trap" aria-hidden="true"><label for="{trap_id}">{_text("contact_website", language)}'
        f'</label><input type="text" id="{trap_id}" name="{HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>'
    )
    return form.replace("</form>", trap + "</form>", 1)


def with_form_without_javascript(page: str, language: str) -> str:
    """The filled contact page, plus the server's empty form in `language` for phones and readers without JavaScript.

    The app's prerendered form is written in the default language; those readers would
    see it, labels and all, in English. No one-time key here: the page is cached and
    shared, and a repeated post is recognised by its content (`services/contact.py`).
    """
    return for_touch_and_without_javascript(page, contact_form_html(language, FormView(values={})))


def _text(key: str, language: str) -> str:
    return html.escape(translate(key, language))


def _thanks(language: str) -> str:
    return (
        f'<p id="{ID_PREFIX}-outcome" role="status">{_text("contact_thanks", language)}</p>'
        f'<p><a href="{ROUTE}?lang={language}">{_text("contact_write_again", language)}</a> · '
        f'<a href="{HOME.in_language(language)}">{_text("contact_back_home", language)}</a></p>'
    )


def _outcome_only(text: str) -> str:
    return f'<p id="{ID_PREFIX}-outcome" role="alert">{html.escape(text)}</p>'


def _page(language: str, content_html: str, *, status: int = 200) -> HTMLResponse:
    """The contact page in `language` with `content_html` after its introduction."""
    # The contact page's meta reads no content (only the catalogue), so it needs no session.
    meta = section_meta(None, ROUTE, language) or PageMeta(title="", description="", path=ROUTE, language=language)
    return form_page(ROUTE, meta, content_html, form_id="contact-form", status=status)


def _limit_for(field: str) -> int:
    """The length limit an error message for `field` may quote."""
    return contact.NAME_MAX_LENGTH if field == "name" else contact.MESSAGE_MAX_LENGTH
