"""A redirect list in and out as CSV: "old path,post slug or new path", one redirect a line.

Import checks every line as an editor's own addition would be checked (no loops, no live post's
address, no duplicates, earlier lines of the same file included) and reports each refused line
by number; the good lines are saved together. Export neutralises cells a spreadsheet would run
as a formula (CSV injection).
"""

import csv
import dataclasses
import io

from sqlmodel import Session

from vws_app.models import Editor
from vws_app.services import audit, redirects
from vws_app.services.editorial_common import ValidationFailed
from vws_app.services.inbox import spreadsheet_safe

MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_LINES = 5_000
HEADER_WORDS = {"old", "old path", "old_path", "from", "source"}


@dataclasses.dataclass(frozen=True)
class ImportReport:
    """How many lines became redirects, and each refused line's number and catalogue key."""

    added: int
    errors: list[tuple[int, str]]


def import_csv(session: Session, text: str, editor: Editor) -> ImportReport:
    """Add the redirects of a CSV text (a first line of column names is skipped); commit the good lines.

    Raises:
        ValidationFailed: {"file": …} when the file is too big or is not CSV at all (nothing saved).
    """
    if len(text.encode("utf-8", "replace")) > MAX_IMPORT_BYTES:
        raise ValidationFailed({"file": "admin_error_import_too_big"})
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as error:
        raise ValidationFailed({"file": "admin_error_import_not_csv"}) from error
    if len(rows) > MAX_IMPORT_LINES:
        raise ValidationFailed({"file": "admin_error_import_too_big"})
    added, errors = 0, []
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in HEADER_WORDS:
            continue
        if len(cells) != 2:
            errors.append((number, "admin_error_import_columns"))
            continue
        try:
            redirects.add_redirect(session, cells[0], cells[1], editor, origin="import", commit=False)
        except ValidationFailed as failed:
            errors.append((number, next(iter(failed.errors.values()))))
            continue
        added += 1
    if added:
        audit.record(session, editor, "import", "redirect", None, f"{added} redirects, {len(errors)} lines refused")
    session.commit()
    return ImportReport(added=added, errors=errors)


def export_csv(session: Session) -> str:
    """Every redirect as "old path,target" lines (with a header), safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["old path", "target"])
    for row, target in reversed(redirects.list_redirects(session, limit=1000)):
        writer.writerow([spreadsheet_safe(row.old_path), spreadsheet_safe(target)])
    return out.getvalue()
