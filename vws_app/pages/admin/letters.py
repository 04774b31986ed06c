"""`/admin/letters`: open letters — sign-on settings, counts, daily chart, moderation queue, CSV and the list as text."""

import reflex as rx

from vws_app.components.admin_form import SELECT_STYLE, confirm_delete, filter_with_label, keyed_by_id, notice
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t, t_by_code
from vws_app.services.letters_admin import STATUSES
from vws_app.state.admin_letters import AdminLettersState as State
from vws_app.styles import MUTED_TEXT


def _letter(row: rx.Var[dict[str, str]]) -> rx.Component:
    return keyed_by_id(
        rx.table.row(
            rx.table.cell(
                rx.button(row["title"], on_click=State.choose(row["key"]), variant="ghost", class_name="letter-choose")
            ),
            rx.table.cell(rx.cond(row["open"] != "", rx.badge(t("admin_letters_open_badge"), color_scheme="green"))),
            rx.table.cell(row["people"]),
            rx.table.cell(row["organisations"]),
        ),
        row["key"],
    )


def _letters_table() -> rx.Component:
    return rx.cond(
        State.letters.length() > 0,
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(t("admin_letters_letter")),
                    rx.table.column_header_cell(t("admin_letters_sign_on")),
                    rx.table.column_header_cell(t("admin_letters_people")),
                    rx.table.column_header_cell(t("admin_letters_organisations")),
                )
            ),
            rx.table.body(rx.foreach(State.letters, _letter)),
            variant="surface",
            size="1",
        ),
        rx.text(t("admin_letters_none")),
    )


def _checkbox(name: str, label_key: str, checked: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, value="yes", default_checked=checked, id=f"letter-{name}"),
        rx.text(t(label_key), size="2"),
        html_for=f"letter-{name}",
        style={"display": "flex", "gap": "0.5rem", "align_items": "center"},
    )


def _settings() -> rx.Component:
    return rx.form(
        rx.flex(
            _checkbox("is_open", "admin_letters_is_open", State.is_open),
            _checkbox("moderated", "admin_letters_moderation", State.moderated),
            rx.el.label(t("admin_letters_closes_on"), html_for="letter-closes-on"),
            rx.input(type="date", name="closes_on", id="letter-closes-on", default_value=State.closes_on),
            rx.el.label(t("admin_letters_goal"), html_for="letter-goal"),
            rx.input(type="number", name="goal", id="letter-goal", min=0, default_value=State.goal),
            rx.button(t("admin_letters_save"), type="submit", id="letter-save"),
            direction="column",
            gap="0.5rem",
            max_width="24rem",
        ),
        on_submit=State.save_settings,
        key=State.selected_key + State.is_open.to(str) + State.moderated.to(str) + State.closes_on + State.goal,
        id="letter-settings",
    )


def _counts() -> rx.Component:
    return rx.flex(
        *[
            rx.flex(
                rx.text(t(f"admin_letters_status_{status}"), size="1", style=MUTED_TEXT),
                rx.text(State.counts[status], size="5", weight="bold", id=f"letter-count-{status}"),
                direction="column",
            )
            for status in STATUSES
        ],
        gap="2rem",
        wrap="wrap",
    )


def _chart() -> rx.Component:
    return rx.box(
        rx.heading(t("admin_letters_chart"), size="4", as_="h3"),
        rx.recharts.bar_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
            rx.recharts.x_axis(data_key="day"),
            rx.recharts.y_axis(allow_decimals=False),
            rx.recharts.graphing_tooltip(),
            rx.recharts.bar(data_key="confirmed", fill="var(--accent-9)", is_animation_active=False),
            data=State.chart,
            width="100%",
            height=220,
        ),
        role="img",
        aria_label=t("admin_letters_chart"),
        id="letter-chart",
    )


