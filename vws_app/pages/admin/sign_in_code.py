"""`/admin/code`: the second step of signing in, a plain form posted to `/admin/sign-in/code` (works without JavaScript)."""

import reflex as rx

from vws_app.components.admin_layout import native_post_form
from vws_app.components.document_language import document_language
from vws_app.components.layout import MAIN_ID
from vws_app.components.translated import t
from vws_app.server.admin_auth import form_action
from vws_app.server.sign_in_code import SIGN_IN_CODE_PATH
from vws_app.state.admin_session import AdminState
from vws_app.styles import PAGE_PADDING_X


def admin_sign_in_code_page() -> rx.Component:
    """One field for the authenticator's code or a recovery code."""
    return rx.fragment(
        document_language(),
        rx.el.main(
            rx.card(
                native_post_form(
                    rx.flex(
                        rx.heading(t("admin_code_heading"), size="6", as_="h1"),
                        rx.el.label(t("admin_code_label"), html_for="admin-code"),
                        rx.input(
                            id="admin-code",
                            name="code",
                            auto_complete="one-time-code",
                            input_mode="numeric",
                            required=True,
                            max_length=32,
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
                        rx.button(t("admin_code_submit"), type="submit", id="admin-code-submit"),
                        direction="column",
                        gap="0.75rem",
                    ),
                    action=form_action(SIGN_IN_CODE_PATH),
                ),
                max_width="26rem",
                margin_x="auto",
                margin_top="4rem",
                padding="1.5rem",
            ),
            id=MAIN_ID,
            padding_x=PAGE_PADDING_X,
        ),
    )
