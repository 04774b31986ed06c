"""`/`: who we are, what we want, the latest posts and an invitation to our meetings."""

import reflex as rx

from vws_app.components.layout import page_shell
from vws_app.components.post_card import post_card
from vws_app.components.translated import t
from vws_app.state.home import HomeState


def _about() -> rx.Component:
    return rx.el.section(
        rx.heading(t("home_about_heading"), size="8", as_="h1", margin_bottom="1rem"),
        rx.text(HomeState.view.mission, size="4", as_="p", margin_bottom="1rem", id="mission"),
        rx.text(HomeState.view.goal, size="4", as_="p", id="goal"),
    )


def _when_loaded(*sections: rx.Component) -> rx.Component:
    """`sections` once the content is there, in a block at least a screen tall.

    The mission, goal and cards arrive after hydration. Filled in place they would push
    everything below them down (a layout shift); shown all at once into space that is
    already reserved, nothing on screen moves.
    """
    return rx.box(
        rx.cond(HomeState.loaded, rx.flex(*sections, direction="column", gap="2rem")),
        min_height="100vh",
    )


def _latest_posts() -> rx.Component:
    return rx.el.section(
        rx.heading(t("home_latest_heading"), size="6", as_="h2", margin_bottom="1rem"),
        rx.grid(rx.foreach(HomeState.view.cards, post_card), columns=rx.breakpoints(initial="1", sm="2"), gap="1rem"),
        rx.link(t("home_all_posts"), href="/posts", margin_top="1rem", display="inline-block"),
    )


def _meetings_invitation() -> rx.Component:
    return rx.el.section(
        rx.heading(t("home_cta_heading"), size="5", as_="h2"),
        rx.text(t("home_cta_text"), as_="p", margin_y="0.75rem"),
        rx.link(t("home_cta_button"), href="/contact", class_name="cta-link"),
        class_name="cta",
    )


def home_page() -> rx.Component:
    """The home page."""
    return page_shell(_when_loaded(_about(), _latest_posts(), _meetings_invitation()), ready=HomeState.loaded)
