"""Admin: the privacy texts (each save a new version, the earlier ones listed) and, for admins, the retention periods."""

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import SUPPORTED_LANGUAGES, translate
from vws_app.models import Editor, EditorRole, PrivacyText
from vws_app.services import privacy_texts, retention_policy
from vws_app.services.editorial_common import ValidationFailed
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState
from vws_app.state.admin_texts import TEXT_MAX_LENGTH, slot_name

PRIVACY_SLOTS: dict[str, tuple[str, str]] = {
    slot_name(kind, language): (kind, language) for kind in privacy_texts.KINDS for language in SUPPORTED_LANGUAGES
}
RETENTION_FIELD_MAX_LENGTH = 12  # what a tampered client may park in a number field


def _version_row(slot: str, row: PrivacyText) -> dict[str, str]:
    return {
        "slot": slot,
        "version": str(row.version),
        "when": row.created_at.isoformat(timespec="minutes"),
        "who": row.editor_email,
        "body": row.body,
    }


class AdminPrivacyState(AdminState):
    """One textarea per privacy text and language; every handler that reads or saves runs behind `admin_handler`."""

    texts: dict[str, str] = {}
    current: dict[str, dict[str, str]] = {}  # per slot: version, when, who of the text in force
    history: list[dict[str, str]] = []  # earlier versions of every slot, newest first
    text_errors: dict[str, str] = {}
    saved_slot: str = ""
    retention: dict[str, str] = {}
    retention_errors: dict[str, str] = {}
    retention_saved: bool = False

    def _clear_admin_data(self) -> None:
        """Forget every text and setting this tab was shown."""
        self.texts, self.current, self.history, self.text_errors, self.saved_slot = {}, {}, [], {}, ""
        self.retention, self.retention_errors, self.retention_saved = {}, {}, False

    def _show_texts(self, session: Session) -> None:
        current, history = {}, []
        for slot, (kind, language) in PRIVACY_SLOTS.items():
            privacy_texts.current_text(session, kind, language)  # the first version, if none is saved yet
            versions = privacy_texts.history(session, kind, language)
            current[slot] = _version_row(slot, versions[0])
            history += [_version_row(slot, row) for row in versions[1:]]
        self.current, self.history = current, history
        self.texts = {slot: row["body"] for slot, row in current.items()}

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """The texts in force, their earlier versions and the retention periods."""
        self._show_texts(session)
        policy = retention_policy.load_retention_policy(session)
        self.retention = {field: str(getattr(policy, field)) for field in retention_policy.FIELDS}
        self.text_errors, self.saved_slot, self.retention_errors, self.retention_saved = {}, "", {}, False

    @rx.event
    def set_text(self, slot: str, value: str):
        """Keep what the editor types in one textarea."""
        if slot in PRIVACY_SLOTS:
            self.texts = {**self.texts, slot: str(value)[:TEXT_MAX_LENGTH]}
            if self.saved_slot == slot:
                self.saved_slot = ""

    @admin_handler()
    def save_text(self, session: Session, editor: Editor, text_slot: str):
        """Save one text as its next version; an error shows beside its textarea."""
        slot = text_slot
        if slot not in PRIVACY_SLOTS:
            return
        kind, language = PRIVACY_SLOTS[slot]
        others = {name: error for name, error in self.text_errors.items() if name != slot}
        try:
            privacy_texts.save_version(session, kind, language, self.texts.get(slot, ""), editor)
        except ValidationFailed as failed:
            self.text_errors = {**others, slot: next(iter(failed.errors.values()), "admin_error_generic")}
            self.saved_slot = ""
            return
        typed = dict(self.texts)
        self._show_texts(session)
        self.texts = {**typed, slot: self.current[slot]["body"]}  # other textareas keep what is typed there
        self.text_errors, self.saved_slot = others, slot

    @rx.event
    def keep_period(self, field: str, value: str):
        """Keep a typed period (checked when saved)."""
        if field in retention_policy.FIELDS:
            self.retention = {**self.retention, field: str(value)[:RETENTION_FIELD_MAX_LENGTH]}
            self.retention_saved = False

    @admin_handler(role=EditorRole.ADMIN.value)
    def save_retention(self, session: Session, editor: Editor):
        """Store the periods (admins only, audited); errors beside their fields."""
        try:
            policy = retention_policy.save_retention_settings(session, dict(self.retention), editor)
        except ValidationFailed as failed:
            self.retention_errors, self.retention_saved = failed.errors, False
            return
        self.retention = {field: str(getattr(policy, field)) for field in retention_policy.FIELDS}
        self.retention_errors, self.retention_saved = {}, True

    @rx.var
    def error_texts(self) -> dict[str, str]:
        """Each textarea's error in the editor's language."""
        return {slot: translate(key, self.lang) for slot, key in self.text_errors.items()}

    @rx.var
    def retention_error_texts(self) -> dict[str, str]:
        return {
            field: translate(key, self.lang, max=retention_policy.maximum(field))
            for field, key in self.retention_errors.items()
        }

    @rx.var
    def version_texts(self) -> dict[str, str]:
        """ "Version 3, saved … by …" of each text in force, in the editor's language."""
        return {
            slot: translate(
                "admin_privacy_version",
                self.lang,
                version=row["version"],
                when=row["when"],
                who=row["who"] or translate("admin_privacy_first_author", self.lang),
            )
            for slot, row in self.current.items()
        }
