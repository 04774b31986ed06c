"""`/events/<id>`: one event, its next dates, "Add to calendar", and the RSVP form (a plain POST without JavaScript)."""

import reflex as rx

from vws_app.components.follow_form import HONEYPOT_STYLE, NATIVE_CONTROL_STYLE
from vws_app.components.layout import page_shell
from vws_app.components.privacy_notice import privacy_notice
from vws_app.components.translated import t
from vws_app.services.rsvp_places import MAX_PEOPLE
from vws_app.services.site_routes import EVENTS
from vws_app.state.event_page import EventPageState
from vws_app.styles import CARD_STYLE, MUTED_TEXT


def _error(field: str) -> rx.Component:
    return rx.text(
        rx.cond(EventPageState.error_texts.contains(field), EventPageState.error_texts[field], ""),
        id=f"rsvp-{field}-error",
        color_scheme="red",
        size="2",
        aria_live="polite",
    )


def _labelled(field: str, control: rx.Component) -> rx.Component:
    return rx.flex(
        rx.el.label(rx.text(t(f"rsvp_{field}"), weight="medium", size="2"), html_for=f"rsvp-{field}"),
        control,
        _error(field),
        direction="column",
        gap="0.35rem",
    )


def _invalid(field: str):
    return rx.cond(EventPageState.error_texts.contains(field), "true", "false")


def _text_input(field: str, kind: str, autocomplete: str) -> rx.Component:
    return _labelled(
        field,
        rx.input(
            type=kind,
            id=f"rsvp-{field}",
            name=field,
            auto_complete=autocomplete,
            required=True,
            max_length=320,
            size="3",
            aria_invalid=_invalid(field),
            aria_describedby=f"rsvp-{field}-error",
        ),
    )


def _rsvp_form() -> rx.Component:
    event = EventPageState.event
    return rx.form(
        rx.flex(
            _text_input("name", "text", "name"),
            _text_input("email", "email", "email"),
            _labelled(
                "people",
                rx.el.input(
                    type="number",
                    id="rsvp-people",
                    name="people",
                    min=1,
                    max=MAX_PEOPLE,
                    default_value="1",
                    aria_invalid=_invalid("people"),
                    aria_describedby="rsvp-people-error",
                    style=NATIVE_CONTROL_STYLE,
                ),
            ),
            _labelled(
                "note",
                rx.text_area(
                    id="rsvp-note",
                    name="note",
                    rows="3",
                    max_length=1000,
                    aria_invalid=_invalid("note"),
                    aria_describedby="rsvp-note-error",
                ),
            ),
            rx.flex(
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name="consent",
                        value="yes",
                        id="rsvp-consent",
                        aria_describedby="rsvp-consent-error",
                        style={"margin_top": "0.3rem"},
                    ),
                    rx.text(t("rsvp_consent"), size="2"),
                    html_for="rsvp-consent",
                    style={"display": "flex", "gap": "0.5rem", "align_items": "flex-start"},
                ),
                _error("consent"),
                direction="column",
                gap="0.35rem",
            ),
            rx.el.div(
                rx.el.label(t("contact_website"), html_for="rsvp-website"),
                rx.el.input(id="rsvp-website", name="website", type="text", tab_index=-1, auto_complete="off"),
                aria_hidden="true",
                style=HONEYPOT_STYLE,
            ),
            rx.button(
                t("rsvp_submit"), type="submit", size="3", id="rsvp-submit", width="fit-content", high_contrast=True
            ),
            privacy_notice("rsvp"),
            direction="column",
            gap="1rem",
        ),
        on_submit=EventPageState.submit,
        action="/events/" + event.id.to_string() + "/rsvp",
        method="post",
        id="rsvp-form",
        no_validate=True,
        position="relative",
    )


def _outcome() -> rx.Component:
    return rx.cond(
        EventPageState.outcome_text != "",
        rx.callout.root(
            rx.callout.text(EventPageState.outcome_text),
            color_scheme=rx.cond(EventPageState.taken, "green", "red"),
            id="rsvp-outcome",
            role=rx.cond(EventPageState.taken, "status", "alert"),
        ),
    )


def _rsvp_section() -> rx.Component:
    return rx.el.section(
        rx.heading(t("rsvp_heading"), size="6", as_="h2", margin_bottom="1rem", id="rsvp-heading"),
        _outcome(),
        rx.cond(EventPageState.taken, rx.fragment(), _rsvp_form()),
        style=CARD_STYLE,
        aria_labelledby="rsvp-heading",
    )


def _details() -> rx.Component:
    event = EventPageState.event
    return rx.el.article(
        rx.cond(event.cancelled, rx.badge(t("events_cancelled"), color_scheme="red", size="2", id="event-cancelled")),
        rx.heading(event.title, size="8", as_="h1", margin_y="0.75rem", id="event-title"),
        rx.text(
            event.date_label,
            " · ",
            event.time_label,
            rx.cond(event.end_label != "", rx.el.span(" – ", event.end_label, id="event-end")),
            as_="p",
            style=MUTED_TEXT,
            id="event-when",
        ),
        rx.cond(event.place != "", rx.text(t("events_place"), ": ", event.place, as_="p")),
        rx.cond(event.is_online, rx.text(t("events_online_private"), as_="p", size="2")),
        rx.text(event.description, as_="p", margin_top="1rem", style={"white_space": "pre-line"}),
        rx.cond(
            event.next_dates.length() > 0,
            rx.box(
                rx.heading(t("events_next_dates"), size="4", as_="h2", margin_top="1rem"),
                rx.el.ul(rx.foreach(event.next_dates, lambda when: rx.el.li(when)), id="event-next-dates"),
            ),
        ),
        # A plain <a>: React Router's link would route the .ics address inside the app instead of downloading it.
        rx.el.elements.a(
            rx.icon("calendar-plus", size=16, aria_hidden="true"),
            t("events_add_to_calendar"),
            href=event.ics_path,
            id="add-to-calendar",
            class_name="rt-Text rt-reset rt-Link",
            style={"display": "inline-flex", "align_items": "center", "gap": "0.4rem", "margin_top": "1rem"},
        ),
    )


def event_page() -> rx.Component:
    """An event's page, or a not-found message for an unknown id."""
    event = EventPageState.event
    return page_shell(
        rx.cond(
            event.found,
            rx.fragment(_details(), rx.cond(event.rsvp_open, _rsvp_section())),
            rx.cond(EventPageState.loaded, rx.heading(t("event_not_found"), size="6", as_="h1", id="event-not-found")),
        ),
        rx.link(t("event_back"), href=EVENTS.path),
        ready=EventPageState.loaded,
    )
