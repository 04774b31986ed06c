"""`/admin/redirects`: old addresses and where they lead; add, remove, import a CSV list, export it."""

import reflex as rx

from vws_app.components.admin_form import confirm_delete, keyed_by_id, notice
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t, t_by_code
from vws_app.state.admin_redirects import AdminRedirectsState
from vws_app.styles import MUTED_TEXT

UPLOAD_ID = "redirects-csv"


def _error(field: str) -> rx.Component:
    state = AdminRedirectsState
    return rx.text(
        rx.cond(state.error_texts.contains(field), state.error_texts[field], ""),
        color_scheme="red",
        size="2",
        id=f"redirect-{field}-error",
        aria_live="polite",
    )


def _field(name: str, label_key: str) -> rx.Component:
    return rx.flex(
        rx.el.label(rx.text(t(label_key), weight="medium", size="2"), html_for=f"redirect-{name}"),
        rx.input(id=f"redirect-{name}", name=name, aria_describedby=f"redirect-{name}-error", max_length=500),
        _error(name),
        direction="column",
        gap="0.3rem",
        flex="1",
        min_width="14rem",
    )


def _add_form() -> rx.Component:
    return rx.form(
        rx.flex(
            _field("old_path", "admin_redirects_old_path"),
            _field("target", "admin_redirects_target"),
            rx.button(t("admin_redirects_add"), type="submit", id="redirect-add", margin_top="1.5rem"),
            gap="1rem",
            wrap="wrap",
            align="start",
        ),
        on_submit=AdminRedirectsState.add,
        reset_on_submit=False,
    )


def _import() -> rx.Component:
    state = AdminRedirectsState
    return rx.flex(
        rx.heading(t("admin_redirects_import"), size="4", as_="h2"),
        rx.text(t("admin_redirects_import_help"), size="2", style=MUTED_TEXT),
        rx.flex(
            rx.upload(
                rx.button(t("admin_redirects_choose_file"), variant="soft", type="button"),
                id=UPLOAD_ID,
                accept={"text/csv": [".csv"], "text/plain": [".txt"]},
                max_files=1,
                on_drop=state.import_file(rx.upload_files(upload_id=UPLOAD_ID)),
                border="1px dashed var(--gray-a7)",
                padding="0.75rem",
            ),
            rx.button(t("admin_redirects_export"), variant="soft", on_click=state.export, id="redirects-export"),
            gap="1rem",
            align="center",
            wrap="wrap",
        ),
        _error("file"),
        rx.cond(
            state.import_summary != "", rx.text(state.import_summary, role="status", id="redirects-import-summary")
        ),
        rx.el.ul(rx.foreach(state.import_errors, lambda line: rx.el.li(line)), id="redirects-import-errors"),
        direction="column",
        gap="0.5rem",
    )


def _row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return keyed_by_id(
        rx.table.row(
            rx.table.cell(rx.code(row["old_path"])),
            rx.table.cell(
                rx.cond(row["target"] != "", rx.link(row["target"], href=row["target"]), t("admin_redirects_gone"))
            ),
            rx.table.cell(t_by_code("admin_redirects_origin_", row["origin"])),
            rx.table.cell(confirm_delete(AdminRedirectsState.remove(row["id"].to(int)))),
            class_name="redirect-row",
        ),
        row["id"],
    )


def admin_redirects_page() -> rx.Component:
    """The redirects list and its forms."""
    state = AdminRedirectsState
    return admin_shell(
        rx.heading(t("admin_nav_redirects"), size="6", as_="h1"),
        rx.text(t("admin_redirects_intro"), size="2", style=MUTED_TEXT),
        notice(state),
        _add_form(),
        rx.cond(
            state.rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(t(key))
                            for key in (
                                "admin_redirects_old_path",
                                "admin_redirects_leads_to",
                                "admin_redirects_origin",
                                "admin_redirects_actions",
                            )
                        ]
                    )
                ),
                rx.table.body(rx.foreach(state.rows, _row)),
                width="100%",
                id="redirects-list",
            ),
            rx.text(t("admin_empty")),
        ),
        _import(),
    )
