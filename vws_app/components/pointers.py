"""Where to go next when a page has nothing to show yet: a row of plain links, so no page is a dead end."""

import reflex as rx

from vws_app.components.translated import t


def pointer_links(*targets: tuple[str, str]) -> rx.Component:
    """One link per (catalogue key, address), side by side, wrapping on narrow screens."""
    return rx.flex(*[rx.link(t(key), href=href) for key, href in targets], gap="1.25rem", wrap="wrap")
