"""`/admin/editors` (admins only): the accounts that may sign in, and a form to add one."""

import reflex as rx

from vws_app.components.admin_form import form_error, keyed_by_id, notice, select_field, text_field
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t, t_by_code
from vws_app.state.admin_editors import AdminEditorsState

PREFIX = "editor"
ROLE_OPTIONS = [("editor", t("admin_role_editor")), ("admin", t("admin_role_admin"))]


def _form() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(t("admin_new_editor"), size="4", as_="h2"),
            form_error(AdminEditorsState),
            rx.grid(
                text_field(AdminEditorsState, PREFIX, "email", "admin_email", type="email", auto_complete="off"),
                text_field(AdminEditorsState, PREFIX, "display_name", "admin_field_display_name"),
                text_field(
                    AdminEditorsState,
                    PREFIX,
                    "password",
                    "admin_password",
                    type="password",
                    auto_complete="new-password",
                ),
                select_field(AdminEditorsState, PREFIX, "role", "admin_field_role", ROLE_OPTIONS),
                columns=rx.breakpoints(initial="1", md="2"),
                gap="1rem",
            ),
            rx.button(t("admin_create"), on_click=AdminEditorsState.create, id="editor-create", width="fit-content"),
            direction="column",
            gap="1rem",
        ),
    )


def _account_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    active = row["active"] == "true"
    is_admin = row["role"] == "admin"
    return keyed_by_id(
        rx.table.row(
            rx.table.cell(rx.text(row["email"]), rx.text(row["display_name"], size="1", color_scheme="gray")),
            rx.table.cell(t_by_code("admin_role_", row["role"])),
            rx.table.cell(rx.cond(active, "", rx.badge(t("admin_inactive"), color_scheme="gray"))),
            rx.table.cell(
                rx.flex(
                    rx.button(
                        rx.cond(is_admin, t("admin_role_editor"), t("admin_role_admin")),
                        on_click=AdminEditorsState.set_role(row["id"].to(int), rx.cond(is_admin, "editor", "admin")),
                        size="1",
                        variant="soft",
                    ),
                    rx.button(
                        rx.cond(active, t("admin_disable"), t("admin_enable")),
                        on_click=AdminEditorsState.set_active(row["id"].to(int), ~active),
                        size="1",
                        variant="soft",
                        color_scheme=rx.cond(active, "red", "green"),
                    ),
                    gap="0.5rem",
                )
            ),
            class_name="admin-editor-row",
        ),
        row["id"],
    )


def admin_editors_page() -> rx.Component:
    """The editor accounts."""
    return admin_shell(
        rx.heading(t("admin_nav_editors"), size="6", as_="h1"),
        notice(AdminEditorsState),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(t("admin_email")),
                    rx.table.column_header_cell(t("admin_field_role")),
                    rx.table.column_header_cell(t("admin_field_status")),
                    rx.table.column_header_cell(t("admin_edit")),
                )
            ),
            rx.table.body(rx.foreach(AdminEditorsState.accounts, _account_row)),
            width="100%",
        ),
        _two_factor_policy(),
        _form(),
    )


def _two_factor_policy() -> rx.Component:
    required = AdminEditorsState.two_factor_required
    return rx.card(
        rx.flex(
            rx.text(
                rx.cond(required, t("admin_two_factor_required_for_all"), t("admin_two_factor_optional_for_all")),
                id="editors-two-factor-policy",
            ),
            rx.button(
                rx.cond(required, t("admin_stop_requiring_two_factor"), t("admin_require_two_factor")),
                on_click=AdminEditorsState.set_two_factor_required(~required),
                variant="soft",
                width="fit-content",
                id="editors-two-factor-toggle",
            ),
            direction="column",
            gap="0.75rem",
        )
    )
