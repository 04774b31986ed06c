"""Event pages the server writes itself: the RSVP form without JavaScript, its answer, and the cancel pages.

Built like the mailing list's pages (`follow_pages.py`: one layout, no script, every value
escaped); the cancel token travels in a hidden field, never in the address a form posts to.
"""

from html import escape

from starlette.responses import HTMLResponse

from vws_app.i18n import translate
from vws_app.server.follow_pages import page, paragraph
from vws_app.server.privacy_notice_html import notice_html
from vws_app.services.calendar_files import event_path, ics_path
from vws_app.services.rsvp_places import MAX_PEOPLE
from vws_app.services.site_routes import EVENTS

TEXT_FIELDS = (("name", "text", "name", "rsvp_name"), ("email", "email", "email", "rsvp_email"))


def rsvp_form(
    language: str,
    event_id: int,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    prefix: str = "rsvp",
) -> str:
    """The RSVP form posting to `/events/<id>/rsvp`: errors (catalogue keys) beside their fields, values kept.

    `prefix` keeps its element ids apart from the live page's form while both are in the document.
    Reads the current privacy notice from the database: call it in a thread.
    """
    values, errors = values or {}, errors or {}

    def t(key: str) -> str:
        return escape(translate(key, language))

    def error(field: str) -> str:
        text = t(errors[field]) if field in errors else ""
        return f'<p class="error" id="{prefix}-{field}-error" aria-live="polite">{text}</p>'

    def invalid(field: str) -> str:
        return ' aria-invalid="true"' if field in errors else ""

    fields = "".join(
        f'<div class="field"><label for="{prefix}-{field}">{t(label_key)}</label>'
        f'<input type="{kind}" id="{prefix}-{field}" name="{field}" value="{escape(values.get(field, ""))}" autocomplete="{auto}"'
        f' required aria-describedby="{prefix}-{field}-error"{invalid(field)}>{error(field)}</div>'
        for field, kind, auto, label_key in TEXT_FIELDS
    )
    people = escape(values.get("people", "1"))
    return (
        f'<h2>{t("rsvp_heading")}</h2><form method="post" action="{event_path(event_id)}/rsvp" id="{prefix}-form" novalidate>'
        f"{fields}"
        f'<div class="field"><label for="{prefix}-people">{t("rsvp_people")}</label>'
        f'<input type="number" id="{prefix}-people" name="people" min="1" max="{MAX_PEOPLE}" value="{people}"'
        f' aria-describedby="{prefix}-people-error"{invalid("people")}>{error("people")}</div>'
        f'<div class="field"><label for="{prefix}-note">{t("rsvp_note")}</label>'
        f'<textarea id="{prefix}-note" name="note" rows="3" aria-describedby="{prefix}-note-error"{invalid("note")}>'
        f"{escape(values.get('note', ''))}</textarea>{error('note')}</div>"
        f'<div class="field"><label class="consent"><input type="checkbox" name="consent" value="yes" id="{prefix}-consent"'
        f'{" checked" if values.get("consent") else ""} aria-describedby="{prefix}-consent-error">{t("rsvp_consent")}</label>'
        f"{error('consent')}</div>"
        f'<div class="trap" aria-hidden="true"><label for="{prefix}-website">{t("contact_website")}</label>'
        f'<input type="text" id="{prefix}-website" name="website" tabindex="-1" autocomplete="off"></div>'
        f'<button type="submit" id="{prefix}-submit">{t("rsvp_submit")}</button>{notice_html(language, prefix)}</form>'
    )


def calendar_links(language: str, event_id: int, link_id: str = "add-to-calendar") -> str:
    """ "Add to calendar" (this event's file) in the page's language."""
    return f'<p><a href="{ics_path(event_id, language)}" id="{link_id}">{escape(translate("events_add_to_calendar", language))}</a></p>'


def rsvp_answer(
    language: str,
    event_id: int,
    title: str,
    outcome_key: str,
    *,
    values=None,
    errors=None,
    status_code: int = 200,
    show_form: bool = True,
    **params,
) -> HTMLResponse:
    """The answer to the form without JavaScript: the outcome, then the form again unless it was taken."""
    notice = paragraph(translate(outcome_key, language, **params), "notice")
    body = f'<div role="status">{notice}</div>'
    body += rsvp_form(language, event_id, values, errors) if show_form else calendar_links(language, event_id)
    body += f'<p><a href="{event_path(event_id)}?lang={language}">{escape(title)}</a></p>'
    return page(language, title, body, status_code=status_code)


def _cancel_form(token: str, label: str) -> str:
    return (
        f'<form method="post" action="/rsvp/cancel"><input type="hidden" name="t" value="{escape(token)}">'
        f'<button type="submit" id="rsvp-cancel">{escape(label)}</button></form>'
    )


def cancel_page(language: str, token: str, title: str) -> HTMLResponse:
    """The mail's cancel link: a button (opening the link alone cancels nothing)."""
    body = paragraph(translate("rsvp_cancel_text", language, title=title)) + _cancel_form(
        token, translate("rsvp_cancel_button", language)
    )
    return page(language, translate("rsvp_cancel_heading", language), body)


def cancelled_page(language: str) -> HTMLResponse:
    body = paragraph(translate("rsvp_cancelled_text", language))
    body += f'<p><a href="{EVENTS.in_language(language)}">{escape(translate("event_back", language))}</a></p>'
    return page(language, translate("rsvp_cancelled_heading", language), body)


def unknown_cancel_page(language: str) -> HTMLResponse:
    return page(
        language,
        translate("rsvp_cancel_heading", language),
        paragraph(translate("rsvp_unknown_text", language)),
        status_code=404,
    )
