"""`/admin/subscribers`: the mailing list by language and status, its weekly growth, search, export, removal."""

import reflex as rx

from vws_app.components.admin_form import SELECT_STYLE, confirm_delete, filter_with_label, keyed_by_id, notice
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t, t_by_code
from vws_app.i18n import SUPPORTED_LANGUAGES
from vws_app.services.subscriber_admin import SUBSCRIBER_STATUSES
from vws_app.state.admin_subscribers import AdminSubscribersState as State
from vws_app.styles import MUTED_TEXT


def _counts_table() -> rx.Component:
    """Rows: languages; columns: statuses."""
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(t("admin_subscribers_language")),
                *[
                    rx.table.column_header_cell(t(f"admin_subscriber_status_{status}"))
                    for status in SUBSCRIBER_STATUSES
                ],
            )
        ),
        rx.table.body(
            *[
                rx.table.row(
                    rx.table.row_header_cell(t(f"language_name_{language}")),
                    *[
                        rx.table.cell(State.counts[language][status], id=f"count-{language}-{status}")
                        for status in SUBSCRIBER_STATUSES
                    ],
                )
                for language in SUPPORTED_LANGUAGES
            ]
        ),
        variant="surface",
        size="1",
    )


def _growth_chart() -> rx.Component:
    """Confirmed subscribers at the end of each week (recharts, drawn in the browser from the server's numbers)."""
    return rx.box(
        rx.heading(t("admin_subscribers_growth"), size="4", as_="h2"),
        rx.recharts.line_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
            rx.recharts.x_axis(data_key="week"),
            rx.recharts.y_axis(allow_decimals=False),
            rx.recharts.graphing_tooltip(),
            rx.recharts.line(
                data_key="confirmed", type_="monotone", stroke="var(--accent-11)", is_animation_active=False
            ),
            data=State.growth,
            width="100%",
            height=240,
        ),
        role="img",
        aria_label=t("admin_subscribers_growth"),
        id="subscribers-growth",
    )


def _filter(field: str, value: rx.Var, options: list[tuple[str, str]]) -> rx.Component:
    return filter_with_label(
        f"admin_subscribers_filter_{field}",
        f"subscribers-filter-{field}",
        rx.el.select(
            rx.el.option(t("admin_any"), value=""),
            *[rx.el.option(t(label_key), value=code) for code, label_key in options],
            value=value,
            on_change=lambda chosen: State.set_filter(field, chosen),
            id=f"subscribers-filter-{field}",
            style=SELECT_STYLE,
        ),
    )


def _search_bar() -> rx.Component:
    return rx.flex(
        rx.form(
            rx.flex(
                filter_with_label(
                    "admin_subscribers_search",
                    "subscribers-query",
                    rx.input(name="query", id="subscribers-query", type="search"),
                ),
                rx.button(t("search_submit"), type="submit", variant="soft"),
                gap="0.5rem",
                align="end",
            ),
            on_submit=State.search,
        ),
        _filter(
            "status",
            State.status_filter,
            [(status, f"admin_subscriber_status_{status}") for status in SUBSCRIBER_STATUSES],
        ),
        _filter("language", State.language_filter, [(code, f"language_name_{code}") for code in SUPPORTED_LANGUAGES]),
        gap="0.75rem",
        wrap="wrap",
        align="end",
    )


def _subscriber(row: rx.Var[dict[str, str]]) -> rx.Component:
    return keyed_by_id(
        rx.table.row(
            rx.table.cell(row["email"]),
            rx.table.cell(t_by_code("language_name_", row["language"])),
            rx.table.cell(t_by_code("admin_subscriber_status_", row["status"])),
            rx.table.cell(rx.text(row["created_at"], style=MUTED_TEXT)),
            rx.table.cell(confirm_delete(State.remove_subscriber(row["id"].to(int)))),
            class_name="subscriber-row",
        ),
        row["id"],
    )


def _pages() -> rx.Component:
    return rx.flex(
        rx.button(
            t("search_previous"), on_click=State.change_page(-1), variant="soft", size="1", disabled=State.page <= 1
        ),
        rx.text(State.page, " / ", State.page_count, size="2"),
        rx.button(
            t("search_next"),
            on_click=State.change_page(1),
            variant="soft",
            size="1",
            disabled=State.page >= State.page_count,
        ),
        gap="1rem",
        align="center",
        justify="center",
    )


def admin_subscribers_page() -> rx.Component:
    """Counts first (what editors look at), then the chart, then the searchable list."""
    return admin_shell(
        rx.flex(
            rx.heading(t("admin_nav_subscribers"), size="6", as_="h1"),
            rx.spacer(),
            rx.button(t("admin_export_csv"), on_click=State.export_csv, variant="outline", id="subscribers-export"),
            align="center",
        ),
        notice(State),
        _counts_table(),
        _growth_chart(),
        _search_bar(),
        rx.text(t("admin_subscribers_found"), " ", State.total, size="2", id="subscribers-total"),
        rx.cond(
            State.rows.length() > 0,
            rx.table.root(rx.table.body(rx.foreach(State.rows, _subscriber)), variant="surface", size="1"),
            rx.text(t("admin_empty")),
        ),
        _pages(),
    )
