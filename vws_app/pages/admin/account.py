"""`/admin/account`: the signed-in editor's two-factor sign-in, password and sessions."""

import reflex as rx

from vws_app.components.admin_form import notice, text_field
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t
from vws_app.state.admin_account import AdminAccountState as State

PREFIX = "account"


def _enrolment() -> rx.Component:
    """The new key once it is made, and the field for the first code."""
    return rx.flex(
        rx.text(t("admin_two_factor_secret_hint")),
        rx.text(t("admin_two_factor_secret"), ": ", rx.code(State.new_secret, id="account-secret"), size="3"),
        rx.text(State.new_secret_uri, size="1", color_scheme="gray", word_break="break-all"),
        text_field(State, PREFIX, "code", "admin_code_label", auto_complete="one-time-code", input_mode="numeric"),
        rx.button(
            t("admin_two_factor_confirm"),
            on_click=State.confirm_two_factor,
            id="account-confirm-two-factor",
            width="fit-content",
        ),
        direction="column",
        gap="0.75rem",
    )


def _two_factor() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(t("admin_two_factor_heading"), size="4", as_="h2"),
            rx.cond(
                State.two_factor_required & ~State.two_factor_on,
                rx.callout.root(rx.callout.text(t("admin_two_factor_required")), color_scheme="amber", role="alert"),
            ),
            rx.text(State.two_factor_status, id="account-two-factor-status"),
            rx.cond(
                State.recovery_codes.length() > 0,
                rx.flex(
                    rx.text(t("admin_two_factor_recovery_hint")),
                    rx.el.ul(
                        rx.foreach(State.recovery_codes, lambda code: rx.el.li(rx.code(code))),
                        id="account-recovery-codes",
                    ),
                    direction="column",
                    gap="0.5rem",
                ),
            ),
            rx.cond(
                State.two_factor_on,
                rx.button(
                    t("admin_two_factor_turn_off"),
                    on_click=State.turn_off_two_factor,
                    variant="soft",
                    color_scheme="red",
                    width="fit-content",
                    id="account-turn-off-two-factor",
                ),
                rx.cond(
                    State.new_secret != "",
                    _enrolment(),
                    rx.button(
                        t("admin_two_factor_start"),
                        on_click=State.start_two_factor,
                        width="fit-content",
                        id="account-start-two-factor",
                    ),
                ),
            ),
            direction="column",
            gap="0.75rem",
        )
    )


def _password() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(t("admin_change_password"), size="4", as_="h2"),
            text_field(
                State,
                PREFIX,
                "current_password",
                "admin_current_password",
                type="password",
                auto_complete="current-password",
            ),
            text_field(
                State, PREFIX, "new_password", "admin_new_password", type="password", auto_complete="new-password"
            ),
            rx.text(t("admin_password_hint"), size="2", color_scheme="gray"),
            rx.button(
                t("admin_change_password"),
                on_click=State.change_password,
                id="account-change-password",
                width="fit-content",
            ),
            direction="column",
            gap="0.75rem",
        )
    )


def _session_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    current = row["current"] == "true"
    return rx.table.row(
        rx.table.cell(
            rx.cond(row["user_agent"] != "", row["user_agent"], t("admin_session_unknown_browser")),
            rx.cond(current, rx.badge(t("admin_session_this"), margin_left="0.5rem")),
        ),
        rx.table.cell(row["started"]),
        rx.table.cell(row["seen"]),
        rx.table.cell(
            rx.cond(
                current,
                "",
                rx.button(
                    t("admin_session_sign_out"),
                    on_click=State.sign_out_session(row["id"].to(int)),
                    size="1",
                    variant="soft",
                    color_scheme="red",
                ),
            )
        ),
        class_name="account-session-row",
    )


def _sessions() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(t("admin_sessions_heading"), size="4", as_="h2"),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(t("admin_field_browser")),
                        rx.table.column_header_cell(t("admin_session_started")),
                        rx.table.column_header_cell(t("admin_session_seen")),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(State.sessions, _session_row)),
                width="100%",
            ),
            rx.button(
                t("admin_session_sign_out_others"),
                on_click=State.sign_out_others,
                variant="soft",
                width="fit-content",
                id="account-sign-out-others",
            ),
            direction="column",
            gap="0.75rem",
        )
    )


def admin_account_page() -> rx.Component:
    """The editor's own account."""
    return admin_shell(
        rx.heading(t("admin_nav_account"), size="6", as_="h1"),
        notice(State),
        _two_factor(),
        _password(),
        _sessions(),
    )
