"""`/contact`: the invitation to write to us, and the contact form."""

import reflex as rx

from vws_app.components.layout import page_shell
from vws_app.components.translated import t


def contact_page() -> rx.Component:
    """The contact page."""
    return page_shell(
        rx.heading(t("contact_heading"), size="8", as_="h1"),
        rx.text(t("contact_intro"), size="4", as_="p"),
    )
