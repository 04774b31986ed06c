"""`/posts`: every published post, newest first, ten a page, filterable by category."""

import reflex as rx

from vws_app.components.layout import page_shell
from vws_app.components.pager import pager
from vws_app.components.post_card import post_list_card
from vws_app.components.translated import t, t_by_code
from vws_app.services.archive import ArchiveMonth, ArchiveYear
from vws_app.services.site_routes import POSTS
from vws_app.state.posts import PostsState


def _category_link(choice: rx.Var[dict[str, str]]) -> rx.Component:
    current = choice["current"] == "true"
    return rx.link(
        rx.badge(
            rx.cond(choice["code"] == "", t("posts_all_categories"), t_by_code("category_", choice["code"])),
            variant=rx.cond(current, "solid", "soft"),
            # White on the crimson of a solid badge is 3.8:1; high contrast gives dark on light and light on dark.
            high_contrast=True,
            size="2",
        ),
        href=choice["href"],
        aria_current=rx.cond(current, "page", "false"),
    )


def _pager() -> rx.Component:
    return pager(PostsState.view, "posts_previous", "posts_next")


def _archive_month(month: rx.Var[ArchiveMonth]) -> rx.Component:
    return rx.el.li(
        rx.link(
            month.label,
            " (",
            month.count.to_string(),
            ")",
            href=f"{POSTS.path}?year=" + month.year.to_string() + "&month=" + month.month.to_string(),
            class_name="archive-month",
        )
    )


def _archive_year(year: rx.Var[ArchiveYear]) -> rx.Component:
    return rx.el.li(
        rx.link(
            year.year.to_string(),
            " (",
            year.count.to_string(),
            ")",
            href=f"{POSTS.path}?year=" + year.year.to_string(),
            weight="bold",
        ),
        rx.el.ul(rx.foreach(year.months, _archive_month), style={"list_style": "none", "padding_left": "1rem"}),
    )


def _archive() -> rx.Component:
    return rx.el.nav(
        rx.heading(t("posts_archive_heading"), size="4", as_="h2", margin_bottom="0.5rem"),
        rx.el.ul(rx.foreach(PostsState.view.archive, _archive_year), style={"list_style": "none", "padding": "0"}),
        rx.cond(PostsState.year > 0, rx.link(t("posts_all_dates"), href=POSTS.path)),
        aria_label=t("posts_archive_label"),
        id="posts-archive",
    )


def posts_page() -> rx.Component:
    """The posts list."""
    return page_shell(
        rx.heading(
            t("posts_heading"),
            rx.cond(PostsState.view.period_label != "", rx.text(" · ", PostsState.view.period_label, as_="span")),
            size="8",
            as_="h1",
        ),
        rx.el.nav(
            rx.flex(rx.foreach(PostsState.category_links, _category_link), gap="0.5rem", wrap="wrap"),
            aria_label=t("posts_filter_label"),
        ),
        rx.cond(
            PostsState.view.cards.length() > 0,
            rx.flex(rx.foreach(PostsState.view.cards, post_list_card), direction="column", gap="1rem"),
            rx.text(t("posts_empty"), id="posts-empty"),
        ),
        _pager(),
        _archive(),
        ready=PostsState.loaded,
    )
