"""State of the events page: what is coming up and the archive by year, in both languages."""

import dataclasses

import reflex as rx

from vws_app.i18n import SUPPORTED_LANGUAGES, normalise_language
from vws_app.services import content
from vws_app.services.content import EventView
from vws_app.services.database import open_session
from vws_app.state.bilingual import BilingualViews
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import read_off_loop


@dataclasses.dataclass(frozen=True)
class EventYear:
    """The past events of one year."""

    year: int
    events: list[EventView]


@dataclasses.dataclass(frozen=True)
class EventsView:
    """The events page in one language."""

    upcoming: list[EventView] = dataclasses.field(default_factory=list)
    past: list[EventYear] = dataclasses.field(default_factory=list)


def _events_views() -> dict[str, EventsView]:
    """Upcoming and past events in every language, from one session."""
    with open_session() as session:
        return {
            language: EventsView(
                upcoming=content.upcoming_events(session, language),
                past=[EventYear(year, events) for year, events in content.past_events_by_year(session, language)],
            )
            for language in SUPPORTED_LANGUAGES
        }


class EventsState(BilingualViews, LanguageState):
    """Loads both languages at once so the toggle needs no query."""

    _views: dict[str, EventsView] = {}

    @rx.event
    async def load(self):
        """Read upcoming and past events for every language (in a thread: see `off_loop`)."""
        self._views = await read_off_loop(_events_views)

    @rx.var
    def view(self) -> EventsView:
        """The events in the visitor's language."""
        return self._views.get(normalise_language(self.lang), EventsView())