def _signature(row: rx.Var[dict[str, str]]) -> rx.Component:
    return keyed_by_id(
        rx.table.row(
            rx.table.cell(
                rx.el.input(
                    type="checkbox",
                    checked=State.selected_ids.contains(row["id"]),
                    on_change=lambda _checked: State.toggle_selected(row["id"].to(int)),
                    aria_label=row["name"],
                )
            ),
            rx.table.cell(rx.text(row["name"], weight="medium"), rx.text(row["details"], size="1", style=MUTED_TEXT)),
            rx.table.cell(rx.text(row["email"], size="1")),
            rx.table.cell(t_by_code("admin_letters_kind_", row["kind"])),
            rx.table.cell(t_by_code("admin_letters_status_", row["status"]), class_name="signature-status"),
            rx.table.cell(
                rx.flex(
                    rx.button(
                        t("admin_letters_approve"),
                        size="1",
                        variant="soft",
                        on_click=State.moderate_one(row["id"].to(int), "approve"),
                    ),
                    rx.button(
                        t("admin_letters_hide"),
                        size="1",
                        variant="soft",
                        color_scheme="gray",
                        on_click=State.moderate_one(row["id"].to(int), "hide"),
                    ),
                    confirm_delete(State.moderate_one(row["id"].to(int), "delete")),
                    gap="0.5rem",
                )
            ),
            class_name="signature-row",
        ),
        row["id"],
    )


def _queue() -> rx.Component:
    return rx.flex(
        rx.flex(
            rx.form(
                rx.flex(
                    filter_with_label(
                        "admin_letters_search",
                        "signatures-query",
                        rx.input(name="query", type="search", id="signatures-query"),
                    ),
                    rx.button(t("search_submit"), type="submit", variant="soft"),
                    gap="0.5rem",
                    align="end",
                ),
                on_submit=State.search,
            ),
            filter_with_label(
                "admin_letters_filter_status",
                "signatures-filter-status",
                rx.el.select(
                    rx.el.option(t("admin_any"), value=""),
                    *[rx.el.option(t(f"admin_letters_status_{status}"), value=status) for status in STATUSES],
                    value=State.status_filter,
                    on_change=lambda chosen: State.set_filter("status", chosen),
                    id="signatures-filter-status",
                    style=SELECT_STYLE,
                ),
            ),
            gap="0.75rem",
            wrap="wrap",
            align="end",
        ),
        rx.flex(
            rx.button(t("admin_letters_select_all"), size="1", variant="outline", on_click=State.toggle_all),
            rx.button(
                t("admin_letters_approve"),
                size="1",
                on_click=State.moderate_selected("approve"),
                disabled=State.selected_ids.length() == 0,
                id="bulk-approve",
            ),
            rx.button(
                t("admin_letters_hide"),
                size="1",
                color_scheme="gray",
                on_click=State.moderate_selected("hide"),
                disabled=State.selected_ids.length() == 0,
                id="bulk-hide",
            ),
            confirm_delete(State.moderate_selected("delete")),
            gap="0.5rem",
            align="center",
            wrap="wrap",
        ),
        rx.text(t("admin_subscribers_found"), " ", State.total, size="2", id="signatures-total"),
        rx.table.root(rx.table.body(rx.foreach(State.rows, _signature)), variant="surface", size="1"),
        rx.flex(
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
        ),
        direction="column",
        gap="0.75rem",
    )


def _chosen_letter() -> rx.Component:
    return rx.cond(
        State.selected_key != "",
        rx.flex(
            rx.flex(
                rx.heading(State.selected_title, size="5", as_="h2", id="letter-title"),
                rx.spacer(),
                rx.button(t("admin_letters_copy"), on_click=State.copy_as_text, variant="outline", id="letter-copy"),
                rx.button(t("admin_export_csv"), on_click=State.export_csv, variant="outline", id="letter-export"),
                gap="0.75rem",
                align="center",
                wrap="wrap",
            ),
            _settings(),
            _counts(),
            _chart(),
            _queue(),
            direction="column",
            gap="1.25rem",
        ),
    )


def admin_letters_page() -> rx.Component:
    """The letters first; the chosen one's settings, counts, chart and queue below."""
    return admin_shell(
        rx.heading(t("admin_nav_letters"), size="6", as_="h1"),
        notice(State),
        _letters_table(),
        _chosen_letter(),
    )
