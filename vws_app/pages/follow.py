"""`/follow`: the mailing list's own page, with the subscribe form (the footer leaves its copy out here)."""

import reflex as rx

from vws_app.components.follow_form import follow_form
from vws_app.components.layout import page_shell
from vws_app.components.translated import t


def follow_page() -> rx.Component:
    """The page: what the list sends, and the form."""
    return page_shell(
        rx.heading(t("follow_heading"), size="8", as_="h1"),
        rx.text(t("follow_intro"), size="4", as_="p"),
        follow_form("follow"),
        follow_in_footer=False,
    )
