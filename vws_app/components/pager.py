"""Newer / older links around "Page X of Y", for any paged list whose view carries those three."""

import reflex as rx

from vws_app.components.translated import t


def pager(view: rx.Var, previous_key: str, next_key: str) -> rx.Component:
    """`view` has `previous_href`, `page_label` and `next_href` (an empty href hides its link)."""
    return rx.el.nav(
        rx.flex(
            rx.cond(view.previous_href != "", rx.link(t(previous_key), href=view.previous_href)),
            rx.text(view.page_label, size="2"),
            rx.cond(view.next_href != "", rx.link(t(next_key), href=view.next_href)),
            gap="1.5rem",
            align="center",
            justify="center",
        ),
        aria_label=view.page_label,
    )
