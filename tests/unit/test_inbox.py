"""The editors' inbox: listing, counting, marking handled, deleting and exporting contact messages."""

import csv
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from vws_app.models import AuditEntry, ContactMessage
from vws_app.services import inbox
from vws_app.services.inbox import NotFound, ValidationFailed

T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


def add_message(
    session: Session, name: str = "José Núñez", *, minutes: int = 0, status: str = "new", **fields
) -> ContactMessage:
    """A stored contact message, `minutes` after T0."""
    fields.setdefault("email", "jose@example.org")
    fields.setdefault("message", "Quiero ayudar.")
    row = ContactMessage(
        name=name, status=status, submission_key=uuid.uuid4().hex, created_at=T0 + timedelta(minutes=minutes), **fields
    )
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def audit_actions(session: Session) -> list[tuple[str, str, int | None]]:
    rows = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    return [(row.action, row.entity, row.entity_id) for row in rows]


def read_csv(text: str, tmp_path) -> list[list[str]]:
    """The rows a spreadsheet-style reader gets from the exported text saved as a file."""
    path = tmp_path / "inbox.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_messages_are_listed_newest_first_and_filtered_by_status(session):
    old = add_message(session, "Old", minutes=0)
    handled = add_message(session, "Handled", minutes=5, status="handled")
    new = add_message(session, "New", minutes=10)
    assert inbox.list_messages(session) == ([new, handled, old], 3)
    assert inbox.list_messages(session, status="new") == ([new, old], 2)
    assert inbox.list_messages(session, status="handled") == ([handled], 1)
    assert inbox.list_messages(session, status="spam") == ([], 0)


def test_messages_are_paginated_with_the_total(session):
    rows = [add_message(session, f"Sender {n}", minutes=n) for n in range(5)]
    page, total = inbox.list_messages(session, page=2, per_page=2)
    assert [row.id for row in page] == [rows[2].id, rows[1].id] and total == 5
    assert len(inbox.list_messages(session, page=0, per_page=0)[0]) == 1


def test_count_new_ignores_handled_messages(session):
    add_message(session, minutes=1)
    add_message(session, minutes=2)
    add_message(session, minutes=3, status="handled")
    assert inbox.count_new(session) == 2


def test_get_message_finds_one_or_raises(session):
    row = add_message(session)
    assert inbox.get_message(session, row.id).name == "José Núñez"
    with pytest.raises(NotFound):
        inbox.get_message(session, 9999)


def test_marking_handled_and_new_again_is_audited_in_the_same_commit(session, engine, editor):
    row = add_message(session)
    inbox.set_message_status(session, row.id, "handled", editor)
    with Session(engine) as other:
        assert other.get(ContactMessage, row.id).status == "handled"
        [entry] = other.exec(select(AuditEntry)).all()
        assert (entry.editor_id, entry.action, entry.entity_id) == (editor.id, "handle", row.id)
    inbox.set_message_status(session, row.id, "new", editor)
    assert inbox.count_new(session) == 1
    assert audit_actions(session) == [("handle", "contact_message", row.id), ("reopen", "contact_message", row.id)]


def test_setting_the_same_status_again_records_nothing(session, editor):
    row = add_message(session)
    inbox.set_message_status(session, row.id, "new", editor)
    assert audit_actions(session) == []


def test_unknown_status_or_message_is_refused(session, editor):
    row = add_message(session)
    with pytest.raises(ValidationFailed) as failed:
        inbox.set_message_status(session, row.id, "archived", editor)
    assert failed.value.errors == {"status": "inbox_error_status_invalid"}
    with pytest.raises(NotFound):
        inbox.set_message_status(session, 9999, "handled", editor)
    with pytest.raises(NotFound):
        inbox.delete_message(session, 9999, editor)


def test_delete_removes_the_message_with_an_audit_entry(session, editor):
    row = add_message(session)
    row_id = row.id
    inbox.delete_message(session, row_id, editor)
    assert session.get(ContactMessage, row_id) is None
    assert audit_actions(session) == [("delete", "contact_message", row_id)]


def test_export_starts_with_a_bom_and_round_trips_accents_and_line_breaks(session, tmp_path):
    row = add_message(
        session,
        "María José Núñez",
        email="maria@example.org",
        phone="0212 555 1234",
        message='Primera línea\nSegunda línea, con «comillas» y "quotes"',
        wants_meeting=True,
        language="es",
    )
    text = inbox.export_csv(session)
    assert text.startswith("\ufeff") and text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    header, *rows = read_csv(text, tmp_path)
    assert header == [
        "id",
        "created_at",
        "status",
        "assignee",
        "language",
        "name",
        "email",
        "phone",
        "wants_meeting",
        "message",
    ]
    assert rows == [
        [
            str(row.id),
            "2030-03-01T09:00:00+00:00",
            "new",
            "",
            "es",
            "María José Núñez",
            "maria@example.org",
            "0212 555 1234",
            "yes",
            'Primera línea\nSegunda línea, con «comillas» y "quotes"',
        ]
    ]


def test_export_follows_the_status_filter_newest_first(session, tmp_path):
    add_message(session, "Old", minutes=0)
    add_message(session, "Handled", minutes=5, status="handled")
    add_message(session, "New", minutes=10)
    assert [row[5] for row in read_csv(inbox.export_csv(session), tmp_path)[1:]] == ["New", "Handled", "Old"]
    assert [row[5] for row in read_csv(inbox.export_csv(session, status="new"), tmp_path)[1:]] == ["New", "Old"]


def test_export_of_an_empty_inbox_is_just_the_header(session, tmp_path):
    assert len(read_csv(inbox.export_csv(session), tmp_path)) == 1


@pytest.mark.parametrize(
    ("typed", "exported"),
    [
        ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("Ana = Bea", "Ana = Bea"),
    ],
)
def test_export_neutralises_spreadsheet_formulas(session, tmp_path, typed, exported):
    add_message(session, typed, phone=typed, message=typed)
    [_, row] = read_csv(inbox.export_csv(session), tmp_path)
    assert (row[5], row[7], row[9]) == (exported, exported, exported)


# Full-width, small, superscript and subscript forms of = + - @, the minus sign, hyphens and dashes.
FORMULA_LOOK_ALIKES = [
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
    "\ufe66",
    "\ufe62",
    "\ufe63",
    "\ufe6b",
    "\u207a",
    "\u207b",
    "\u208a",
    "\u208b",
    "\u2212",
    "\u2010",
    "\u2011",
    "\u2012",
    "\u2013",
    "\u2014",
    "\u2015",
    "\ufe58",
    "\u2795",
    "\u2796",
    "\r",
]


@pytest.mark.parametrize("lead", FORMULA_LOOK_ALIKES, ids=lambda char: f"U+{ord(char):04X}")
def test_export_neutralises_look_alike_formula_starts(session, tmp_path, lead):
    typed = f'{lead}HYPERLINK("http://evil.example","click")'
    add_message(session, typed, phone=typed, message=typed)
    [_, row] = read_csv(inbox.export_csv(session), tmp_path)
    assert (row[5], row[7], row[9]) == ("'" + typed,) * 3


@pytest.mark.parametrize("text", ["Ana", "¡Hola!", "１２３", "Ωmega", "", " =1"])
def test_ordinary_text_is_exported_unchanged(text):
    assert inbox.spreadsheet_safe(text) == text
