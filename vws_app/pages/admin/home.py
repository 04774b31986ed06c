"""`/admin`: the sign-in form, or the list of what an editor can work on."""

import reflex as rx

from vws_app.components.admin_layout import ADMIN_SECTIONS, admin_shell
from vws_app.components.translated import t
from vws_app.components.translation_panel import needs_translation_block


def admin_home_page() -> rx.Component:
    """The admin's start page."""
    return admin_shell(
        rx.heading(t("admin_title"), size="6", as_="h1"),
        rx.text(t("admin_welcome")),
        rx.grid(
            *[rx.link(rx.card(rx.text(t(key), weight="bold")), href=href) for key, href in ADMIN_SECTIONS],
            columns=rx.breakpoints(initial="1", sm="3"),
            gap="1rem",
        ),
        needs_translation_block(),
    )
