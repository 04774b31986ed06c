"""The frame of every admin page: the sign-in form when signed out, else header, sections, content."""

import reflex as rx

from vws_app.components.document_language import document_language
from vws_app.components.layout import MAIN_ID, language_toggle
from vws_app.components.translated import t
from vws_app.server.admin_auth import SIGN_IN_PATH, SIGN_OUT_PATH, form_action
from vws_app.state.admin_session import AdminState
from vws_app.styles import PAGE_PADDING_X

ADMIN_SECTIONS: list[tuple[str, str]] = [
    ("admin_nav_posts", "/admin/posts"),
    ("admin_nav_events", "/admin/events"),
    ("admin_nav_rsvps", "/admin/rsvps"),
    ("admin_nav_allies", "/admin/allies"),
    ("admin_nav_texts", "/admin/texts"),
    ("admin_nav_inbox", "/admin/inbox"),
    ("admin_nav_mailing", "/admin/mailing"),
    ("admin_nav_subscribers", "/admin/subscribers"),
    ("admin_nav_letters", "/admin/letters"),
    ("admin_nav_mail", "/admin/mail"),
]
ADMIN_MAX_WIDTH = "76rem"


def native_post_form(*children: rx.Component, action: str, **props) -> rx.Component:
    """A form the browser itself posts to a server route, with or without JavaScript.

    Reflex's form cancels native submission to send an event instead; sign-in and sign-out
    must reach the server as HTTP requests, which alone can set the HttpOnly session cookie.
    """
    form = rx.el.form(*children, method="post", action=action, **props)
    form.event_triggers.pop("on_submit", None)
    return form


def sign_in_form() -> rx.Component:
    """Email and password, posted to `/admin/sign-in`; errors say what happened without saying which part was wrong."""
    return rx.card(
        native_post_form(
            rx.flex(
                rx.heading(t("admin_sign_in_heading"), size="6", as_="h1"),
                rx.el.label(t("admin_email"), html_for="admin-email"),
                rx.input(id="admin-email", name="email", type="email", auto_complete="username", required=True),
                rx.el.label(t("admin_password"), html_for="admin-password"),
                rx.input(
                    id="admin-password",
                    name="password",
                    type="password",
                    auto_complete="current-password",
                    required=True,
                ),
                rx.cond(
                    AdminState.sign_in_error != "",
                    rx.callout.root(
                        rx.callout.text(AdminState.sign_in_message),
                        color_scheme="red",
                        role="alert",
                        id="admin-sign-in-error",
                    ),
                ),
                rx.button(t("admin_sign_in"), type="submit", id="admin-sign-in"),
                rx.el.a(t("admin_forgot_link"), href=form_action("/admin/forgot"), id="admin-forgot-link"),
                direction="column",
                gap="0.75rem",
            ),
            action=form_action(SIGN_IN_PATH),
        ),
        max_width="26rem",
        margin_x="auto",
        margin_top="4rem",
        padding="1.5rem",
    )


NAV_LINK_STYLE = {"white_space": "nowrap"}


def _admin_nav() -> rx.Component:
    """The sections in one line; on a narrow screen the line scrolls sideways inside itself (the page does not)."""
    return rx.el.nav(
        rx.flex(
            *[
                rx.link(t(key), href=href, weight="medium", size="2", style=NAV_LINK_STYLE)
                for key, href in ADMIN_SECTIONS
            ],
            gap="0.9rem",
            wrap="nowrap",
        ),
        aria_label=t("admin_title"),
        id="admin-nav",
        style={"overflow_x": "auto", "padding_bottom": "0.25rem", "max_width": "100%"},
    )


def _account_link() -> rx.Component:
    """The editor's name (their e-mail when they gave none), linking to their account page."""
    return rx.link(
        rx.cond(AdminState.editor_name != "", AdminState.editor_name, AdminState.editor_email),
        href="/admin/account",
        size="2",
        color_scheme="gray",
        id="admin-account-link",
        style={
            "overflow": "hidden",
            "text_overflow": "ellipsis",
            "white_space": "nowrap",
            "min_width": "0",
            "max_width": "16rem",
        },
    )


def _admin_header() -> rx.Component:
    """Two lines: the title and the editor's own controls, then the sections."""
    return rx.el.header(
        rx.flex(
            rx.flex(
                rx.link(
                    rx.text(t("admin_title"), size="4", weight="bold", as_="span"),
                    href="/admin",
                    underline="none",
                    high_contrast=True,
                    style={"white_space": "nowrap"},
                ),
                rx.cond(
                    AdminState.new_message_count > 0,
                    rx.badge(AdminState.new_message_label, color_scheme="red", id="admin-new-count"),
                ),
                rx.spacer(),
                # The admins' own pages sit with the account, so the sections fit one line at 1280 px in Spanish too.
                rx.cond(
                    AdminState.is_admin,
                    rx.link(t("admin_nav_audit"), href="/admin/audit", weight="medium", size="2", style=NAV_LINK_STYLE),
                ),
                rx.cond(
                    AdminState.is_admin,
                    rx.link(
                        t("admin_nav_editors"), href="/admin/editors", weight="medium", size="2", style=NAV_LINK_STYLE
                    ),
                ),
                rx.cond(
                    AdminState.is_admin,
                    rx.link(
                        t("admin_nav_person"), href="/admin/person", weight="medium", size="2", style=NAV_LINK_STYLE
                    ),
                ),
                _account_link(),
                language_toggle(),
                native_post_form(
                    rx.button(
                        t("admin_sign_out"),
                        type="submit",
                        variant="outline",
                        id="admin-sign-out",
                        style={"white_space": "nowrap"},
                    ),
                    action=form_action(SIGN_OUT_PATH),
                ),
                align="center",
                gap="0.75rem",
                wrap=rx.breakpoints(initial="wrap", md="nowrap"),
                id="admin-header-top",
            ),
            _admin_nav(),
            direction="column",
            gap="0.5rem",
            max_width=ADMIN_MAX_WIDTH,
            margin_x="auto",
            padding_y="0.75rem",
            padding_x=PAGE_PADDING_X,
        ),
        border_bottom="1px solid var(--gray-a5)",
    )


def admin_shell(*children: rx.Component) -> rx.Component:
    """An admin page: only rendered with content when the server says this tab is signed in."""
    return rx.fragment(
        document_language(),
        rx.cond(
            AdminState.signed_in,
            rx.box(
                _admin_header(),
                rx.el.main(
                    rx.flex(*children, direction="column", gap="1.5rem"),
                    id=MAIN_ID,
                    max_width=ADMIN_MAX_WIDTH,
                    margin_x="auto",
                    padding_x=PAGE_PADDING_X,
                    padding_y="1.5rem",
                ),
            ),
            rx.el.main(sign_in_form(), id=MAIN_ID, padding_x=PAGE_PADDING_X),
        ),
    )
