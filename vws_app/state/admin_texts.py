"""Admin: the site's editable prose (mission, goal) in each language, each saved on its own."""

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import SUPPORTED_LANGUAGES, translate
from vws_app.models import Editor
from vws_app.services import editorial
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

TEXT_MAX_LENGTH = 50_000  # what a tampered client may park in state


def slot_name(key: str, language: str) -> str:
    """The name of one textarea: "mission_en"."""
    return f"{key}_{language}"


TEXT_SLOTS: dict[str, tuple[str, str]] = {
    slot_name(key, language): (key, language) for key in editorial.SITE_TEXT_KEYS for language in SUPPORTED_LANGUAGES
}


class AdminTextsState(AdminState):
    """One textarea per text and language; every handler that reads or saves runs behind `admin_handler`."""

    texts: dict[str, str] = {}
    text_errors: dict[str, str] = {}
    saved_slot: str = ""

    def _clear_admin_data(self) -> None:
        """Forget every text this tab was shown."""
        self.texts, self.text_errors, self.saved_slot = {}, {}, ""

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """Every text as saved, '' where none is saved yet."""
        saved = editorial.site_texts_admin(session)
        self.texts = {slot: saved.get(key_language, "") for slot, key_language in TEXT_SLOTS.items()}
        self.text_errors, self.saved_slot = {}, ""

    @rx.event
    def set_text(self, slot: str, value: str):
        """Keep what the editor types in one textarea."""
        if slot in TEXT_SLOTS:
            self.texts = {**self.texts, slot: str(value)[:TEXT_MAX_LENGTH]}
            if self.saved_slot == slot:
                self.saved_slot = ""

    @admin_handler()
    def save_text(self, session: Session, editor: Editor, slot: str):
        """Save one text in one language; an error shows beside its textarea."""
        if slot not in TEXT_SLOTS:
            return
        key, language = TEXT_SLOTS[slot]
        others = {name: error for name, error in self.text_errors.items() if name != slot}
        try:
            text = editorial.update_site_text(session, key, language, self.texts.get(slot, ""), editor)
        except editorial.ValidationFailed as failed:
            self.text_errors = {**others, slot: next(iter(failed.errors.values()), "admin_error_generic")}
            self.saved_slot = ""
            return
        self.texts = {**self.texts, slot: text.body}
        self.text_errors, self.saved_slot = others, slot

    @rx.var
    def error_texts(self) -> dict[str, str]:
        """Each textarea's error in the editor's language."""
        return {slot: translate(key, self.lang) for slot, key in self.text_errors.items()}
