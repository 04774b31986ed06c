"""Admin: send a published post to the mailing list (preview, test, confirmed send) and watch it go out."""

import asyncio
import dataclasses
import re
import time

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import translate
from vws_app.models import Editor, Post, as_utc
from vws_app.services import mailings, subscriber_admin
from vws_app.settings import smtp_url
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

POLL_SECONDS = 1.5
WATCHER_SILENT_SECONDS = 10  # a watcher not heard from this long is gone (its worker stopped)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)


def _post_option(post) -> dict[str, str]:
    return {
        "id": str(post.id),
        "label": f"{post.title} ({post.language.upper()}, {as_utc(post.published_at):%Y-%m-%d})",
    }


@dataclasses.dataclass(frozen=True)
class MailingRow:
    """What the page shows of one mailing (numbers stay numbers, for the progress bar)."""

    id: str
    key: str
    title: str
    created_at: str
    total: int
    queued: int
    sent: int
    failed: int
    percent: int
    finished: bool


def _progress_row(progress: mailings.Progress) -> MailingRow:
    return MailingRow(
        id=str(progress.mailing_id),
        key=progress.translation_key,
        title=progress.title,
        created_at=progress.created_at.strftime("%Y-%m-%d %H:%M UTC"),
        total=progress.total,
        queued=progress.queued,
        sent=progress.sent,
        failed=progress.failed,
        percent=progress.percent,
        finished=progress.finished,
    )


def _preview_rows(rendered: dict[str, tuple[str, str, str]]) -> list[dict[str, str]]:
    rows = []
    for language, (subject, text, html) in rendered.items():
        body = _BODY.search(html)
        rows.append({"language": language, "subject": subject, "text": text, "html": body.group(1) if body else html})
    return rows


class AdminMailingState(AdminState):
    """One chosen post, its previews, the audience and the latest mailings with their progress."""

    post_options: list[dict[str, str]] = []
    selected_post_id: str = ""
    selected_title: str = ""
    selected_key: str = ""
    selected_was_sent: bool = False  # the chosen post pair went to the list before
    previews: list[dict[str, str]] = []
    audience: dict[str, int] = {}
    mailings: list[MailingRow] = []
    mail_configured: bool = True
    message: str = ""  # a catalogue key
    message_count: int = 0
    is_error: bool = False
    _watcher_seen_at: float = 0.0  # when this tab's progress watcher last refreshed (wall clock)

    def _clear_admin_data(self) -> None:
        """Forget every post, preview, count and mailing this tab was shown."""
        self.post_options, self.previews, self.mailings, self.audience = [], [], [], {}
        self.selected_post_id = self.selected_title = self.selected_key = self.message = ""
        self.selected_was_sent = False
        self.message_count, self.is_error = 0, False

    def _say(self, key: str, count: int = 0, error: bool = False) -> None:
        self.message, self.message_count, self.is_error = key, count, error

    @rx.var
    def message_text(self) -> str:
        """The last outcome in the editor's language."""
        return translate(self.message, self.lang, count=self.message_count) if self.message else ""

    @rx.var
    def audience_total(self) -> int:
        """How many confirmed subscribers a send reaches."""
        return sum(self.audience.values())

    def _show_selection(self, session, post_id: str) -> None:
        """Preview `post_id`, or say why it cannot be sent (its title stays, so the editor knows which)."""
        self.selected_post_id, self.previews, self.selected_title, self.selected_key = "", [], "", ""
        self.selected_was_sent = False
        if not post_id.isdigit():
            return
        try:
            rendered = mailings.preview(session, int(post_id))
        except mailings.NotFound:
            self._say("admin_mailing_error_not_found", error=True)
            return
        except mailings.NotSendable:
            post = session.get(Post, int(post_id))
            self.selected_title = post.title
            self._say("admin_mailing_error_not_published", error=True)
            return
        post = session.get(Post, int(post_id))
        self.selected_post_id, self.selected_title, self.selected_key = post_id, post.title, post.translation_key
        self.selected_was_sent = mailings.mailing_for(session, post.translation_key) is not None
        self.previews = _preview_rows(rendered)

    def _refresh_mailings(self, session) -> None:
        self.mailings = [_progress_row(row) for row in mailings.recent_mailings(session)]

    def _refresh_lists(self, session) -> None:
        self.post_options = [_post_option(post) for post in mailings.sendable_posts(session)]
        self._refresh_mailings(session)
        counts = subscriber_admin.counts(session)
        self.audience = {language: by_status["confirmed"] for language, by_status in counts.items()}
        self.mail_configured = smtp_url() is not None

    def _unfinished(self) -> bool:
        return any(not row.finished for row in self.mailings)

    def _watch_if_unfinished(self):
        """The progress watcher, while a mailing is still going out."""
        return AdminMailingState.watch_progress if self._unfinished() else None

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """The page: sendable posts, the audience, recent mailings, and the post named by `?id=` if any."""
        self._say("")
        self._refresh_lists(session)
        self._show_selection(session, str(self.router.url.query_parameters.get("id", "")))
        return self._watch_if_unfinished()

    @admin_handler()
    def choose_post(self, session: Session, editor: Editor, post_id: str):
        """Preview another post in both languages."""
        self._say("")
        self._show_selection(session, str(post_id))

    @admin_handler()
    def send_test(self, session: Session, editor: Editor):
        """Queue the chosen post in each language to the editor's own address."""
        if not self.selected_post_id:
            return self._say("admin_mailing_error_choose", error=True)
        try:
            count = mailings.send_test(session, int(self.selected_post_id), editor)
        except (mailings.NotFound, mailings.NotSendable):
            return self._say("admin_mailing_error_not_published", error=True)
        self._say("admin_mailing_test_queued", count=count)

    @admin_handler()
    def send_now(self, session: Session, editor: Editor):
        """Send the chosen post to every confirmed subscriber (the page asked for confirmation first)."""
        if not self.selected_post_id:
            return self._say("admin_mailing_error_choose", error=True)
        try:
            sent = mailings.send_to_subscribers(session, int(self.selected_post_id), editor)
        except (mailings.NotFound, mailings.NotSendable):
            self._say("admin_mailing_error_not_published", error=True)
        except mailings.NoSubscribers:
            self._say("admin_mailing_error_no_subscribers", error=True)
        except mailings.AlreadySent:
            self._say("admin_mailing_already_sent", error=True)
            self.selected_was_sent = True
        else:
            self._say("admin_mailing_queued", count=sent.total)
            self.selected_was_sent = True
        self._refresh_lists(session)
        return self._watch_if_unfinished()

    @rx.event(background=True)
    async def watch_progress(self):
        """Refresh the mailings' counts every POLL_SECONDS until none is left unfinished.

        One watcher per tab (a second start returns at once); each refresh goes through the
        admin guard's own check (`_run_guarded`), so the watcher stops when the session ends.
        """
        async with self:
            if time.time() - self._watcher_seen_at < WATCHER_SILENT_SECONDS:
                return
            self._watcher_seen_at = time.time()
        try:
            while True:
                async with self:
                    refreshed = await self._run_guarded(_refresh_progress, None, (), {})
                    if not refreshed or not self._unfinished():
                        return
                    self._watcher_seen_at = time.time()
                await asyncio.sleep(POLL_SECONDS)
        finally:
            async with self:
                self._watcher_seen_at = 0.0


def _refresh_progress(state: AdminMailingState, session: Session, _editor: Editor) -> bool:
    """The watcher's guarded body: fresh counts for the recent mailings (True: the check passed)."""
    state._refresh_mailings(session)
    return True
