"""Admin: open letters — sign-on settings, counts, chart, moderation queue with bulk actions, CSV and the list as text.

Every handler runs behind `admin_handler`: the session check and its database work together in a worker thread.
"""

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import translate
from vws_app.models import Editor, as_utc
from vws_app.services import letters_admin
from vws_app.services.letters_admin import NotFound, ValidationFailed
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

QUERY_MAX_LENGTH = 200
ZERO_COUNTS = dict.fromkeys(letters_admin.STATUSES, 0)


def _signature_row(row) -> dict[str, str]:
    """What the queue shows of one signature (the address too: editors may need to reach the signer)."""
    details = ", ".join(part for part in (row.affiliation, row.city, row.country) if part)
    return {
        "id": str(row.id),
        "name": row.name,
        "email": row.email,
        "details": details,
        "status": row.status,
        "kind": "organisation" if row.is_organisation else "person",
        "public": "yes" if row.is_public else "no",
        "created_at": as_utc(row.created_at).strftime("%Y-%m-%d %H:%M"),
    }


class AdminLettersState(AdminState):
    """The letters, and for the chosen one its settings, counts, chart and one page of its queue."""

    letters: list[dict[str, str]] = []
    selected_key: str = ""
    selected_title: str = ""
    letter_id: int = 0
    is_open: bool = False
    moderated: bool = False
    closes_on: str = ""
    goal: str = ""
    counts: dict[str, int] = ZERO_COUNTS
    chart: list[dict[str, str | int]] = []
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    query: str = ""
    status_filter: str = ""
    selected_ids: list[str] = []
    notice: str = ""  # a catalogue key

    def _clear_admin_data(self) -> None:
        """Forget every letter, signature and count this tab was shown."""
        self.letters, self.rows, self.chart, self.selected_ids = [], [], [], []
        self.selected_key = self.selected_title = self.closes_on = self.goal = self.query = self.notice = ""
        self.status_filter = ""
        self.letter_id, self.total, self.page, self.counts = 0, 0, 1, ZERO_COUNTS
        self.is_open = self.moderated = False

    @rx.var
    def notice_text(self) -> str:
        return translate(self.notice, self.lang) if self.notice else ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // letters_admin.PER_PAGE))

    def _reload(self, session: Session) -> None:
        """The list of letters and, when one is chosen, its settings, counts, chart and queue page."""
        summaries = letters_admin.letters(session)
        self.letters = [
            {
                "key": row.translation_key,
                "title": row.title,
                "open": "yes" if row.is_open else "",
                "people": str(row.people),
                "organisations": str(row.organisations),
            }
            for row in summaries
        ]
        if not self.selected_key:
            return
        self.selected_title = next((row.title for row in summaries if row.translation_key == self.selected_key), "")
        letter = letters_admin.letter_for_key(session, self.selected_key)
        self.letter_id = letter.id if letter is not None else 0
        self.is_open, self.moderated = bool(letter and letter.is_open), bool(letter and letter.moderated)
        self.goal = str(letter.goal) if letter is not None and letter.goal else ""
        self.closes_on = as_utc(letter.closes_at).date().isoformat() if letter is not None and letter.closes_at else ""
        if letter is None:
            self.counts, self.chart, self.rows, self.total = ZERO_COUNTS, [], [], 0
            return
        self.counts = letters_admin.counts(session, letter.id)
        self.chart = [
            {"day": day.isoformat(), "confirmed": number}
            for day, number in letters_admin.confirmed_per_day(session, letter.id)
        ]
        found, self.total = letters_admin.search(session, letter.id, self.query, self.status_filter, page=self.page)
        self.rows = [_signature_row(row) for row in found]
        shown = {row["id"] for row in self.rows}
        self.selected_ids = [value for value in self.selected_ids if value in shown]

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """The letters, and the one of `?post=<id>` (the post editor's link) or the one chosen before."""
        raw_post = str(self.router.url.query_parameters.get("post", ""))
        if raw_post.isdigit() and len(raw_post) < 12:
            try:
                self.selected_key = letters_admin.key_of_post(session, int(raw_post))
                self.page, self.query, self.status_filter, self.selected_ids = 1, "", "", []
            except NotFound:
                self.notice = "admin_letters_gone"
        self._reload(session)

    @admin_handler()
    def show_letter(self, session: Session, editor: Editor, post_id: int):
        """Choose the letter of post `post_id` (either language: they share one list)."""
        try:
            self.selected_key = letters_admin.key_of_post(session, int(post_id))
        except NotFound:
            self.notice = "admin_letters_gone"
            return
        self.page, self.query, self.status_filter, self.selected_ids, self.notice = 1, "", "", [], ""
        self._reload(session)

    @admin_handler()
    def choose(self, session: Session, editor: Editor, translation_key: str):
        """Choose a letter from the list by its pair's key."""
        self.selected_key = str(translation_key)[:32]
        self.page, self.query, self.status_filter, self.selected_ids, self.notice = 1, "", "", [], ""
        self._reload(session)

    @admin_handler()
    def save_settings(self, session: Session, editor: Editor, form_data: dict):
        """Open or close sign-on, with its closing date, goal and moderation."""
        if not self.selected_key:
            self.notice = "admin_letters_choose"
            return
        try:
            letters_admin.save_settings(
                session,
                self.selected_key,
                editor,
                is_open=bool(form_data.get("is_open")),
                moderated=bool(form_data.get("moderated")),
                closes_on=str(form_data.get("closes_on", ""))[:20],
                goal=str(form_data.get("goal", ""))[:20],
            )
            self.notice = "admin_letters_saved"
        except ValidationFailed as invalid:
            self.notice = next(iter(invalid.errors.values()))
        except NotFound:
            self.notice = "admin_letters_gone"
        self._reload(session)

    @admin_handler()
    def search(self, session: Session, editor: Editor, form_data: dict):
        """Signatures whose name, address or affiliation contains the typed text, from the first page."""
        self.query, self.page, self.notice = str(form_data.get("query", ""))[:QUERY_MAX_LENGTH], 1, ""
        self._reload(session)

    @admin_handler()
    def set_filter(self, session: Session, editor: Editor, field: str, value: str):
        """Narrow the queue by status ('' for any); unknown values mean any."""
        if field == "status":
            self.status_filter = value if value in letters_admin.STATUSES else ""
        self.page, self.notice = 1, ""
        self._reload(session)

    @admin_handler()
    def change_page(self, session: Session, editor: Editor, direction: int):
        """The next (1) or previous (-1) page of the queue."""
        self.page = min(max(self.page + (1 if direction > 0 else -1), 1), self.page_count)
        self._reload(session)

    @admin_handler()
    def toggle_selected(self, session: Session, editor: Editor, signature_id: int):
        """Tick or untick one signature for a bulk action."""
        key = str(signature_id)
        self.selected_ids = (
            [v for v in self.selected_ids if v != key] if key in self.selected_ids else [*self.selected_ids, key]
        )

    @admin_handler()
    def toggle_all(self, session: Session, editor: Editor):
        """Tick every signature on this page, or untick all."""
        every = [row["id"] for row in self.rows]
        self.selected_ids = [] if self.selected_ids and set(self.selected_ids) >= set(every) else every

    def _moderate(self, session: Session, editor: Editor, ids: list[str], action: str) -> None:
        try:
            changed = letters_admin.moderate(
                session, self.letter_id, [int(v) for v in ids if v.isdigit()], action, editor
            )
            self.notice = "admin_letters_moderated" if changed else "admin_letters_nothing_changed"
        except ValidationFailed:
            self.notice = "admin_letters_error_action"
        except NotFound:
            self.notice = "admin_letters_choose"
        self.selected_ids = []
        self._reload(session)

    @admin_handler()
    def moderate_selected(self, session: Session, editor: Editor, action: str):
        """Approve, hide or delete every ticked signature (delete erases; the page asked first)."""
        self._moderate(session, editor, list(self.selected_ids), action)

    @admin_handler()
    def moderate_one(self, session: Session, editor: Editor, signature_id: int, action: str):
        """Approve, hide or delete one signature."""
        self._moderate(session, editor, [str(signature_id)], action)

    @admin_handler()
    def export_csv(self, session: Session, editor: Editor):
        """Download the chosen letter's signatures (as filtered) as spreadsheet-safe CSV."""
        text = letters_admin.export_csv(session, self.letter_id, self.query, self.status_filter)
        return rx.download(data=text.encode("utf-8"), filename="signatures.csv", mime_type="text/csv;charset=utf-8")

    @admin_handler()
    def copy_as_text(self, session: Session, editor: Editor):
        """Copy the public signatories, one a line, to send the letter on with them."""
        text = letters_admin.list_as_text(session, self.letter_id, self.lang)
        self.notice = "admin_letters_copied"
        return rx.set_clipboard(text)
