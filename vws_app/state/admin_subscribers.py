"""Admin: the mailing list's subscribers — counts, growth chart, search, CSV export, removal."""

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import SUPPORTED_LANGUAGES, translate
from vws_app.models import Editor, as_utc
from vws_app.services import subscriber_admin
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

FILTERS = {"status": ("", *subscriber_admin.SUBSCRIBER_STATUSES), "language": ("", *SUPPORTED_LANGUAGES)}
QUERY_MAX_LENGTH = 320
ZERO_COUNTS = {language: dict.fromkeys(subscriber_admin.SUBSCRIBER_STATUSES, 0) for language in SUPPORTED_LANGUAGES}


def _row(subscriber) -> dict[str, str]:
    """What the list shows of one subscriber."""
    return {
        "id": str(subscriber.id),
        "email": subscriber.email,
        "language": subscriber.language,
        "status": subscriber.status,
        "created_at": as_utc(subscriber.created_at).strftime("%Y-%m-%d"),
    }


class AdminSubscribersState(AdminState):
    """One filtered page of subscribers, the counts by language and status, and the weekly totals."""

    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    query: str = ""
    status_filter: str = ""
    language_filter: str = ""
    counts: dict[str, dict[str, int]] = ZERO_COUNTS  # the page reads every cell before the first load
    growth: list[dict[str, str | int]] = []
    notice: str = ""  # a catalogue key

    def _clear_admin_data(self) -> None:
        """Forget every address, count and total this tab was shown."""
        self.rows, self.total, self.counts, self.growth = [], 0, ZERO_COUNTS, []
        self.query = self.notice = ""

    @rx.var
    def notice_text(self) -> str:
        """The last outcome in the editor's language."""
        return translate(self.notice, self.lang) if self.notice else ""

    @rx.var
    def page_count(self) -> int:
        """How many pages the filtered list has."""
        return max(1, -(-self.total // subscriber_admin.PER_PAGE))

    def _reload(self, session: Session) -> None:
        """Counts, weekly totals and the current page (clamped to the last page)."""
        self.counts = subscriber_admin.counts(session)
        self.growth = [
            {"week": point.week.isoformat(), "confirmed": point.confirmed}
            for point in subscriber_admin.growth_by_week(session)
        ]
        found, self.total = subscriber_admin.search(
            session, self.query, self.status_filter, self.language_filter, page=self.page
        )
        if not found and self.page > 1:
            self.page = self.page_count
            found, self.total = subscriber_admin.search(
                session, self.query, self.status_filter, self.language_filter, page=self.page
            )
        self.rows = [_row(row) for row in found]

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """The page as filtered now."""
        self._reload(session)

    @admin_handler()
    def search(self, session: Session, editor: Editor, form_data: dict):
        """Addresses containing the typed text (any case), from the first page."""
        self.query, self.page, self.notice = str(form_data.get("query", ""))[:QUERY_MAX_LENGTH], 1, ""
        self._reload(session)

    @admin_handler()
    def set_filter(self, session: Session, editor: Editor, field: str, value: str):
        """Narrow by status or language ('' for any); unknown values mean any."""
        chosen = value if value in FILTERS.get(field, ()) else ""
        if field == "status":
            self.status_filter = chosen
        elif field == "language":
            self.language_filter = chosen
        self.page, self.notice = 1, ""
        self._reload(session)

    @admin_handler()
    def change_page(self, session: Session, editor: Editor, direction: int):
        """The next (1) or previous (-1) page."""
        self.page = min(max(self.page + (1 if direction > 0 else -1), 1), self.page_count)
        self._reload(session)

    @admin_handler()
    def remove_subscriber(self, session: Session, editor: Editor, subscriber_id: int):
        """Delete a subscriber for good (the page asked for confirmation first), audited."""
        try:
            subscriber_admin.remove_subscriber(session, int(subscriber_id), editor)
            self.notice = "admin_subscriber_removed"
        except subscriber_admin.NotFound:
            self.notice = "admin_subscriber_gone"  # removed meanwhile, perhaps by another editor
        self._reload(session)

    @admin_handler()
    def export_csv(self, session: Session, editor: Editor):
        """Download the filtered list as a CSV file (spreadsheet-safe cells, accents intact)."""
        text = subscriber_admin.export_csv(session, self.query, self.status_filter, self.language_filter)
        return rx.download(data=text.encode("utf-8"), filename="subscribers.csv", mime_type="text/csv;charset=utf-8")
