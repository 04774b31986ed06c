"""An open letter's sign-on under its post: the count, the goal bar, the sign form and the signatories.

Live, the form goes over the websocket (`LetterState.submit`). Its controls are native ones
that submit values by themselves, and it posts to `/posts/<slug>/sign`, so the same form
works as a plain POST (`server/letter_routes.py`).
"""

import reflex as rx

from vws_app.components.follow_form import HONEYPOT_STYLE, NATIVE_CONTROL_STYLE
from vws_app.components.privacy_notice import privacy_notice
from vws_app.components.translated import t
from vws_app.state.language import LanguageState
from vws_app.state.letter import LetterState
from vws_app.styles import MUTED_TEXT

TEXT_FIELDS = (
    ("name", "letters_name", "name", 200),
    ("affiliation", "letters_affiliation", "organization", 200),
    ("city", "letters_city", "address-level2", 100),
)
CHECKBOX_ROW = {"display": "flex", "gap": "0.5rem", "align_items": "flex-start"}


def _error(field: str) -> rx.Component:
    return rx.text(
        rx.cond(LetterState.error_texts.contains(field), LetterState.error_texts[field], ""),
        id=f"sign-{field}-error",
        color_scheme="red",
        size="2",
        aria_live="polite",
    )


def _labelled(field: str, label_key: str, control: rx.Component) -> rx.Component:
    return rx.flex(
        rx.el.label(rx.text(t(label_key), weight="medium", size="2"), html_for=f"sign-{field}"),
        control,
        _error(field),
        direction="column",
        gap="0.35rem",
    )


def _text_input(field: str, label_key: str, autocomplete: str, max_length: int, kind: str = "text") -> rx.Component:
    return _labelled(
        field,
        label_key,
        rx.input(
            type=kind,
            id=f"sign-{field}",
            name=field,
            auto_complete=autocomplete,
            max_length=max_length,
            size="3",
            required=field in ("name", "email"),
            aria_invalid=rx.cond(LetterState.error_texts.contains(field), "true", "false"),
            aria_describedby=f"sign-{field}-error",
        ),
    )


def _country() -> rx.Component:
    return _labelled(
        "country",
        "letters_country",
        rx.el.select(
            rx.el.option(t("letters_country_none"), value=""),
            rx.foreach(LetterState.country_options, lambda pair: rx.el.option(pair[1], value=pair[0])),
            id="sign-country",
            name="country",
            default_value="",
            style=NATIVE_CONTROL_STYLE,
        ),
    )


def _checkbox(field: str, label_key: str, checked: bool = False) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="checkbox",
            name=field,
            value="yes",
            id=f"sign-{field}",
            default_checked=checked,
            aria_describedby=f"sign-{field}-error",
            style={"margin_top": "0.3rem"},
        ),
        rx.text(t(label_key), size="2"),
        html_for=f"sign-{field}",
        style=CHECKBOX_ROW,
    )


def _form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.input(
                type="hidden",
                name="form_language",
                read_only=True,
                value=rx.cond(LanguageState.lang == "es", "es", "en"),
            ),
            *[_text_input(field, label, autocomplete, limit) for field, label, autocomplete, limit in TEXT_FIELDS],
            _country(),
            _text_input("email", "letters_email", "email", 320, kind="email"),
            _checkbox("is_public", "letters_is_public", checked=True),
            _checkbox("is_organisation", "letters_is_organisation"),
            rx.text(t("letters_name_organisation_hint"), size="1", style=MUTED_TEXT),
            rx.flex(_checkbox("consent", "letters_consent"), _error("consent"), direction="column", gap="0.35rem"),
            rx.el.div(
                rx.el.label(t("contact_website"), html_for="sign-website"),
                rx.el.input(id="sign-website", name="website", type="text", tab_index=-1, auto_complete="off"),
                aria_hidden="true",
                style=HONEYPOT_STYLE,
            ),
            rx.button(
                t("letters_submit"), type="submit", size="3", id="sign-submit", width="fit-content", high_contrast=True
            ),
            privacy_notice("sign"),
            direction="column",
            gap="1rem",
        ),
        on_submit=LetterState.submit,
        action="/posts/" + LetterState.slug + "/sign",
        method="post",
        id="sign-form",
        no_validate=True,
        position="relative",
    )


def _outcome() -> rx.Component:
    return rx.cond(
        LetterState.outcome_text != "",
        rx.callout.root(
            rx.callout.text(LetterState.outcome_text),
            color_scheme=LetterState.outcome_colour,
            id="sign-outcome",
            role=rx.cond(LetterState.outcome == "letters_sent", "status", "alert"),
        ),
    )


def _signer(signer: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(signer["name"], weight="bold", as_="span", class_name="signer-name"),
        rx.cond(
            signer["is_organisation"] != "",
            rx.badge(t("letters_organisation_badge"), variant="soft", margin_left="0.5rem"),
        ),
        rx.cond(signer["details"] != "", rx.text(" — ", signer["details"], as_="span", style=MUTED_TEXT)),
        class_name="signer",
    )


def _signatories() -> rx.Component:
    return rx.flex(
        rx.heading(t("letters_signatories"), size="5", as_="h2"),
        rx.el.ol(rx.foreach(LetterState.signers, _signer), id="signatories", style={"padding_left": "1.25rem"}),
        rx.flex(
            rx.cond(
                LetterState.page > 1,
                rx.button(t("letters_back_to_first"), variant="soft", on_click=LetterState.change_page(-1)),
            ),
            rx.cond(
                LetterState.has_more,
                rx.button(
                    t("letters_more"), variant="soft", id="signatories-more", on_click=LetterState.change_page(1)
                ),
            ),
            gap="1rem",
        ),
        direction="column",
        gap="0.75rem",
    )


def sign_on_section() -> rx.Component:
    """Everything a letter with sign-on shows under its text; nothing for other posts."""
    view = LetterState.view
    return rx.cond(
        view.exists,
        rx.el.section(
            rx.flex(
                rx.text(view.count_text, id="letter-count", size="4", weight="medium"),
                rx.cond(
                    view.goal > 0,
                    rx.flex(
                        rx.progress(value=view.goal_percent, max=100, aria_label=view.goal_text),
                        rx.text(view.goal_text, size="2", style=MUTED_TEXT),
                        direction="column",
                        gap="0.25rem",
                    ),
                ),
                rx.cond(
                    view.accepting,
                    rx.flex(
                        rx.heading(t("letters_heading"), size="6", as_="h2"),
                        rx.cond(view.closes_text != "", rx.text(view.closes_text, size="2", style=MUTED_TEXT)),
                        rx.cond(LetterState.outcome == "letters_sent", rx.fragment(), _form()),
                        direction="column",
                        gap="1rem",
                        id="sign-on",
                    ),
                ),
                _outcome(),
                _signatories(),
                direction="column",
                gap="1.5rem",
            ),
            id="letter-sign-on-live",
            margin_top="2rem",
        ),
    )
