"""`/admin/events`: upcoming and past events, and the form that adds or edits one."""

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
from vws_app.state.admin_events import AdminEventsState
from vws_app.styles import MUTED_TEXT


def _time_zone_picker() -> rx.Component:
    """The zone field: type a city, pick one of the matches (each with its offset now)."""
    return rx.flex(
        text_field(
            AdminEventsState,
            "event",
            "timezone",
            "admin_field_timezone",
            auto_complete="off",
            placeholder=t("admin_timezone_placeholder"),
        ),
        rx.cond(
            AdminEventsState.timezone_offset != "",
            rx.text(AdminEventsState.timezone_offset, size="1", style=MUTED_TEXT, id="event-timezone-offset"),
        ),
        rx.cond(
            AdminEventsState.timezone_matches.length() > 0,
            rx.el.ul(
                rx.foreach(
                    AdminEventsState.timezone_matches,
                    lambda zone: rx.el.li(
                        rx.button(
                            zone["label"],
                            type="button",
                            variant="soft",
                            size="1",
                            class_name="timezone-choice",
                            on_click=AdminEventsState.set_form_field("timezone", zone["name"]),
                            style={
                                "max_width": "100%",
                                "white_space": "normal",
                                "height": "auto",
                                "text_align": "left",
                            },
                        )
                    ),
                ),
                id="event-timezone-matches",
                aria_label=t("admin_timezone_matches"),
                style={
                    "list_style": "none",
                    "padding": 0,
                    "margin": 0,
                    "display": "flex",
                    "flex_direction": "column",
                    "gap": "0.25rem",
                },
            ),
        ),
        direction="column",
        gap="0.35rem",
    )


def _form() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(
                rx.cond(AdminEventsState.editing_id > 0, t("admin_edit"), t("admin_new_event")), size="4", as_="h2"
            ),
            form_error(AdminEventsState),
            rx.grid(
                text_field(AdminEventsState, "event", "title_en", "admin_field_title_en"),
                text_field(AdminEventsState, "event", "title_es", "admin_field_title_es"),
                text_area_field(AdminEventsState, "event", "description_en", "admin_field_description_en", rows="5"),
                text_area_field(AdminEventsState, "event", "description_es", "admin_field_description_es", rows="5"),
                _time_zone_picker(),
                rx.box(),
                text_field(AdminEventsState, "event", "starts_at", "admin_field_starts_at", type="datetime-local"),
                text_field(AdminEventsState, "event", "ends_at", "admin_field_ends_at", type="datetime-local"),
                text_field(AdminEventsState, "event", "place", "admin_field_place_en"),
                text_field(AdminEventsState, "event", "place_es", "admin_field_place_es"),
                text_field(AdminEventsState, "event", "online_url", "admin_field_online_url", type="url"),
                text_field(AdminEventsState, "event", "recurrence", "admin_field_recurrence", auto_complete="off"),
                columns=rx.breakpoints(initial="1", md="2"),
                gap="1rem",
            ),
            rx.flex(
                rx.button(t("admin_save"), on_click=AdminEventsState.save, id="event-save"),
                rx.cond(
                    AdminEventsState.editing_id > 0,
                    rx.button(
                        t("admin_cancel"), on_click=AdminEventsState.start_new, variant="soft", color_scheme="gray"
                    ),
                ),
                gap="0.75rem",
            ),
            direction="column",
            gap="1rem",
        ),
        id="event-form",
    )


def _event_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return keyed_by_id(
        rx.table.row(
            rx.table.cell(rx.text(row["title_en"]), rx.text(row["title_es"], size="1", style=MUTED_TEXT)),
            rx.table.cell(rx.text(row["starts_at"]), rx.text(row["timezone"], size="1", style=MUTED_TEXT)),
            rx.table.cell(
                rx.cond(row["place"] != "", row["place"], rx.cond(row["online_url"] != "", t("events_online"), ""))
            ),
            rx.table.cell(
                edit_and_delete(AdminEventsState, row["id"]),
                rx.link(t("admin_nav_rsvps"), href="/admin/rsvps?event=" + row["id"], size="2"),
            ),
            class_name="admin-event-row",
        ),
        row["id"],
    )


def _event_table(heading_key: str, rows: rx.Var, table_id: str) -> rx.Component:
    return rx.el.section(
        rx.heading(t(heading_key), size="4", as_="h2", margin_bottom="0.5rem"),
        rx.cond(
            rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(t(key))
                            for key in (
                                "admin_field_title",
                                "admin_field_starts_at",
                                "admin_field_place",
                                "admin_edit",
                            )
                        ]
                    )
                ),
                rx.table.body(rx.foreach(rows, _event_row)),
                width="100%",
            ),
            rx.text(t("admin_empty"), style=MUTED_TEXT),
        ),
        id=table_id,
    )


def admin_events_page() -> rx.Component:
    """The events list and form."""
    return admin_shell(
        record_page_top(AdminEventsState, "admin_nav_events", "admin_new_event", "admin-new-event", _form()),
        _event_table("events_upcoming", AdminEventsState.upcoming, "admin-events-upcoming"),
        _event_table("events_past", AdminEventsState.past, "admin-events-past"),
    )
