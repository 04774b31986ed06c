"""Admin: outgoing mail — how many e-mails wait, went out or failed, and retrying the failed ones."""

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import translate
from vws_app.models import Editor, as_utc
from vws_app.services import outbox_queue
from vws_app.settings import smtp_url
from vws_app.state.admin_guard import admin_handler
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
    """Counts by status and the failed rows; every handler runs behind `admin_handler` (off the event loop)."""

    counts: dict[str, int] = {}
    failed: list[dict[str, str]] = []
    mail_configured: bool = True
    retried_count: int = -1  # -1: nothing retried yet in this tab

    def _clear_admin_data(self) -> None:
        """Forget every recipient and error this tab was shown."""
        self.counts, self.failed, self.retried_count = {}, [], -1

    def _read(self, session: Session) -> tuple[dict[str, int], list[dict[str, str]]]:
        return outbox_queue.counts_by_status(session), [_failed_row(row) for row in outbox_queue.failed_rows(session)]

    def _show(self, overview: tuple[dict[str, int], list[dict[str, str]]]) -> None:
        self.counts, self.failed = overview
        self.mail_configured = smtp_url() is not None

    @rx.var
    def retried_text(self) -> str:
        """ "3 e-mails are waiting to be sent again." in the editor's language, after a retry."""
        return translate("admin_mail_retried", self.lang, count=self.retried_count) if self.retried_count >= 0 else ""

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """Counts by status, the failed e-mails, and whether mail is configured at all."""
        self._show(self._read(session))

    @admin_handler()
    def retry(self, session: Session, editor: Editor, outbox_id: int):
        """Queue one failed e-mail again, with a fresh count of attempts."""
        self._retry(session, [int(outbox_id)])

    @admin_handler()
    def retry_all(self, session: Session, editor: Editor):
        """Queue every failed e-mail again."""
        self._retry(session, None)

    def _retry(self, session: Session, row_ids: list[int] | None) -> None:
        self.retried_count = outbox_queue.retry_failed(session, row_ids)
        self._show(self._read(session))
