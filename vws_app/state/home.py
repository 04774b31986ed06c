"""State of the home page: the mission, the goal, the featured and latest posts and the next meeting, in both languages."""

import dataclasses

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import SUPPORTED_LANGUAGES, normalise_language
from vws_app.services import content, home_page
from vws_app.services.content import PostCard
from vws_app.services.database import open_session
from vws_app.services.home_page import NextMeeting
from vws_app.state.bilingual import BilingualViews
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import read_off_loop


@dataclasses.dataclass(frozen=True)
class HomeView:
    """What the home page shows in one language."""

    mission: str = ""
    goal: str = ""
    featured: list[PostCard] = dataclasses.field(default_factory=list)  # at most one
    cards: list[PostCard] = dataclasses.field(default_factory=list)
    next_meeting: list[NextMeeting] = dataclasses.field(default_factory=list)  # at most one


def _home_view(session: Session, language: str) -> HomeView:
    """The home page's content in `language`."""
    texts = content.site_texts(session, language)
    featured, others = home_page.featured_first(content.latest_posts(session, language))
    return HomeView(
        mission=texts.get("mission", ""),
        goal=texts.get("goal", ""),
        featured=featured,
        cards=others,
        next_meeting=home_page.next_meetings(session, language),
    )


def _home_views() -> dict[str, HomeView]:
    """The home page in every language, from one session."""
    with open_session() as session:
        return {language: _home_view(session, language) for language in SUPPORTED_LANGUAGES}


class HomeState(BilingualViews, LanguageState):
    """Loads both languages at once so the toggle switches the page without another query."""

    _views: dict[str, HomeView] = {}

    @rx.event
    async def load(self):
        """Read the site texts and latest posts for every language (in a thread: see `off_loop`)."""
        self._views = await read_off_loop(_home_views)

    @rx.var
    def view(self) -> HomeView:
        """The home page in the visitor's language."""
        return self._views.get(normalise_language(self.lang), HomeView())
