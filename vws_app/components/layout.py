"""The frame around every public page: skip link, header with navigation and toggle, footer."""

import reflex as rx

from vws_app.components.document_language import document_language
from vws_app.components.follow_form import follow_form
from vws_app.components.search_box import search_box
from vws_app.components.translated import t
from vws_app.services.site_routes import FOOTER_LINKS, HEADER_NAV, HOME
from vws_app.state.language import LanguageState
from vws_app.styles import CONTENT_MAX_WIDTH, HEADER_MAX_WIDTH, MUTED_TEXT, PAGE_PADDING_X

NAV_ITEMS: list[tuple[str, str]] = [(route.nav_key, route.path) for route in HEADER_NAV]
MAIN_ID = "main-content"


def language_toggle() -> rx.Component:
    """The button that switches every piece of text to the other language."""
    return rx.button(
        rx.icon("languages", size=16, aria_hidden="true"),
        t("language_switch"),
        on_click=LanguageState.toggle_language,
        variant="soft",
        high_contrast=True,  # the soft accent's text alone misses AA on its tint (4.3:1)
        aria_label=t("language_switch_label"),
        lang=rx.cond(LanguageState.lang == "es", "en", "es"),
        id="language-toggle",
    )


def _nav_links(direction: str) -> rx.Component:
    """The site sections as plain links."""
    return rx.flex(
        *[
            rx.link(t(key), href=href, underline="hover", weight="medium", high_contrast=True)
            for key, href in NAV_ITEMS
        ],
        direction=direction,
        gap="1.25rem" if direction == "row" else "1rem",
    )


def _mobile_menu() -> rx.Component:
    """The collapsible menu for narrow screens."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.icon_button(
                rx.icon("menu", aria_hidden="true"), variant="ghost", aria_label=t("menu_open"), id="menu-button"
            ),
        ),
        rx.popover.content(
            rx.el.nav(_nav_links("column"), aria_label=t("nav_label")),
            search_box(input_id="mobile-search", margin_top="1rem"),
            id="mobile-menu",
        ),
    )


def header() -> rx.Component:
    """Site name, navigation (full on desktop, a menu on phones) and the language toggle."""
    return rx.el.header(
        rx.flex(
            rx.link(
                # The mark is decoration beside the name (alt=""); sized here so nothing moves as it loads.
                rx.el.img(src="/favicon.svg", alt="", width="36", height="36"),
                rx.text(t("site_name"), size="4", weight="bold", as_="span"),
                href=HOME.path,
                underline="none",
                high_contrast=True,
                class_name="site-mark",
            ),
            rx.spacer(),
            rx.el.nav(_nav_links("row"), aria_label=t("nav_label"), display=["none", "none", "block"]),
            search_box(display=["none", "none", "none", "block"]),
            language_toggle(),
            rx.el.div(_mobile_menu(), display=["block", "block", "none"]),
            align="center",
            gap="1rem",
            max_width=HEADER_MAX_WIDTH,
            margin_x="auto",
            padding_y="1rem",
            padding_x=PAGE_PADDING_X,
        ),
        border_bottom="1px solid var(--gray-a5)",
    )


def _footer_follow() -> rx.Component:
    """The mailing list's form, on every public page but its own."""
    return rx.el.section(
        rx.heading(t("follow_heading"), size="5", as_="h2", id="footer-follow-heading"),
        rx.text(t("follow_intro"), size="2", as_="p", style=MUTED_TEXT),
        follow_form("footer-follow"),
        aria_labelledby="footer-follow-heading",
        max_width=CONTENT_MAX_WIDTH,
        margin_x="auto",
        padding_top="1.5rem",
        padding_x=PAGE_PADDING_X,
        style={"display": "flex", "flex_direction": "column", "gap": "0.75rem"},
    )


def footer(follow_in_footer: bool = True) -> rx.Component:
    """The mailing list's form, who we are and a way to write to us."""
    return rx.el.footer(
        _footer_follow() if follow_in_footer else rx.fragment(),
        rx.flex(
            rx.text(t("footer_rights"), size="2", style=MUTED_TEXT),
            rx.flex(
                *[
                    rx.link(
                        t(route.footer_key),
                        href=route.path,
                        size="2",
                        **({"id": route.footer_id} if route.footer_id else {}),
                    )
                    for route in FOOTER_LINKS
                ],
                # A plain <a>: the feed is a file for feed readers, not a page of the app.
                rx.el.elements.a(
                    rx.icon("rss", size=14, aria_hidden="true"),
                    t("footer_feed"),
                    href=rx.cond(LanguageState.lang == "es", "/es/feed.xml", "/feed.xml"),
                    type="application/rss+xml",
                    id="footer-feed",
                    class_name="rt-Text rt-reset rt-Link rt-r-size-2",
                    style={"display": "inline-flex", "align_items": "center", "gap": "0.3rem"},
                ),
                gap="1.25rem",
                wrap="wrap",
            ),
            justify="between",
            wrap="wrap",
            gap="1rem",
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding_y="1.5rem",
            padding_x=PAGE_PADDING_X,
        ),
        border_top="1px solid var(--gray-a5)",
        margin_top="3rem",
    )


def page_shell(
    *children: rx.Component, ready: rx.Var[bool] | bool = True, follow_in_footer: bool = True
) -> rx.Component:
    """A public page: skip link, header, the page's own content in `<main>`, footer.

    `ready` is the page state's "content has arrived" flag, for pages that load from the database.
    `follow_in_footer=False` leaves the mailing list's form out of the footer (its own page has it).
    """
    return rx.box(
        document_language(ready),
        # A plain <a>, not rx.el.a (React Router's Link, which resolves "#main-content" against the route
        # with a trailing slash, re-runs the page's on-load events and moves no focus): the browser's own
        # fragment navigation scrolls to <main> and focuses it (tabindex -1).
        rx.el.elements.a(t("skip_to_content"), href=f"#{MAIN_ID}", class_name="skip-link"),
        header(),
        rx.el.main(
            rx.flex(*children, direction="column", gap="2rem"),
            id=MAIN_ID,
            tab_index=-1,
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding_x=PAGE_PADDING_X,
            padding_top="2rem",
        ),
        footer(follow_in_footer),
        min_height="100vh",
    )
