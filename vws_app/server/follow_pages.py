"""The mailing list's pages the server writes itself: the answer to the form without JavaScript, confirm and unsubscribe.

Plain HTML with no script at all, so they work in any browser, read the same with JavaScript
off, and a mail scanner that fetches a link changes nothing (every change is a form's POST).
Every value is escaped; the token travels in a hidden field, never in the address the form posts to.
"""

from html import escape

from starlette.responses import HTMLResponse

from vws_app.i18n import SUPPORTED_LANGUAGES, translate
from vws_app.server.privacy_notice_html import notice_html
from vws_app.services.site_routes import FOLLOW, HOME
from vws_app.services.subscriptions import CONFIRMATION_VALID_FOR

# The site's colours and type (styles.py's theme: crimson accent on sand), for a page without Radix.
STYLE = (
    "body{margin:0;color:#21201c;background:#fff;"
    "font:1.0625rem/1.6 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',sans-serif}"
    "header{border-bottom:1px solid #e0ded9;padding:1rem}"
    "header a{color:#21201c;font-weight:700;text-decoration:none}"
    "main{max-width:40rem;margin:0 auto;padding:2rem 1rem}"
    "h1{font-size:2rem;line-height:1.25;margin:0 0 1rem}h2{font-size:1.25rem;margin:2rem 0 .75rem}"
    "form{display:flex;flex-direction:column;gap:1rem;align-items:flex-start}"
    "label{font-weight:600}.field{display:flex;flex-direction:column;gap:.35rem;width:100%}"
    "input[type=email],input[type=text],input[type=number],textarea,select{font:inherit;padding:.5rem;border:1px solid #8d8d86;border-radius:6px;max-width:24rem}"
    ".consent{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}"
    "button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:6px;"
    "background:#ab1b46;color:#fff;cursor:pointer}"
    ":focus-visible{outline:3px solid #ab1b46;outline-offset:2px}"
    ".error{color:#c11a1a;margin:0}.notice{padding:.75rem 1rem;border-radius:6px;background:#f1f0ef}"
    ".trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}"
)


def page(language: str, heading: str, body: str, *, status_code: int = 200) -> HTMLResponse:
    """A whole page: the site's name linking home, one heading, `body` (already escaped HTML)."""
    site = escape(translate("site_name", language))
    title = f"{escape(heading)} · {site}"
    document = (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{title}</title>'
        f'<link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>{STYLE}</style></head>'
        f'<body><header><a href="{HOME.in_language(language)}">{site}</a></header>'
        f'<main id="main-content"><h1>{escape(heading)}</h1>{body}</main></body></html>'
    )
    # Answers to one person's request or link: never kept by a cache.
    return HTMLResponse(document, status_code=status_code, headers={"cache-control": "no-store"})


def paragraph(text: str, css_class: str = "") -> str:
    """One escaped paragraph."""
    return f'<p class="{css_class}">{escape(text)}</p>' if css_class else f"<p>{escape(text)}</p>"


