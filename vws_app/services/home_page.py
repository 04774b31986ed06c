"""What the home page shows beyond the site texts: which post leads, and the next meeting with its calendar file."""

import dataclasses
from datetime import datetime

from sqlmodel import Session

from vws_app.services import content
from vws_app.services.calendar_files import ics_path
from vws_app.services.content import EventView, PostCard
from vws_app.services.site_routes import CONTACT, EVENTS, FOLLOW, POSTS

# The calls to act the site has (the live home page and the server's): (catalogue key of the link, its line, address).
TAKE_PART = [
    ("home_take_part_meet", "home_take_part_meet_text", EVENTS.path),
    ("home_take_part_follow", "home_take_part_follow_text", FOLLOW.path),
    ("home_take_part_sign", "home_take_part_sign_text", f"{POSTS.path}?category=open_letter"),
    ("home_take_part_write", "home_take_part_write_text", CONTACT.path),
]


@dataclasses.dataclass(frozen=True)
class NextMeeting:
    """The soonest upcoming event and the address of its calendar file in the visitor's language."""

    event: EventView
    ics_path: str


def featured_first(cards: list[PostCard]) -> tuple[list[PostCard], list[PostCard]]:
    """([the featured post], the others): the newest post with a picture leads, else the newest.

    A list of at most one rather than an optional value, so a page can show it with `foreach`.
    """
    if not cards:
        return [], []
    lead = next((card for card in cards if card.picture.src or card.image_path), cards[0])
    return [lead], [card for card in cards if card is not lead]


def next_meetings(session: Session, language: str, now: datetime | None = None) -> list[NextMeeting]:
    """[the next upcoming, not cancelled event], or [] when none is scheduled."""
    coming = [event for event in content.upcoming_events(session, language, now) if not event.cancelled]
    return [NextMeeting(coming[0], ics_path(coming[0].id, language))] if coming else []
