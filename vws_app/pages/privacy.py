"""`/privacy`: what the site stores about people, why, and for how long (editors write the text; the periods are the admins' settings)."""

import reflex as rx

from vws_app.components.layout import page_shell
from vws_app.components.translated import t
from vws_app.services.site_routes import CONTACT
from vws_app.state.privacy import PrivacyPageState


def privacy_page() -> rx.Component:
    """The full privacy text, then the retention periods in force."""
    return page_shell(
        rx.heading(t("privacy_heading"), size="8", as_="h1"),
        rx.foreach(PrivacyPageState.page_paragraphs, lambda paragraph: rx.text(paragraph, as_="p", size="4")),
        rx.heading(t("privacy_retention_heading"), size="5", as_="h2", margin_top="1rem"),
        rx.el.ul(
            rx.foreach(PrivacyPageState.retention_lines, lambda line: rx.el.li(line)),
            id="privacy-retention",
            style={"padding_left": "1.25rem", "line_height": "1.7"},
        ),
        rx.link(t("privacy_contact_link"), href=CONTACT.path, id="privacy-contact-link"),
        ready=PrivacyPageState.loaded,
    )
