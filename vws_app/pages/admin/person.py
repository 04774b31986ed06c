"""`/admin/person` (admins only): every record that holds an e-mail address, its export as JSON and its erasure."""

import reflex as rx

from vws_app.components.admin_form import notice
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t, t_by_code
from vws_app.state.admin_person import AdminPersonState as State
from vws_app.state.admin_session import AdminState
from vws_app.styles import MUTED_TEXT


def _search_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.label(t("admin_person_email"), html_for="person-email"),
            rx.input(
                name="email", id="person-email", type="email", auto_complete="off", required=True, min_width="18rem"
            ),
            rx.button(t("admin_person_find"), type="submit", id="person-find"),
            gap="0.75rem",
            align="center",
            wrap="wrap",
        ),
        on_submit=State.show_person,
        reset_on_submit=False,
    )


def _counts() -> rx.Component:
    return rx.table.root(
        rx.table.body(
            rx.foreach(
                State.counts,
                lambda row: rx.table.row(
                    rx.table.row_header_cell(t_by_code("admin_person_kind_", row["kind"])),
                    rx.table.cell(row["count"], id="person-count-" + row["kind"]),
                ),
            )
        ),
        variant="surface",
        size="1",
        id="person-counts",
    )


def _record(row: rx.Var[dict[str, str]]) -> rx.Component:
    item = rx.table.row(
        rx.table.cell(t_by_code("admin_person_kind_", row["kind"])),
        rx.table.cell("#" + row["id"]),
        rx.table.cell(rx.text(row["when"], style=MUTED_TEXT), white_space="nowrap"),
        rx.table.cell(row["detail"]),
        class_name="person-record",
    )
    item.key = row["key"]
    return item


def _confirm_erase() -> rx.Component:
    """ "Erase everywhere", asked once more with the address and what cannot be undone."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(t("admin_person_erase"), color_scheme="red", id="person-erase")),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("admin_person_erase")),
            rx.alert_dialog.description(rx.text(rx.el.strong(State.address)), rx.text(t("admin_person_erase_confirm"))),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("admin_cancel"), variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        t("admin_person_erase_yes"),
                        color_scheme="red",
                        on_click=State.erase_everywhere,
                        id="person-erase-confirm",
                    )
                ),
                gap="0.75rem",
                justify="end",
                margin_top="1rem",
            ),
        ),
    )


def _results() -> rx.Component:
    return rx.cond(
        State.address != "",
        rx.flex(
            rx.heading(t("admin_person_found_for"), " ", State.address, size="4", as_="h2", id="person-address"),
            _counts(),
            rx.cond(
                State.found_total > 0,
                rx.fragment(
                    rx.flex(
                        rx.button(
                            t("admin_person_export"), on_click=State.export_json, variant="outline", id="person-export"
                        ),
                        _confirm_erase(),
                        gap="0.75rem",
                    ),
                    rx.table.root(rx.table.body(rx.foreach(State.records, _record)), variant="surface", size="1"),
                ),
                rx.text(t("admin_person_none"), id="person-none"),
            ),
            direction="column",
            gap="1rem",
        ),
    )


def admin_person_page() -> rx.Component:
    """The search first; then counts, the two actions and the records; what the tool leaves alone is said up front."""
    return admin_shell(
        rx.heading(t("admin_nav_person"), size="6", as_="h1"),
        rx.cond(
            AdminState.is_admin,
            rx.flex(
                rx.text(t("admin_person_intro")),
                rx.text(t("admin_person_excluded"), size="2", style=MUTED_TEXT, id="person-excluded"),
                _search_form(),
                notice(State),
                _results(),
                direction="column",
                gap="1.25rem",
            ),
            rx.text(t("admin_person_admins_only")),
        ),
    )
