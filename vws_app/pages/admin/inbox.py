"""`/admin/inbox`: contact messages, newest first."""

import reflex as rx

from vws_app.components.admin_form import confirm_delete, keyed_by_id
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t, t_by_code
from vws_app.state.admin_inbox import AdminInboxState
from vws_app.styles import MUTED_TEXT


def _filter_button(status: str, label_key: str) -> rx.Component:
    return rx.button(
        t(label_key),
        on_click=AdminInboxState.filter_by(status),
        variant=rx.cond(AdminInboxState.status_filter == status, "solid", "soft"),
        size="1",
        aria_pressed=rx.cond(AdminInboxState.status_filter == status, "true", "false"),
    )


def _message(row: rx.Var[dict[str, str]]) -> rx.Component:
    handled = row["status"] == "handled"
    return keyed_by_id(rx.card(
        rx.flex(
            rx.badge(t_by_code("admin_status_", row["status"]), color_scheme=rx.cond(handled, "gray", "red")),
            rx.link(rx.text(row["name"], weight="bold"), on_click=AdminInboxState.toggle_open(row["id"]), href="#", as_="button"),
            rx.text(row["email"], size="2"),
            rx.text(row["created_at"], size="2", style=MUTED_TEXT),
            rx.spacer(),
            rx.button(
                rx.cond(handled, t("admin_mark_new"), t("admin_mark_handled")),
                on_click=AdminInboxState.set_status(row["id"].to(int), rx.cond(handled, "new", "handled")),
                size="1",
                variant="soft",
                class_name="inbox-toggle-status",
            ),
            confirm_delete(AdminInboxState.delete_message(row["id"].to(int))),
            gap="0.75rem",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            AdminInboxState.opened_id == row["id"],
            rx.box(
                rx.text(row["phone"], size="2"),
                rx.cond(row["wants_meeting"] == "true", rx.badge(t("admin_wants_meeting"))),
                rx.text(row["message"], as_="p", style={"white_space": "pre-wrap"}, margin_top="0.5rem"),
                margin_top="0.75rem",
            ),
        ),
        class_name="inbox-message",
    ), row["id"])


def admin_inbox_page() -> rx.Component:
    """The contact inbox."""
    return admin_shell(
        rx.flex(
            rx.heading(t("admin_nav_inbox"), size="6", as_="h1"),
            rx.spacer(),
            rx.button(t("admin_export_csv"), on_click=AdminInboxState.export_csv, variant="outline", id="inbox-export"),
            align="center",
        ),
        rx.flex(
            _filter_button("", "admin_any"),
            _filter_button("new", "admin_status_new"),
            _filter_button("handled", "admin_status_handled"),
            gap="0.5rem",
        ),
        rx.cond(
            AdminInboxState.messages.length() > 0,
            rx.flex(rx.foreach(AdminInboxState.messages, _message), direction="column", gap="0.75rem"),
            rx.text(t("admin_empty")),
        ),
    )
