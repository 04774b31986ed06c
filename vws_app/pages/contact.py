"""`/contact`: the invitation to write to us, and the contact form."""

import reflex as rx

from vws_app.components.form_field import form_field
from vws_app.components.layout import page_shell
from vws_app.components.privacy_notice import privacy_notice
from vws_app.components.translated import t
from vws_app.services.contact import MESSAGE_MAX_LENGTH, NAME_MAX_LENGTH
from vws_app.state.contact import ContactState

# Off-screen rather than display:none, which some bots skip; people never reach it.
HONEYPOT_STYLE = {"position": "absolute", "left": "-10000px", "width": "1px", "height": "1px", "overflow": "hidden"}


def _field(field: str, label_key: str, **options) -> rx.Component:
    return form_field(
        field=field,
        label_key=label_key,
        value=getattr(ContactState, field),
        errors=ContactState.error_texts,
        on_change=lambda value: ContactState.set_field(field, value),
        on_blur=lambda _value: ContactState.check_field(field),
        **options,
    )


def _honeypot() -> rx.Component:
    return rx.el.div(
        rx.el.label(t("contact_website"), html_for="contact-website"),
        rx.el.input(id="contact-website", name="website", type="text", tab_index=-1, auto_complete="off"),
        aria_hidden="true",
        style=HONEYPOT_STYLE,
    )


def _outcome() -> rx.Component:
    return rx.cond(
        ContactState.outcome_text != "",
        rx.callout.root(
            rx.callout.text(ContactState.outcome_text),
            color_scheme=rx.cond(ContactState.outcome == "sent", "green", "red"),
            id="contact-outcome",
            role=rx.cond(ContactState.outcome == "sent", "status", "alert"),
        ),
    )


def contact_form() -> rx.Component:
    """The form: validated beside each field, stored once, never emptied by an error."""
    return rx.form(
        rx.flex(
            _field("name", "contact_name", autocomplete="name", max_length=NAME_MAX_LENGTH),
            _field("email", "contact_email", input_type="email", autocomplete="email"),
            _field("phone", "contact_phone", input_type="tel", autocomplete="tel", required=False),
            _field("message", "contact_message", multiline=True, max_length=MESSAGE_MAX_LENGTH),
            rx.el.label(
                rx.checkbox(
                    checked=ContactState.wants_meeting,
                    on_change=ContactState.set_wants_meeting,
                    id="contact-wants-meeting",
                    name="wants_meeting",
                ),
                rx.text(t("contact_wants_meeting"), size="2"),
                html_for="contact-wants-meeting",
                style={"display": "flex", "gap": "0.5rem", "align_items": "center"},
            ),
            _honeypot(),
            rx.button(
                t("contact_submit"),
                type="submit",
                size="3",
                id="contact-submit",
                width="fit-content",
                high_contrast=True,
            ),
            privacy_notice("contact"),  # after the button: the fields, then Send, come first in keyboard order
            _outcome(),
            direction="column",
            gap="1.25rem",
        ),
        on_submit=ContactState.submit,
        # Until the app is live (or without JavaScript) the browser posts the form itself: in
        # the body, to this page's own address, where `server/contact_post.py` answers. The
        # live app's submit handler prevents that default.
        method="post",
        id="contact-form",
        no_validate=True,
        position="relative",
    )


def contact_page() -> rx.Component:
    """The contact page."""
    return page_shell(
        rx.heading(t("contact_heading"), size="8", as_="h1"),
        rx.text(t("contact_intro"), size="4", as_="p"),
        contact_form(),
    )
