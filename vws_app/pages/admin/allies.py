"""`/admin/allies`: allied organisations in the visitors' order, and the form that adds or edits one."""

import reflex as rx

from vws_app.components.admin_form import (
    edit_and_delete,
    form_error,
    keyed_by_id,
    record_page_top,
    text_area_field,
    text_field,
)
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t
from vws_app.state.admin_allies import AdminAlliesState
from vws_app.styles import MUTED_TEXT


def _form() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(
                rx.cond(AdminAlliesState.editing_id > 0, t("admin_edit"), t("admin_new_ally")), size="4", as_="h2"
            ),
            form_error(AdminAlliesState),
            rx.grid(
                text_field(AdminAlliesState, "ally", "name", "admin_field_name"),
                text_field(AdminAlliesState, "ally", "url", "admin_field_url", type="url"),
                text_area_field(AdminAlliesState, "ally", "description_en", "admin_field_description_en"),
                text_area_field(AdminAlliesState, "ally", "description_es", "admin_field_description_es"),
                columns=rx.breakpoints(initial="1", md="2"),
                gap="1rem",
            ),
            rx.flex(
                rx.button(t("admin_save"), on_click=AdminAlliesState.save, id="ally-save"),
                rx.cond(
                    AdminAlliesState.editing_id > 0,
                    rx.button(
                        t("admin_cancel"), on_click=AdminAlliesState.start_new, variant="soft", color_scheme="gray"
                    ),
                ),
                gap="0.75rem",
            ),
            direction="column",
            gap="1rem",
        ),
        id="ally-form",
    )


def _move_button(row: rx.Var[dict[str, str]], direction: int, icon: str, label_key: str, disabled) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=16),
        on_click=AdminAlliesState.move(row["id"].to(int), direction),
        disabled=disabled,
        aria_label=t(label_key),
        title=t(label_key),
        size="1",
        variant="soft",
    )


def _ally_row(row: rx.Var[dict[str, str]], index: rx.Var[int]) -> rx.Component:
    return keyed_by_id(
        rx.table.row(
            rx.table.cell(
                rx.flex(
                    _move_button(row, -1, "arrow-up", "admin_move_up", index == 0),
                    _move_button(
                        row, 1, "arrow-down", "admin_move_down", index == AdminAlliesState.allies.length() - 1
                    ),
                    gap="0.25rem",
                )
            ),
            rx.table.cell(rx.text(row["name"], weight="medium")),
            rx.table.cell(rx.link(row["url"], href=row["url"], is_external=True, size="2")),
            rx.table.cell(edit_and_delete(AdminAlliesState, row["id"])),
            class_name="admin-ally-row",
        ),
        row["id"],
    )


def admin_allies_page() -> rx.Component:
    """The allies list and form."""
    return admin_shell(
        record_page_top(AdminAlliesState, "admin_nav_allies", "admin_new_ally", "admin-new-ally", _form()),
        rx.cond(
            AdminAlliesState.allies.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(),
                        *[
                            rx.table.column_header_cell(t(key))
                            for key in ("admin_field_name", "admin_field_url", "admin_edit")
                        ],
                    )
                ),
                rx.table.body(rx.foreach(AdminAlliesState.allies, _ally_row)),
                width="100%",
                id="admin-allies",
            ),
            rx.text(t("admin_empty"), style=MUTED_TEXT),
        ),
    )
