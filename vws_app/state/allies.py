"""State of the allies page: the allied organisations, described in both languages."""

import reflex as rx

from vws_app.i18n import SUPPORTED_LANGUAGES, normalise_language
from vws_app.services import content
from vws_app.services.content import AllyView
from vws_app.services.database import open_session
from vws_app.state.bilingual import BilingualViews
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import read_off_loop


def _allies_by_language() -> dict[str, list[AllyView]]:
    """The allies in every language, from one session."""
    with open_session() as session:
        return {language: content.allies(session, language) for language in SUPPORTED_LANGUAGES}


class AlliesState(BilingualViews, LanguageState):
    """Loads both languages at once so the toggle needs no query."""

    _views: dict[str, list[AllyView]] = {}

    @rx.event
    async def load(self):
        """Read the allies for every language (in a thread: see `off_loop`)."""
        self._views = await read_off_loop(_allies_by_language)

    @rx.var
    def allies(self) -> list[AllyView]:
        """The allies in the visitor's language."""
        return self._views.get(normalise_language(self.lang), [])
