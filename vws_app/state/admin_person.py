"""Admin: find a person by e-mail address, export their records as JSON, erase them everywhere; admins only.

The address searched lives only in a backend var: export and erasure act on what the admin
found, never on an address a client sends with them.
"""

import reflex as rx
from sqlmodel import Session, SQLModel

from vws_app.i18n import translate
from vws_app.models import Editor, EditorRole, as_utc, utc_now
from vws_app.services import person_erasure
from vws_app.services.person_records import KINDS, NotAnAddress, find_rows, normalise_address
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

ADMIN_ROLE = EditorRole.ADMIN.value
DETAIL_LENGTH = 120
# What the list shows of each kind, besides when: the columns that tell the records apart.
DETAIL_FIELDS = {
    "contact_message": ("name", "status", "message"),
    "subscriber": ("status", "language"),
    "letter_signature": ("name", "status", "letter_id"),
    "rsvp": ("name", "status", "people", "event_id"),
    "outbox_message": ("kind", "status", "subject"),
    "contact_note": ("message_id", "body"),
    "audit_mention": ("action", "entity", "summary"),
}


def _record(kind: str, row: SQLModel) -> dict[str, str]:
    """One line of the list: kind, id, date, and a short detail."""
    created = getattr(row, "created_at", None)
    detail = " · ".join(str(getattr(row, field, "")) for field in DETAIL_FIELDS[kind])
    return {
        "key": f"{kind}-{row.id}",
        "kind": kind,
        "id": str(row.id),
        "when": as_utc(created).strftime("%Y-%m-%d") if created else "",
        "detail": detail if len(detail) <= DETAIL_LENGTH else detail[: DETAIL_LENGTH - 1] + "…",
    }


class AdminPersonState(AdminState):
    """The records of one address, their counts by kind, and the outcome of the last action."""

    _address: str = ""
    address: str = ""  # shown: what was found, normalised
    counts: list[dict[str, str]] = []
    records: list[dict[str, str]] = []
    notice: str = ""  # a catalogue key
    erased_total: int = 0

    def _clear_admin_data(self) -> None:
        """Forget the address and every record this tab was shown."""
        self._address = self.address = self.notice = ""
        self.counts, self.records, self.erased_total = [], [], 0

    @rx.var
    def notice_text(self) -> str:
        """The last outcome in the admin's language."""
        return translate(self.notice, self.lang, count=self.erased_total) if self.notice else ""

    @rx.var
    def found_total(self) -> int:
        """How many records hold the address."""
        return sum(int(row["count"]) for row in self.counts)

    def _show(self, session: Session) -> None:
        found = find_rows(session, self._address)
        self.counts = [{"kind": kind, "count": str(len(found[kind]))} for kind in KINDS]
        self.records = [_record(kind, row) for kind in KINDS for row in found[kind]]

    @admin_handler(role=ADMIN_ROLE)
    def show_person(self, session: Session, editor: Editor, person_form: dict):
        """Every record holding the typed address (any case, as the forms normalise it)."""
        try:
            address = normalise_address(str(person_form.get("email", ""))[:400])
        except NotAnAddress:
            self._clear_admin_data()
            self.notice = "admin_person_invalid"
            return
        self._address, self.address, self.notice = address, address, ""
        self._show(session)

    @admin_handler(role=ADMIN_ROLE)
    def export_json(self, session: Session, editor: Editor):
        """Download the found address's records as JSON (built here, off the event loop; the file name holds no address)."""
        if not self._address:
            self.notice = "admin_person_find_first"
            return None
        text = person_erasure.export_json(session, self._address, now=utc_now())
        return rx.download(data=text.encode("utf-8"), filename="person-records.json", mime_type="application/json")

    @admin_handler(role=ADMIN_ROLE)
    def erase_everywhere(self, session: Session, editor: Editor):
        """Delete every record of the found address (the page asked for confirmation), audited by hash and counts."""
        if not self._address:
            self.notice = "admin_person_find_first"
            return
        counts = person_erasure.erase_everywhere(session, self._address, editor)
        self.erased_total = sum(counts.values()) - counts.get("audit_mention", 0)
        self.notice = "admin_person_erased"
        self._show(session)
