"""Admin: outgoing mail — how many e-mails wait, went out or failed, and retrying the failed ones."""

import asyncio

import reflex as rx

from vws_app.i18n import translate
from vws_app.models import as_utc
from vws_app.services import outbox_queue
from vws_app.services.database import open_session
from vws_app.settings import smtp_url
from vws_app.state.admin_session import AdminState


def _failed_row(row) -> dict[str, str]:
    """What the page shows of one failed e-mail (strings, as Reflex lists of dicts want one type)."""
    return {
        "id": str(row.id),
        "recipient": row.recipient,
        "kind": row.kind,
        "last_error": row.last_error,
        "attempts": str(row.attempts),
        "time": as_utc(row.next_attempt_at).strftime("%Y-%m-%d %H:%M UTC"),
    }


class AdminMailState(AdminState):
    """Counts by status and the failed rows; every handler checks the session on its worker thread.

    The database work runs in `asyncio.to_thread`, never on the event loop.
    """

    counts: dict[str, int] = {}
    failed: list[dict[str, str]] = []
    mail_configured: bool = True
    retried_count: int = -1  # -1: nothing retried yet in this tab

    def _clear_admin_data(self) -> None:
        """Forget every recipient and error this tab was shown."""
        self.counts, self.failed, self.retried_count = {}, [], -1

    def _read(self, session) -> tuple[dict[str, int], list[dict[str, str]]]:
        return outbox_queue.counts_by_status(session), [_failed_row(row) for row in outbox_queue.failed_rows(session)]

    def _show(self, overview: tuple[dict[str, int], list[dict[str, str]]]) -> None:
        self.counts, self.failed = overview
        self.mail_configured = smtp_url() is not None

    @rx.var
    def retried_text(self) -> str:
        """"3 e-mails are waiting to be sent again." in the editor's language, after a retry."""
        return translate("admin_mail_retried", self.lang, count=self.retried_count) if self.retried_count >= 0 else ""

    @rx.event
    async def load(self):
        """Counts by status, the failed e-mails, and whether mail is configured at all."""

        def work():
            with open_session() as session:
                if self._current_editor(session) is None:
                    return None
                return self._read(session)

        overview = await asyncio.to_thread(work)
        if overview is not None:
            self._show(overview)

    @rx.event
    async def retry(self, outbox_id: int):
        """Queue one failed e-mail again, with a fresh count of attempts."""
        await self._retry([int(outbox_id)])

    @rx.event
    async def retry_all(self):
        """Queue every failed e-mail again."""
        await self._retry(None)

    async def _retry(self, row_ids: list[int] | None) -> None:
        def work():
            with open_session() as session:
                if self._current_editor(session) is None:
                    return None
                retried = outbox_queue.retry_failed(session, row_ids)
                return retried, self._read(session)

        outcome = await asyncio.to_thread(work)
        if outcome is not None:
            self.retried_count, overview = outcome
            self._show(overview)
