"""`/events`: upcoming events and the archive of past ones by year."""

import reflex as rx

from vws_app.components.layout import page_shell
from vws_app.components.pointers import pointer_links
from vws_app.components.translated import t
from vws_app.services.content import EventView
from vws_app.services.site_routes import CONTACT, FOLLOW, POSTS
from vws_app.state.events import EventsState, EventYear
from vws_app.state.language import LanguageState
from vws_app.styles import CARD_STYLE, MUTED_TEXT


def _event_card(event: rx.Var[EventView]) -> rx.Component:
    return rx.card(
        rx.cond(event.cancelled, rx.badge(t("events_cancelled"), color_scheme="red")),
        rx.heading(rx.link(event.title, href="/events/" + event.id.to_string()), size="4", as_="h3"),
        rx.text(event.date_label, " · ", event.time_label, size="2", style=MUTED_TEXT, as_="p", margin_y="0.5rem"),
        rx.cond(event.place != "", rx.text(t("events_place"), ": ", event.place, as_="p", size="2")),
        rx.cond(event.is_online, rx.text(t("events_online_private"), as_="p", size="2")),
        rx.text(event.description, as_="p", margin_top="0.5rem", style={"white_space": "pre-line"}),
        rx.cond(
            event.next_dates.length() > 0,
            rx.text(t("events_next_dates"), ": ", event.next_dates.join("; "), as_="p", size="2", style=MUTED_TEXT),
        ),
        rx.link(t("events_details"), href="/events/" + event.id.to_string(), size="2"),
        class_name="event-card",
        style=CARD_STYLE,
    )


def _past_year(group: rx.Var[EventYear]) -> rx.Component:
    return rx.el.section(
        rx.heading(group.year.to_string(), size="4", as_="h3", margin_bottom="0.5rem"),
        rx.flex(rx.foreach(group.events, _event_card), direction="column", gap="0.75rem"),
    )


def _empty_upcoming() -> rx.Component:
    return rx.callout.root(
        rx.callout.text(t("events_empty")),
        pointer_links(
            ("home_cta_button", CONTACT.path), ("empty_follow", FOLLOW.path), ("empty_read_posts", POSTS.path)
        ),
        id="events-empty",
    )


def events_page() -> rx.Component:
    """The events page."""
    view = EventsState.view
    return page_shell(
        rx.heading(t("events_heading"), size="8", as_="h1"),
        # A plain <a>: a calendar file is downloaded or handed to a calendar app, not routed in the app.
        rx.el.elements.a(
            rx.icon("calendar", size=16, aria_hidden="true"),
            t("events_subscribe_calendar"),
            href=rx.cond(LanguageState.lang == "es", "/es/events.ics", "/events.ics"),
            id="events-calendar-feed",
            class_name="rt-Text rt-reset rt-Link",
            style={"display": "inline-flex", "align_items": "center", "gap": "0.4rem"},
        ),
        rx.el.section(
            rx.heading(t("events_upcoming"), size="6", as_="h2", margin_bottom="1rem"),
            rx.cond(
                view.upcoming.length() > 0,
                rx.flex(rx.foreach(view.upcoming, _event_card), direction="column", gap="1rem"),
                _empty_upcoming(),
            ),
        ),
        rx.el.section(
            rx.heading(t("events_past"), size="6", as_="h2", margin_bottom="1rem"),
            rx.cond(
                view.past.length() > 0,
                rx.flex(rx.foreach(view.past, _past_year), direction="column", gap="1.5rem"),
                rx.text(t("events_past_empty"), style=MUTED_TEXT),
            ),
        ),
        ready=EventsState.loaded,
    )
