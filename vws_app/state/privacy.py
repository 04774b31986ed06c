"""The privacy texts a visitor reads: the short notice beside every form, and the privacy page."""

import reflex as rx

from vws_app.i18n import SUPPORTED_LANGUAGES, normalise_language
from vws_app.services import privacy_page, privacy_texts
from vws_app.services.database import open_session
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import read_off_loop


def _notices() -> dict[str, tuple[int, str]]:
    """(id, body) of the current short notice per language, in the read pool."""
    with open_session() as session:
        return {language: (row.id, row.body) for language, row in privacy_texts.current_notices(session).items()}


def _pages() -> dict[str, privacy_page.PrivacyPage]:
    with open_session() as session:
        return {language: privacy_page.privacy_page(session, language) for language in SUPPORTED_LANGUAGES}


class PrivacyNoticeState(LanguageState):
    """The notice in both languages, so a language switch shows (and the form sends) the other one at once.

    Loaded once per tab: the id a form sends is the one of the words this tab shows, even
    when an editor saves a new version meanwhile.
    """

    notice_ids: dict[str, int] = {}
    notice_bodies: dict[str, str] = {}

    @rx.event
    async def load_notice(self):
        """Read the current notices (off the event loop) unless this tab has them."""
        if self.notice_ids:
            return
        notices = await read_off_loop(_notices)
        self.notice_ids = {language: notice_id for language, (notice_id, _body) in notices.items()}
        self.notice_bodies = {language: body for language, (_notice_id, body) in notices.items()}

    @rx.var
    def notice_id(self) -> str:
        """The id the form sends: the notice shown in the page's language ('' until loaded)."""
        found = self.notice_ids.get(normalise_language(self.lang))
        return str(found) if found else ""

    @rx.var
    def notice_text(self) -> str:
        return self.notice_bodies.get(normalise_language(self.lang), "")


class PrivacyPageState(LanguageState):
    """`/privacy` in both languages: the full text's paragraphs and the retention periods."""

    paragraphs: dict[str, list[str]] = {}
    retention: dict[str, list[str]] = {}
    loaded: bool = False

    @rx.event
    async def load(self):
        """Read the page's text and periods (off the event loop) on every visit: they change rarely but may."""
        pages = await read_off_loop(_pages)
        self.paragraphs = {language: page.paragraphs for language, page in pages.items()}
        self.retention = {language: page.retention for language, page in pages.items()}
        self.loaded = True

    @rx.var
    def page_paragraphs(self) -> list[str]:
        return self.paragraphs.get(normalise_language(self.lang), [])

    @rx.var
    def retention_lines(self) -> list[str]:
        return self.retention.get(normalise_language(self.lang), [])
