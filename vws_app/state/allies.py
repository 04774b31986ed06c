"""State of the allies page: the allied organisations, described in both languages."""

import reflex as rx

from vws_app.i18n import SUPPORTED_LANGUAGES, normalise_language
from vws_app.services import content
from vws_app.services.content import AllyView
from vws_app.services.database import open_session
from vws_app.state.bilingual import BilingualViews
from vws_app.state.language import LanguageState


class AlliesState(BilingualViews, LanguageState):
    """Loads both languages at once so the toggle needs no query."""

    _views: dict[str, list[AllyView]] = {}

    @rx.event
    def load(self):
        """Read the allies for every language."""
        with open_session() as session:
            self._views = {language: content.allies(session, language) for language in SUPPORTED_LANGUAGES}

    @rx.var
    def allies(self) -> list[AllyView]:
        """The allies in the visitor's language."""
        return self._views.get(normalise_language(self.lang), [])
