"""The page for any address the site does not have, in the visitor's language."""

import reflex as rx

from vws_app.components.layout import page_shell
from vws_app.components.translated import t
from vws_app.services.site_routes import HOME


def not_found_page() -> rx.Component:
    """The 404 page."""
    return page_shell(
        rx.heading(t("not_found_heading"), size="8", as_="h1", id="not-found"),
        rx.text(t("not_found_text")),
        rx.link(t("not_found_home"), href=HOME.path),
    )