def follow_form(language: str, values: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> str:
    """The subscribe form, posting to `/follow`: errors (catalogue keys) beside their fields, values kept.

    Reads the current privacy notice from the database: call it in a thread.
    """
    values, errors = values or {}, errors or {}
    chosen = values.get("language") if values.get("language") in SUPPORTED_LANGUAGES else language
    options = "".join(
        f'<option value="{code}"{" selected" if code == chosen else ""}>{escape(translate(f"language_name_{code}", language))}</option>'
        for code in SUPPORTED_LANGUAGES
    )

    def error(field: str) -> str:
        text = escape(translate(errors[field], language)) if field in errors else ""
        return f'<p class="error" id="follow-{field}-error" aria-live="polite">{text}</p>'

    invalid = ' aria-invalid="true"' if "email" in errors else ""
    return (
        f'<form method="post" action="{FOLLOW.path}" id="follow-form">'
        f'<input type="hidden" name="form_language" value="{language}">'
        f'<div class="field"><label for="follow-email">{escape(translate("follow_email", language))}</label>'
        f'<input type="email" id="follow-email" name="email" value="{escape(values.get("email", ""))}" autocomplete="email"'
        f' required aria-describedby="follow-email-error"{invalid}>{error("email")}</div>'
        f'<div class="field"><label for="follow-language">{escape(translate("follow_language", language))}</label>'
        f'<select id="follow-language" name="language">{options}</select></div>'
        f'<div class="field"><label class="consent"><input type="checkbox" name="consent" value="yes" id="follow-consent"'
        f'{" checked" if values.get("consent") else ""} aria-describedby="follow-consent-error">'
        f"{escape(translate('follow_consent', language))}</label>{error('consent')}</div>"
        f'<div class="trap" aria-hidden="true"><label for="follow-website">{escape(translate("contact_website", language))}</label>'
        '<input type="text" id="follow-website" name="website" tabindex="-1" autocomplete="off"></div>'
        f'<button type="submit" id="follow-submit">{escape(translate("follow_submit", language))}</button>{notice_html(language, "follow")}</form>'
    )


def follow_answer(
    language: str, outcome_key: str, *, values=None, errors=None, status_code=200, **params
) -> HTMLResponse:
    """The answer to the form: the outcome, and the form again unless it was taken."""
    notice = paragraph(translate(outcome_key, language, **params), "notice")
    form = "" if outcome_key == "follow_sent" else follow_form(language, values, errors)
    return page(
        language,
        translate("follow_heading", language),
        f'<div role="status">{notice}</div>{form}',
        status_code=status_code,
    )


def _post_button(action: str, token: str, label: str, button_id: str, extra: str = "") -> str:
    """A form that POSTs `token` (in its body) to `action`."""
    return (
        f'<form method="post" action="{action}"><input type="hidden" name="t" value="{escape(token)}">{extra}'
        f'<button type="submit" id="{button_id}">{escape(label)}</button></form>'
    )


def confirm_page(language: str, token: str) -> HTMLResponse:
    """The page the mail's link opens: a button that confirms (opening the link alone confirms nothing)."""
    body = paragraph(translate("follow_confirm_text", language)) + _post_button(
        "/follow/confirm", token, translate("follow_confirm_button", language), "follow-confirm"
    )
    return page(language, translate("follow_confirm_heading", language), body)


def confirmed_page(language: str) -> HTMLResponse:
    body = paragraph(translate("follow_confirmed_text", language)) + _home_link(language)
    return page(language, translate("follow_confirmed_heading", language), body)


def expired_page(language: str) -> HTMLResponse:
    """The link is too old: say so, with the form to start again."""
    text = translate("follow_expired_text", language, days=CONFIRMATION_VALID_FOR.days)
    return page(
        language,
        translate("follow_expired_heading", language),
        paragraph(text) + follow_form(language),
        status_code=410,
    )


def unknown_link_page(language: str) -> HTMLResponse:
    text = translate("follow_unknown_text", language)
    return page(
        language,
        translate("follow_unknown_heading", language),
        paragraph(text) + follow_form(language),
        status_code=404,
    )


def unsubscribe_page(language: str, token: str, current_language: str, notice: str = "") -> HTMLResponse:
    """Leave the list with one press, or change the language of the mails instead."""
    radios = "".join(
        f'<label class="consent"><input type="radio" name="language" value="{code}"'
        f"{' checked' if code == current_language else ''}>{escape(translate(f'language_name_{code}', language))}</label>"
        for code in SUPPORTED_LANGUAGES
    )
    body = (
        (f'<div role="status">{paragraph(notice, "notice")}</div>' if notice else "")
        + paragraph(translate("unsubscribe_text", language))
        + _post_button(
            "/unsubscribe",
            token,
            translate("unsubscribe_button", language),
            "unsubscribe",
            '<input type="hidden" name="action" value="unsubscribe">',
        )
        + f"<h2>{escape(translate('unsubscribe_language_heading', language))}</h2>"
        + _post_button(
            "/unsubscribe",
            token,
            translate("unsubscribe_language_button", language),
            "change-language",
            '<input type="hidden" name="action" value="language"><fieldset style="border:0;padding:0">'
            f"<legend>{escape(translate('follow_language', language))}</legend>{radios}</fieldset>",
        )
    )
    return page(language, translate("unsubscribe_heading", language), body)


def unsubscribed_page(language: str) -> HTMLResponse:
    body = paragraph(translate("unsubscribe_done_text", language)) + _home_link(language)
    return page(language, translate("unsubscribe_done_heading", language), body)


def unknown_unsubscribe_page(language: str) -> HTMLResponse:
    return page(
        language,
        translate("unsubscribe_heading", language),
        paragraph(translate("unsubscribe_unknown_text", language)),
        status_code=404,
    )


def _home_link(language: str) -> str:
    return f'<p><a href="{HOME.in_language(language)}">{escape(translate("follow_home_link", language))}</a></p>'
