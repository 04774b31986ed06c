"""Open letters' HTML the server writes itself: the sign form without JavaScript, its answers, confirm and withdraw pages.

The form is also put into the post page's server-rendered text (`routes.post_page`), so a
reader without JavaScript can sign. Every value is escaped; tokens travel in hidden fields of
POST forms, never in the address a form posts to. Page chrome comes from `follow_pages.page`.
"""

from html import escape

from vws_app.i18n import translate
from vws_app.server.follow_pages import page, paragraph
from vws_app.server.privacy_notice_html import notice_html
from vws_app.services import letters_public
from vws_app.services.content import published_post
from vws_app.services.letter_fields import MAX_LENGTHS, countries
from vws_app.services.letters import CONFIRM_PATH, CONFIRMATION_VALID_FOR, WITHDRAW_PATH
from vws_app.services.letters_public import SignerView, SignOnView
from vws_app.services.site_routes import HOME

TEXT_FIELDS = (
    ("name", "letters_name", "name"),
    ("affiliation", "letters_affiliation", "organization"),
    ("city", "letters_city", "address-level2"),
)


def sign_path(slug: str) -> str:
    """Where the form posts (the body carries the signer's details)."""
    return f"/posts/{slug}/sign"


def sign_form(
    slug: str, language: str, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> str:
    """The sign form for the letter at `slug`: errors (catalogue keys) beside their fields, values kept.

    Reads the current privacy notice from the database: call it in a thread.
    """
    values, errors = values or {}, errors or {}

    def t(key: str) -> str:
        return escape(translate(key, language))

    def error(field: str) -> str:
        text = t(errors[field]) if field in errors else ""
        return f'<p class="error" id="plain-sign-{field}-error" aria-live="polite">{text}</p>'

    def invalid(field: str) -> str:
        return ' aria-invalid="true"' if field in errors else ""

    def checked(field: str, default: bool = False) -> str:
        return " checked" if values.get(field, "yes" if default else "") else ""

    fields = "".join(
        f'<div class="field"><label for="plain-sign-{name}">{t(label)}</label>'
        f'<input type="text" id="plain-sign-{name}" name="{name}" value="{escape(values.get(name, ""))}"'
        f' maxlength="{MAX_LENGTHS[name]}" autocomplete="{autocomplete}" aria-describedby="plain-sign-{name}-error"'
        f"{' required' if name == 'name' else ''}{invalid(name)}>{error(name)}</div>"
        for name, label, autocomplete in TEXT_FIELDS
    )
    chosen = values.get("country", "")
    options = f'<option value="">{t("letters_country_none")}</option>' + "".join(
        f'<option value="{code}"{" selected" if code == chosen else ""}>{escape(name)}</option>'
        for code, name in countries(language)
    )
    return (
        f'<form method="post" action="{escape(sign_path(slug))}" id="sign-form-plain" novalidate>'
        f'<input type="hidden" name="form_language" value="{language}">{fields}'
        f'<div class="field"><label for="plain-sign-country">{t("letters_country")}</label>'
        f'<select id="plain-sign-country" name="country"{invalid("country")}>{options}</select>{error("country")}</div>'
        f'<div class="field"><label for="plain-sign-email">{t("letters_email")}</label>'
        f'<input type="email" id="plain-sign-email" name="email" value="{escape(values.get("email", ""))}" required'
        f' maxlength="{MAX_LENGTHS["email"]}" autocomplete="email" aria-describedby="plain-sign-email-error"{invalid("email")}>'
        f"{error('email')}</div>"
        f'<label class="consent"><input type="checkbox" name="is_public" value="yes"{checked("is_public", True)}>'
        f"{t('letters_is_public')}</label>"
        f'<label class="consent"><input type="checkbox" name="is_organisation" value="yes"{checked("is_organisation")}>'
        f"{t('letters_is_organisation')}</label>"
        f'<div class="field"><label class="consent"><input type="checkbox" name="consent" value="yes"{checked("consent")}'
        f' aria-describedby="plain-sign-consent-error">{t("letters_consent")}</label>{error("consent")}</div>'
        f'<div class="trap" aria-hidden="true"><label for="plain-sign-website">{t("contact_website")}</label>'
        '<input type="text" id="plain-sign-website" name="website" tabindex="-1" autocomplete="off"></div>'
        f'<button type="submit">{t("letters_submit")}</button>{notice_html(language, "plain-sign")}</form>'
    )


def sign_section(slug: str, language: str, view: SignOnView, signers: list[SignerView]) -> str:
    """What the post page's server-rendered text adds for a letter: the count, the form when open, the first names."""
    if not view.exists:
        return ""
    names = "".join(
        f"<li><strong>{escape(signer.name)}</strong>{' — ' + escape(signer.details) if signer.details else ''}</li>"
        for signer in signers
    )
    form = sign_form(slug, language) if view.accepting else paragraph(translate("letters_closed", language))
    return (
        f'<section id="letter-sign-on"><p id="letter-count-plain">{escape(view.count_text)}</p>'
        f"<h2>{escape(translate('letters_heading', language))}</h2>{form}"
        f"<h2>{escape(translate('letters_signatories', language))}</h2><ul>{names}</ul></section>"
    )


def sign_answer(slug: str, language: str, outcome_key: str, *, values=None, errors=None, status_code=200, **params):
    """The answer to the form sent without JavaScript: the outcome, the form again unless it was taken."""
    notice = paragraph(translate(outcome_key, language, **params), "notice")
    back = f'<p><a href="/posts/{escape(slug)}">{escape(translate("letters_to_letter", language))}</a></p>'
    form = "" if outcome_key in ("letters_sent", "letters_closed") else sign_form(slug, language, values, errors)
    return page(
        language,
        translate("letters_heading", language),
        f'<div role="status">{notice}</div>{form}{back}',
        status_code=status_code,
    )


def _post_button(action: str, token: str, label: str, button_id: str) -> str:
    return (
        f'<form method="post" action="{action}"><input type="hidden" name="t" value="{escape(token)}">'
        f'<button type="submit" id="{button_id}">{escape(label)}</button></form>'
    )


def _home(language: str) -> str:
    return f'<p><a href="{HOME.in_language(language)}">{escape(translate("letters_home_link", language))}</a></p>'


def confirm_page(language: str, token: str):
    """The mail's confirmation link: a button that confirms (opening the link alone changes nothing)."""
    body = paragraph(translate("letters_confirm_text", language)) + _post_button(
        CONFIRM_PATH, token, translate("letters_confirm_button", language), "letter-confirm"
    )
    return page(language, translate("letters_confirm_heading", language), body)


def confirmed_page(language: str, moderated: bool, slug: str = ""):
    text = translate("letters_confirmed_moderated" if moderated else "letters_confirmed_text", language)
    back = (
        f'<p><a href="/posts/{escape(slug)}" id="letter-back">{escape(translate("letters_to_letter", language))}</a></p>'
        if slug
        else ""
    )
    return page(language, translate("letters_confirmed_heading", language), paragraph(text) + back + _home(language))


def expired_page(language: str):
    text = translate("letters_expired_text", language, days=CONFIRMATION_VALID_FOR.days)
    return page(
        language, translate("letters_expired_heading", language), paragraph(text) + _home(language), status_code=410
    )


def unknown_link_page(language: str):
    return page(
        language,
        translate("letters_unknown_heading", language),
        paragraph(translate("letters_unknown_text", language)) + _home(language),
        status_code=404,
    )


def withdraw_page(language: str, token: str):
    """The mail's withdrawal link: a button that withdraws."""
    body = paragraph(translate("letters_withdraw_text", language)) + _post_button(
        WITHDRAW_PATH, token, translate("letters_withdraw_button", language), "letter-withdraw"
    )
    return page(language, translate("letters_withdraw_heading", language), body)


def withdrawn_page(language: str):
    return page(
        language,
        translate("letters_withdrawn_heading", language),
        paragraph(translate("letters_withdrawn_text", language)) + _home(language),
    )


def letter_section(session, slug: str, language: str) -> str:
    """`sign_section` for the post at `slug` ('' when it is no letter with sign-on)."""
    post = published_post(session, slug)
    letter = letters_public.letter_of_post(session, post.translation_key) if post is not None else None
    if letter is None:
        return ""
    signers, _more = letters_public.signers_page(session, letter.id, language)
    return sign_section(slug, language, letters_public.sign_on_view(letter, language), signers)
