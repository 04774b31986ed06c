"""`/allies`: links to allied organisations, described in the visitor's language."""

import reflex as rx

from vws_app.components.layout import page_shell
from vws_app.components.pointers import pointer_links
from vws_app.components.translated import t
from vws_app.services.content import AllyView
from vws_app.services.site_routes import CONTACT, POSTS
from vws_app.state.allies import AlliesState
from vws_app.styles import CARD_STYLE


def _ally(ally: rx.Var[AllyView]) -> rx.Component:
    return rx.card(
        rx.heading(rx.link(ally.name, href=ally.url, is_external=True), size="4", as_="h2"),
        rx.text(ally.description, as_="p", margin_top="0.5rem"),
        class_name="ally-card",
        style=CARD_STYLE,
    )


def allies_page() -> rx.Component:
    """The allies page."""
    return page_shell(
        rx.heading(t("allies_heading"), size="8", as_="h1"),
        rx.cond(
            AlliesState.allies.length() > 0,
            rx.flex(
                rx.text(t("allies_intro")),
                rx.foreach(AlliesState.allies, _ally),
                direction="column",
                gap="1rem",
            ),
            rx.callout.root(
                rx.callout.text(t("allies_empty"), id="allies-empty"),
                pointer_links(("footer_contact", CONTACT.path), ("empty_read_posts", POSTS.path)),
                id="allies-empty-note",
            ),
        ),
        ready=AlliesState.loaded,
    )
