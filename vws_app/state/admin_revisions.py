"""Admin: a post's or a site text's history: its revisions, the diff between any two, restoring one."""

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import translate
from vws_app.models import Editor, Post, as_utc
from vws_app.services import editorial, revisions, site_text_revisions
from vws_app.services.editorial_common import NotFound
from vws_app.services.text_diff import FieldDiff
from vws_app.state.admin_form import AdminFormMixin
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState
from vws_app.state.admin_texts import TEXT_SLOTS

# The catalogue label of each field a diff can show.
FIELD_LABELS = {
    "title": "admin_field_title",
    "excerpt": "admin_field_excerpt",
    "body": "admin_field_body",
    "image_path": "admin_field_image",
    "image_credit": "admin_field_image_credit",
    "category": "admin_field_category",
    "status": "admin_field_status",
    "slug": "admin_field_slug",
}


def _revision_row(revision) -> dict[str, str]:
    """What the history list shows of one revision."""
    return {
        "id": str(revision.id),
        "when": as_utc(revision.created_at).strftime("%Y-%m-%d %H:%M UTC"),
        "who": revision.editor_email,
        "restored_from": "" if revision.restored_from is None else str(revision.restored_from),
    }


def _diff_rows(diff: list[FieldDiff]) -> list[dict[str, str]]:
    """The diff flattened for one list: a "field" row naming each changed field, then its lines."""
    rows: list[dict[str, str]] = []
    for field in diff:
        rows.append({"kind": "field", "text": FIELD_LABELS.get(field.field, field.field)})
        rows += [{"kind": line.kind, "text": line.text} for line in field.lines]
    return rows


def _revision_id(value: str) -> int:
    return int(value) if str(value).isdigit() and len(str(value)) < 12 else 0


class RevisionHistoryMixin(AdminFormMixin, mixin=True):
    """The vars and choices both history pages share (each state gets its own copy)."""

    revision_rows: list[dict[str, str]] = []
    current_text: str = ""
    older_id: str = ""
    newer_id: str = ""
    _diff: list[dict[str, str]] = []

    def _clear_admin_data(self) -> None:
        """Forget every revision this tab was shown."""
        self.revision_rows, self.older_id, self.newer_id, self._diff = [], "", "", []
        self.current_text = ""
        self.form_errors, self.notice = {}, ""

    def _show_history(self, history: list) -> None:
        """The list, and the newest change selected: the last revision against the one before it."""
        self.revision_rows = [_revision_row(revision) for revision in history]
        ids = [row["id"] for row in self.revision_rows]
        if self.newer_id not in ids or self.older_id not in ids:
            self.newer_id = ids[0] if ids else ""
            self.older_id = ids[1] if len(ids) > 1 else self.newer_id

    def _refresh(self, session: Session) -> None:
        """Reload the list and the diff (each page knows what it shows)."""
        raise NotImplementedError

    def _restore(self, session: Session, editor: Editor, revision_id: int) -> None:
        """Restore one revision through its service. Raises NotFound when it is not this page's."""
        raise NotImplementedError

    @admin_handler()
    def compare_older(self, session: Session, editor: Editor, revision_id: str):
        """Choose the older side of the diff."""
        self.older_id = str(_revision_id(revision_id))
        self._refresh(session)

    @admin_handler()
    def compare_newer(self, session: Session, editor: Editor, revision_id: str):
        """Choose the newer side of the diff."""
        self.newer_id = str(_revision_id(revision_id))
        self._refresh(session)

    @admin_handler()
    def restore(self, session: Session, editor: Editor, revision_id: str):
        """Bring back one revision (a new revision; the diff then shows what the restore changed)."""
        try:
            self._restore(session, editor, _revision_id(revision_id))
        except NotFound:
            self.notice = "admin_revision_gone"
        else:
            self.notice = "admin_revision_restored"
        self.older_id = self.newer_id = ""
        self._refresh(session)

    @rx.var
    def diff_rows(self) -> list[dict[str, str]]:
        """The diff with field names in the editor's language."""
        return [
            row | {"text": translate(row["text"], self.lang)} if row["kind"] == "field" else row for row in self._diff
        ]


class AdminPostRevisionsState(RevisionHistoryMixin, AdminState):
    """`/admin/posts/history?id=N`; every handler runs behind `admin_handler`."""

    post_id: int = 0
    post_title: str = ""

    def _clear_admin_data(self) -> None:
        super()._clear_admin_data()
        self.post_id, self.post_title = 0, ""

    def _refresh(self, session: Session) -> None:
        post = session.get(Post, self.post_id) if self.post_id else None
        if post is None:
            self.post_id, self.post_title, self.current_text, self.revision_rows, self._diff = 0, "", "", [], []
            return
        self.post_title, self.current_text = post.title, post.body
        self._show_history(revisions.post_history(session, post.id))
        try:
            diff = revisions.diff_post_revisions(
                session, post.id, _revision_id(self.older_id), _revision_id(self.newer_id)
            )
        except NotFound:
            diff = []
        self._diff = _diff_rows(diff)

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """The history of the post named in the address."""
        raw_id = self.router.url.query_parameters.get("id", "")
        self.post_id = _revision_id(raw_id)
        self.older_id = self.newer_id = ""
        self.form_errors, self.notice = {}, ""
        self._refresh(session)

    def _restore(self, session: Session, editor: Editor, revision_id: int) -> None:
        revisions.restore_post_revision(session, self.post_id, revision_id, editor)


class AdminTextRevisionsState(RevisionHistoryMixin, AdminState):
    """`/admin/texts/history?slot=mission_es`; every handler runs behind `admin_handler`."""

    slot: str = ""

    def _clear_admin_data(self) -> None:
        super()._clear_admin_data()
        self.slot = ""

    def _refresh(self, session: Session) -> None:
        if self.slot not in TEXT_SLOTS:
            self.revision_rows, self._diff, self.current_text = [], [], ""
            return
        key, language = TEXT_SLOTS[self.slot]
        self.current_text = editorial.site_texts_admin(session).get((key, language), "")
        self._show_history(site_text_revisions.site_text_history(session, key, language))
        try:
            diff = site_text_revisions.diff_site_text_revisions(
                session, key, language, _revision_id(self.older_id), _revision_id(self.newer_id)
            )
        except NotFound:
            diff = []
        self._diff = _diff_rows(diff)

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """The history of the text named in the address (the first text when none is named)."""
        slot = self.router.url.query_parameters.get("slot", "")
        self.slot = slot if slot in TEXT_SLOTS else next(iter(TEXT_SLOTS))
        self.older_id = self.newer_id = ""
        self.form_errors, self.notice = {}, ""
        self._refresh(session)

    def _restore(self, session: Session, editor: Editor, revision_id: int) -> None:
        if self.slot not in TEXT_SLOTS:
            raise NotFound("no text chosen")
        key, language = TEXT_SLOTS[self.slot]
        site_text_revisions.restore_site_text_revision(session, key, language, revision_id, editor)

    @rx.var
    def text_label(self) -> str:
        """ "Mission · Español" in the editor's language."""
        if self.slot not in TEXT_SLOTS:
            return ""
        key, language = TEXT_SLOTS[self.slot]
        return f"{translate(f'admin_text_{key}', self.lang)} · {translate(f'language_name_{language}', self.lang)}"
