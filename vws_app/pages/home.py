"""`/`: who we are, the featured and latest posts, the next meeting, and the ways to take part."""

import reflex as rx

from vws_app.components.layout import page_shell
from vws_app.components.pointers import pointer_links
from vws_app.components.post_card import featured_post_card, post_card
from vws_app.components.translated import t
from vws_app.services.home_page import TAKE_PART, NextMeeting
from vws_app.services.site_routes import CONTACT, FOLLOW, POSTS
from vws_app.state.home import HomeState
from vws_app.styles import MUTED_TEXT


def _about() -> rx.Component:
    return rx.el.section(
        rx.heading(t("home_about_heading"), size="8", as_="h1", margin_bottom="1rem"),
        # Size 4, as the server's text shows it before the app runs: a larger live copy would be a
        # new, later "largest contentful paint" (Lighthouse measured 1.1 s → 3.1 s with size 5).
        rx.text(
            HomeState.view.mission,
            size="4",
            weight="medium",
            as_="p",
            margin_bottom="1rem",
            id="mission",
            style={"max_width": "var(--vws-measure)"},
        ),
        rx.text(
            HomeState.view.goal, size="3", as_="p", id="goal", style={**MUTED_TEXT, "max_width": "var(--vws-measure)"}
        ),
    )


def _when_loaded(*sections: rx.Component) -> rx.Component:
    """`sections` once the content is there, in a block at least a screen tall.

    The mission, goal and cards arrive after hydration. Filled in place they would push
    everything below them down (a layout shift); shown all at once into space that is
    already reserved, nothing on screen moves.
    """
    return rx.box(
        rx.cond(HomeState.loaded, rx.flex(*sections, direction="column", gap="2.5rem")),
        min_height="100vh",
    )


def _meeting(meeting: rx.Var[NextMeeting]) -> rx.Component:
    event = meeting.event
    return rx.flex(
        rx.heading(
            rx.link(event.title, href="/events/" + event.id.to_string(), high_contrast=True),
            size="5",
            as_="h3",
            id="next-event-title",
        ),
        rx.text(event.date_label, " · ", event.time_label, size="3", weight="medium", as_="p", id="next-event-date"),
        rx.cond(event.place != "", rx.text(t("events_place"), ": ", event.place, as_="p", id="next-event-place")),
        rx.cond(event.is_online, rx.text(t("events_online_private"), as_="p", size="2", style=MUTED_TEXT)),
        rx.flex(
            # A plain <a>: a calendar file is downloaded or handed to a calendar app, not routed in the app.
            rx.el.elements.a(
                rx.icon("calendar-plus", size=16, aria_hidden="true"),
                t("events_add_to_calendar"),
                href=meeting.ics_path,
                id="next-event-calendar",
                class_name="rt-Text rt-reset rt-Link",
                style={"display": "inline-flex", "align_items": "center", "gap": "0.4rem"},
            ),
            rx.link(t("events_details"), href="/events/" + event.id.to_string()),
            gap="1.5rem",
            wrap="wrap",
        ),
        direction="column",
        gap="0.5rem",
    )


def _next_meeting() -> rx.Component:
    meetings = HomeState.view.next_meeting
    return rx.el.section(
        rx.heading(t("home_next_event_heading"), size="6", as_="h2", margin_bottom="0.75rem", id="next-event-heading"),
        rx.cond(
            meetings.length() > 0,
            rx.foreach(meetings, _meeting),
            rx.flex(
                rx.text(t("events_empty"), as_="p"),
                pointer_links(("home_take_part_write", CONTACT.path), ("empty_follow", FOLLOW.path)),
                direction="column",
                gap="0.5rem",
            ),
        ),
        class_name="next-event",
        id="next-event",
        aria_labelledby="next-event-heading",
    )


def _latest_posts() -> rx.Component:
    return rx.el.section(
        rx.heading(t("home_latest_heading"), size="6", as_="h2", margin_bottom="1rem"),
        rx.box(
            rx.foreach(HomeState.view.featured, featured_post_card), class_name="featured-post", margin_bottom="1rem"
        ),
        rx.grid(rx.foreach(HomeState.view.cards, post_card), columns=rx.breakpoints(initial="1", sm="2"), gap="1rem"),
        rx.link(t("home_all_posts"), href=POSTS.path, margin_top="1rem", display="inline-block"),
    )


def _take_part() -> rx.Component:
    return rx.el.section(
        rx.heading(t("home_take_part_heading"), size="6", as_="h2", id="take-part-heading"),
        rx.el.ul(
            *[
                rx.el.li(
                    rx.link(t(link), href=href, weight="bold", size="4", high_contrast=True),
                    rx.text(t(line), as_="p", size="2", margin_top="0.25rem"),
                )
                for link, line, href in TAKE_PART
            ],
        ),
        class_name="take-part",
        id="take-part",
        aria_labelledby="take-part-heading",
    )


def home_page() -> rx.Component:
    """The home page."""
    return page_shell(
        _when_loaded(_about(), _latest_posts(), _next_meeting(), _take_part()),
        ready=HomeState.loaded,
    )
