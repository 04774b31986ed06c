"""`/admin/rsvps`: one event's RSVP settings, headcount, list with notes, CSV, attendance, removal, message to all, cancelling."""

import reflex as rx

from vws_app.components.admin_form import SELECT_STYLE, confirm_delete, keyed_by_id, notice
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t, t_by_code
from vws_app.state.admin_rsvps import AdminRsvpsState as State
from vws_app.styles import MUTED_TEXT


def _chooser() -> rx.Component:
    return rx.flex(
        rx.el.label(t("admin_rsvps_choose_event"), html_for="rsvps-event", weight="medium"),
        rx.el.select(
            rx.el.option(t("admin_rsvps_choose_placeholder"), value="0"),
            rx.foreach(State.events, lambda event: rx.el.option(event["label"], value=event["id"])),
            value=State.selected_id.to_string(),
            on_change=State.choose_event,
            id="rsvps-event",
            style=SELECT_STYLE,
        ),
        gap="0.75rem",
        align="center",
        wrap="wrap",
    )


def _headcount() -> rx.Component:
    return rx.flex(
        rx.card(
            rx.text(t("admin_rsvps_confirmed_count"), size="2", style=MUTED_TEXT),
            rx.heading(State.headcount["confirmed"], size="7", id="headcount-confirmed"),
            rx.cond(State.headcount["capacity"] != "", rx.text("/ ", State.headcount["capacity"], size="2")),
        ),
        rx.card(
            rx.text(t("admin_rsvps_waitlisted_count"), size="2", style=MUTED_TEXT),
            rx.heading(State.headcount["waitlisted"], size="7", id="headcount-waitlisted"),
        ),
        gap="1rem",
        wrap="wrap",
    )


def _settings() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.label(
                rx.el.input(
                    type="checkbox",
                    name="rsvp_enabled",
                    id="rsvps-enabled",
                    default_checked=State.rsvp_enabled,
                    key=State.selected_id.to_string() + State.rsvp_enabled.to_string(),
                ),
                t("admin_rsvps_enabled"),
                html_for="rsvps-enabled",
                style={"display": "flex", "gap": "0.5rem", "align_items": "center"},
            ),
            rx.el.label(t("admin_rsvps_capacity"), html_for="rsvps-capacity"),
            rx.input(
                name="capacity",
                id="rsvps-capacity",
                type="number",
                min=1,
                default_value=State.capacity,
                key=State.selected_id.to_string() + State.capacity,
            ),
            rx.button(t("admin_rsvps_save"), type="submit", id="rsvps-save"),
            gap="0.75rem",
            align="center",
            wrap="wrap",
        ),
        on_submit=State.save_settings,
    )


def _row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return keyed_by_id(
        rx.table.row(
            rx.table.cell(rx.text(row["name"]), rx.text(row["email"], size="1", style=MUTED_TEXT)),
            rx.table.cell(row["people"]),
            rx.table.cell(t_by_code("admin_rsvps_status_", row["status"])),
            rx.table.cell(rx.text(row["note"], style={"white_space": "pre-line"})),
            rx.table.cell(t_by_code("language_name_", row["language"])),
            rx.table.cell(
                rx.checkbox(
                    checked=row["attended"] == "yes",
                    aria_label=t("admin_rsvps_mark_attended"),
                    on_change=lambda checked: State.set_attended(row["id"].to(int), checked),
                )
            ),
            rx.table.cell(confirm_delete(State.remove_rsvp(row["id"].to(int)))),
            class_name="admin-rsvp-row",
        ),
        row["id"],
    )


def _list() -> rx.Component:
    headers = (
        "rsvp_name",
        "admin_rsvps_people",
        "admin_field_status",
        "admin_rsvps_note",
        "admin_subscribers_language",
        "admin_rsvps_attended",
        "admin_rsvps_remove",
    )
    return rx.cond(
        State.rsvps.length() > 0,
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(key)) for key in headers])),
            rx.table.body(rx.foreach(State.rsvps, _row)),
            width="100%",
            id="rsvps-list",
        ),
        rx.text(t("admin_rsvps_none"), style=MUTED_TEXT),
    )


def _message() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.heading(t("admin_rsvps_message_heading"), size="4", as_="h2"),
            rx.el.label(t("admin_rsvps_message_subject"), html_for="rsvps-subject"),
            rx.input(name="subject", id="rsvps-subject", max_length=200),
            rx.el.label(t("admin_rsvps_message_body"), html_for="rsvps-body"),
            rx.text_area(name="body", id="rsvps-body", rows="5"),
            rx.button(t("admin_rsvps_message_send"), type="submit", id="rsvps-send", width="fit-content"),
            direction="column",
            gap="0.5rem",
        ),
        on_submit=State.send_message,
        reset_on_submit=True,
    )


def _cancel_event() -> rx.Component:
    return rx.cond(
        State.cancelled,
        rx.badge(t("events_cancelled"), color_scheme="red"),
        rx.alert_dialog.root(
            rx.alert_dialog.trigger(rx.button(t("admin_rsvps_cancel_event"), color_scheme="red", variant="soft")),
            rx.alert_dialog.content(
                rx.alert_dialog.title(t("admin_rsvps_cancel_event")),
                rx.flex(
                    rx.alert_dialog.cancel(rx.button(t("admin_cancel"), variant="soft", color_scheme="gray")),
                    rx.alert_dialog.action(
                        rx.button(t("admin_rsvps_cancel_event"), color_scheme="red", on_click=State.cancel_event)
                    ),
                    gap="0.75rem",
                    justify="end",
                    margin_top="1rem",
                ),
            ),
        ),
    )


def admin_rsvps_page() -> rx.Component:
    """The chosen event's RSVPs."""
    return admin_shell(
        rx.heading(t("admin_nav_rsvps"), size="6", as_="h1"),
        notice(State),
        _chooser(),
        rx.cond(
            State.selected_id > 0,
            rx.flex(
                _headcount(),
                _settings(),
                rx.flex(
                    rx.button(t("admin_rsvps_export"), on_click=State.export_csv, variant="soft", id="rsvps-export"),
                    _cancel_event(),
                    gap="0.75rem",
                ),
                _list(),
                _message(),
                direction="column",
                gap="1.5rem",
            ),
        ),
    )
