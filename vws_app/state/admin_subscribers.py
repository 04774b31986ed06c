"""Admin: the mailing list's subscribers — counts, growth chart, search, CSV export, removal."""

import reflex as rx

from vws_app.i18n import SUPPORTED_LANGUAGES, translate
from vws_app.models import as_utc
from vws_app.services import subscriber_admin
from vws_app.state.admin_session import AdminState
from vws_app.state.admin_threads import REFUSED, as_editor

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

    def _reload(self, session) -> None:
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

    @rx.event
    async def load(self):
        """The page as filtered now."""
        await as_editor(self, lambda session, _editor: self._reload(session))

    @rx.event
    async def search(self, form_data: dict):
        """Addresses containing the typed text (any case), from the first page."""
        query = str(form_data.get("query", ""))[:QUERY_MAX_LENGTH]

        def work(session, _editor):
            self.query, self.page, self.notice = query, 1, ""
            self._reload(session)

        await as_editor(self, work)

    @rx.event
    async def set_filter(self, field: str, value: str):
        """Narrow by status or language ('' for any); unknown values mean any."""

        def work(session, _editor):
            allowed = FILTERS.get(field, ())
            chosen = value if value in allowed else ""
            if field == "status":
                self.status_filter = chosen
            elif field == "language":
                self.language_filter = chosen
            self.page, self.notice = 1, ""
            self._reload(session)

        await as_editor(self, work)

    @rx.event
    async def change_page(self, direction: int):
        """The next (1) or previous (-1) page."""

        def work(session, _editor):
            self.page = min(max(self.page + (1 if direction > 0 else -1), 1), self.page_count)
            self._reload(session)

        await as_editor(self, work)

    @rx.event
    async def remove_subscriber(self, subscriber_id: int):
        """Delete a subscriber for good (the page asked for confirmation first), audited."""

        def work(session, editor):
            try:
                subscriber_admin.remove_subscriber(session, int(subscriber_id), editor)
                self.notice = "admin_subscriber_removed"
            except subscriber_admin.NotFound:
                self.notice = "admin_subscriber_gone"  # removed meanwhile, perhaps by another editor
            self._reload(session)

        await as_editor(self, work)

    @rx.event
    async def export_csv(self):
        """Download the filtered list as a CSV file (spreadsheet-safe cells, accents intact)."""
        query, status, language = self.query, self.status_filter, self.language_filter
        text = await as_editor(
            self, lambda session, _editor: subscriber_admin.export_csv(session, query, status, language)
        )
        if text is REFUSED:
            return
        return rx.download(data=text.encode("utf-8"), filename="subscribers.csv", mime_type="text/csv;charset=utf-8")
