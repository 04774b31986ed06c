"""Admin: the redirect list: add one, remove one, import a CSV list, export it."""

import contextlib

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import translate
from vws_app.models import Editor
from vws_app.services import redirect_import, redirects
from vws_app.services.editorial_common import NotFound, ValidationFailed
from vws_app.state.admin_form import AdminFormMixin
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

FIELD_MAX_LENGTH = 1_000  # what a tampered client may send as one field


def _row(row, target: str) -> dict[str, str]:
    return {"id": str(row.id), "old_path": row.old_path, "target": target, "origin": row.origin}


class AdminRedirectsState(AdminFormMixin, AdminState):
    """Every handler runs behind `admin_handler`; the add form is submitted whole (no setters)."""

    rows: list[dict[str, str]] = []
    _import_errors: list[tuple[int, str]] = []
    import_added: int = -1  # -1: no import yet in this visit

    def _clear_admin_data(self) -> None:
        """Forget every redirect this tab was shown."""
        self.rows, self._import_errors, self.import_added = [], [], -1
        self.form_errors, self.notice = {}, ""

    def _reload(self, session: Session) -> None:
        self.rows = [_row(row, target) for row, target in redirects.list_redirects(session)]

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """Every redirect, newest first."""
        self.form_errors, self.notice, self._import_errors, self.import_added = {}, "", [], -1
        self._reload(session)

    @admin_handler()
    def add(self, session: Session, editor: Editor, redirect_form: dict):
        """Add the form's redirect (old path → post slug or path); errors show beside the fields."""
        old = str(redirect_form.get("old_path", ""))[:FIELD_MAX_LENGTH]
        target = str(redirect_form.get("target", ""))[:FIELD_MAX_LENGTH]
        try:
            redirects.add_redirect(session, old, target, editor)
        except ValidationFailed as failed:
            self.form_errors, self.notice = failed.errors, ""
            return
        self.form_errors, self.notice = {}, "admin_saved"
        self._reload(session)

    @admin_handler()
    def remove(self, session: Session, editor: Editor, redirect_id: int):
        """Remove one redirect (the page asked for confirmation first)."""
        with contextlib.suppress(NotFound):  # removed meanwhile: the reload shows how it is now
            redirects.remove_redirect(session, int(redirect_id), editor)
        self.notice = "admin_deleted"
        self._reload(session)

    @admin_handler()
    def import_file(self, session: Session, editor: Editor, files: list[rx.UploadFile]):
        """Import an uploaded CSV list; each refused line is reported by its number."""
        self.form_errors, self.notice = {}, ""
        for file in files[:1]:
            file.file.seek(0)
            data = file.file.read(redirect_import.MAX_IMPORT_BYTES + 1)
            try:
                report = redirect_import.import_csv(session, data.decode("utf-8"), editor)
            except UnicodeDecodeError:
                self.form_errors = {"file": "admin_error_import_not_csv"}
                return
            except ValidationFailed as failed:
                self.form_errors = failed.errors
                return
            self.import_added, self._import_errors = report.added, report.errors
        self._reload(session)

    @admin_handler()
    def export(self, session: Session, editor: Editor):
        """Download the list as CSV (cells a spreadsheet would run are neutralised)."""
        text = redirect_import.export_csv(session)
        return rx.download(data=text.encode("utf-8"), filename="redirects.csv", mime_type="text/csv;charset=utf-8")

    @rx.var
    def import_errors(self) -> list[str]:
        """ "Line 4: …" for each refused line, in the editor's language."""
        return [
            translate("admin_redirects_line", self.lang, line=line) + " " + translate(key, self.lang)
            for line, key in self._import_errors
        ]

    @rx.var
    def import_summary(self) -> str:
        """ "3 redirects added." after an import."""
        if self.import_added < 0:
            return ""
        return translate("admin_redirects_imported", self.lang, count=self.import_added)
