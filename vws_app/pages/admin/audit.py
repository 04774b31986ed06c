"""`/admin/audit` (admins only): who changed what, and when, newest first."""

import reflex as rx

from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t
from vws_app.state.admin_audit import AdminAuditState
from vws_app.styles import MUTED_TEXT


def _entry_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["when"], white_space="nowrap"),
        rx.table.cell(row["who"]),
        rx.table.cell(
            rx.text(
                row["action_label"],
                " ",
                row["entity_label"],
                rx.cond(row["entity_id"] != "", " #" + row["entity_id"], ""),
                weight="medium",
            ),
            rx.text(row["summary"], size="1", style=MUTED_TEXT),
        ),
        class_name="admin-audit-row",
    )


def _pager() -> rx.Component:
    return rx.flex(
        rx.button(
            t("admin_audit_newer"),
            on_click=AdminAuditState.show_newer,
            disabled=AdminAuditState.page <= 1,
            variant="soft",
            id="audit-newer",
        ),
        rx.text(AdminAuditState.page_label, size="2"),
        rx.button(
            t("admin_audit_older"),
            on_click=AdminAuditState.show_older,
            disabled=AdminAuditState.page >= AdminAuditState.page_count,
            variant="soft",
            id="audit-older",
        ),
        align="center",
        gap="1rem",
    )


def admin_audit_page() -> rx.Component:
    """The audit log."""
    return admin_shell(
        rx.heading(t("admin_nav_audit"), size="6", as_="h1"),
        rx.cond(
            AdminAuditState.entries.length() > 0,
            rx.flex(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(t(key))
                                for key in ("admin_audit_when", "admin_audit_who", "admin_audit_what")
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(AdminAuditState.entries, _entry_row)),
                    width="100%",
                    id="admin-audit",
                ),
                rx.cond(AdminAuditState.page_count > 1, _pager()),
                direction="column",
                gap="1rem",
            ),
            rx.text(t("admin_empty")),
        ),
    )
