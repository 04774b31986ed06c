"""The "Follow our statements" form, for the footer of every page and for `/follow`.

Live, the app takes it over the websocket (`FollowState.submit`). Without JavaScript it is a
plain form that POSTs to `/follow` (`server/follow_routes.py`), so every control is a native
one that submits a value by itself (Radix's checkbox and select need scripts).
"""

import reflex as rx

from vws_app.components.privacy_notice import privacy_notice
from vws_app.components.translated import t
from vws_app.i18n import SUPPORTED_LANGUAGES
from vws_app.services.site_routes import FOLLOW
from vws_app.state.follow import FollowState
from vws_app.state.language import LanguageState

# Off-screen rather than display:none, which some bots skip; people never reach it.
HONEYPOT_STYLE = {"position": "absolute", "left": "-10000px", "width": "1px", "height": "1px", "overflow": "hidden"}
NATIVE_CONTROL_STYLE = {
    "font": "inherit",
    "padding": "0.4rem 0.5rem",
    "border": "1px solid var(--gray-a8)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-background)",
    "color": "var(--gray-12)",
    "height": "var(--space-7)",
}


def _error(prefix: str, field: str) -> rx.Component:
    return rx.text(
        rx.cond(FollowState.error_texts.contains(field), FollowState.error_texts[field], ""),
        id=f"{prefix}-{field}-error",
        color_scheme="red",
        size="2",
        aria_live="polite",
    )


def _email(prefix: str) -> rx.Component:
    has_error = FollowState.error_texts.contains("email")
    return rx.flex(
        rx.el.label(rx.text(t("follow_email"), weight="medium", size="2"), html_for=f"{prefix}-email"),
        rx.input(
            type="email",
            id=f"{prefix}-email",
            name="email",
            auto_complete="email",
            required=True,
            max_length=320,
            size="3",
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=f"{prefix}-email-error",
        ),
        _error(prefix, "email"),
        direction="column",
        gap="0.35rem",
        flex="1 1 16rem",
    )


def _language(prefix: str) -> rx.Component:
    return rx.flex(
        rx.el.label(rx.text(t("follow_language"), weight="medium", size="2"), html_for=f"{prefix}-language"),
        rx.el.select(
            *[rx.el.option(t(f"language_name_{code}"), value=code) for code in SUPPORTED_LANGUAGES],
            id=f"{prefix}-language",
            name="language",
            value=FollowState.form_language,
            on_change=FollowState.choose_language,
            style=NATIVE_CONTROL_STYLE,
        ),
        direction="column",
        gap="0.35rem",
    )


def _consent(prefix: str) -> rx.Component:
    return rx.flex(
        rx.el.label(
            rx.el.input(
                type="checkbox",
                name="consent",
                value="yes",
                id=f"{prefix}-consent",
                aria_describedby=f"{prefix}-consent-error",
                style={"margin_top": "0.3rem"},
            ),
            rx.text(t("follow_consent"), size="2"),
            html_for=f"{prefix}-consent",
            style={"display": "flex", "gap": "0.5rem", "align_items": "flex-start"},
        ),
        _error(prefix, "consent"),
        direction="column",
        gap="0.35rem",
    )


def _honeypot(prefix: str) -> rx.Component:
    return rx.el.div(
        rx.el.label(t("contact_website"), html_for=f"{prefix}-website"),
        rx.el.input(id=f"{prefix}-website", name="website", type="text", tab_index=-1, auto_complete="off"),
        aria_hidden="true",
        style=HONEYPOT_STYLE,
    )


def _outcome(prefix: str) -> rx.Component:
    sent = FollowState.outcome == "sent"
    return rx.cond(
        FollowState.outcome_text != "",
        rx.callout.root(
            rx.callout.text(FollowState.outcome_text),
            color_scheme=rx.cond(sent, "green", "red"),
            id=f"{prefix}-outcome",
            role=rx.cond(sent, "status", "alert"),
        ),
    )


def follow_form(prefix: str = "follow") -> rx.Component:
    """The form; `prefix` keeps its element ids apart from another copy on the same page."""
    return rx.flex(
        rx.cond(
            FollowState.outcome == "sent",
            rx.fragment(),
            rx.form(
                rx.flex(
                    rx.el.input(
                        type="hidden",
                        name="form_language",
                        read_only=True,
                        value=rx.cond(LanguageState.lang == "es", "es", "en"),
                    ),
                    rx.flex(_email(prefix), _language(prefix), gap="1rem", wrap="wrap", align="start"),
                    _consent(prefix),
                    _honeypot(prefix),
                    rx.button(
                        t("follow_submit"),
                        type="submit",
                        size="3",
                        id=f"{prefix}-submit",
                        width="fit-content",
                        high_contrast=True,
                    ),
                    privacy_notice(prefix),  # after the button, as in every form: Send comes first by keyboard
                    direction="column",
                    gap="1rem",
                ),
                on_submit=FollowState.submit,
                action=FOLLOW.path,
                method="post",
                id=f"{prefix}-form",
                no_validate=True,
                position="relative",
            ),
        ),
        _outcome(prefix),
        direction="column",
        gap="1rem",
    )
