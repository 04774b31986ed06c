"""Admin: the audit log, newest first, one page at a time; admins only."""

import math

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import translate
from vws_app.models import AuditEntry, Editor, EditorRole, as_utc
from vws_app.services import audit
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

ENTRIES_PER_PAGE = 50
ADMIN_ROLE = EditorRole.ADMIN.value


def _entry(entry: AuditEntry) -> dict[str, str]:
    """One entry as stored; the action and entity codes are translated per language later."""
    return {
        "id": str(entry.id),
        "when": as_utc(entry.created_at).strftime("%Y-%m-%d %H:%M UTC"),
        "who": entry.editor_email,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": "" if entry.entity_id is None else str(entry.entity_id),
        "summary": entry.summary,
    }


def _code_label(prefix: str, code: str, language: str) -> str:
    """The catalogue name of an action or entity code; the code itself for one the catalogue
    does not name (an action added later still shows, just untranslated)."""
    try:
        return translate(f"{prefix}{code}", language)
    except KeyError:
        return code


class AdminAuditState(AdminState):
    """Only admins read the log: every handler runs behind `admin_handler(role="admin")`."""

    _entries: list[dict[str, str]] = []
    page: int = 1
    page_count: int = 1

    def _clear_admin_data(self) -> None:
        """Forget every entry this tab was shown."""
        self._entries, self.page, self.page_count = [], 1, 1

    def _load_page(self, session, page: int) -> None:
        """Page `page` (clamped to the pages there are) of the log."""
        self.page_count = max(1, math.ceil(audit.count_entries(session) / ENTRIES_PER_PAGE))
        self.page = min(max(1, page), self.page_count)
        rows = audit.recent_entries(session, limit=ENTRIES_PER_PAGE, offset=(self.page - 1) * ENTRIES_PER_PAGE)
        self._entries = [_entry(row) for row in rows]

    @admin_handler(role=ADMIN_ROLE)
    def load(self, session: Session, editor: Editor):
        """On page load: the newest entries."""
        self._load_page(session, 1)

    @admin_handler(role=ADMIN_ROLE)
    def show_older(self, session: Session, editor: Editor):
        """The next page back in time."""
        self._load_page(session, self.page + 1)

    @admin_handler(role=ADMIN_ROLE)
    def show_newer(self, session: Session, editor: Editor):
        """The previous, more recent page."""
        self._load_page(session, self.page - 1)

    @rx.var
    def entries(self) -> list[dict[str, str]]:
        """The page's entries with their action and entity named in the editor's language."""
        return [
            entry
            | {
                "action_label": _code_label("admin_audit_action_", entry["action"], self.lang),
                "entity_label": _code_label("admin_audit_entity_", entry["entity"], self.lang),
            }
            for entry in self._entries
        ]

    @rx.var
    def page_label(self) -> str:
        """ "Page 2 of 7" in the editor's language."""
        return translate("posts_page_of", self.lang, page=self.page, pages=self.page_count)
