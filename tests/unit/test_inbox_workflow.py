"""An inbox a team can work: statuses and their moves, assignees, internal notes, filters, the reply link."""

import csv
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlmodel import Session, select

from tests.unit.test_inbox import add_message, audit_actions
from vws_app.i18n import CATALOGUES
from vws_app.models import AuditEntry, ContactMessage, ContactNote, Editor
from vws_app.services import inbox, inbox_notes
from vws_app.services.inbox import InboxFilter, NotFound, ValidationFailed
from vws_app.services.inbox_reply import reply_link

NOTE = "Called her back; she can host the March meeting."


@pytest.fixture
def colleague(session) -> Editor:
    """A second active editor, to give messages to."""
    row = Editor(email="luis@example.org", display_name="Luis", password_hash="not-a-real-hash")
    session.add(row)
    session.commit()
    return row


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("new", "in_progress"),
        ("new", "handled"),
        ("new", "spam"),
        ("in_progress", "handled"),
        ("in_progress", "new"),
        ("in_progress", "spam"),
        ("handled", "in_progress"),
        ("handled", "new"),
        ("spam", "new"),
    ],
)
def test_allowed_status_moves_are_saved_and_audited(session, engine, editor, start, target):
    row = add_message(session, status=start)
    inbox.set_message_status(session, row.id, target, editor)
    with Session(engine) as other:
        assert other.get(ContactMessage, row.id).status == target
        [entry] = other.exec(select(AuditEntry)).all()
    assert (entry.action, entry.entity, entry.entity_id, entry.editor_email) == (
        inbox.STATUS_AUDIT_ACTIONS[target],
        "contact_message",
        row.id,
        editor.email,
    )
    assert entry.summary == f"{start} → {target}"


@pytest.mark.parametrize(("start", "target"), [("handled", "spam"), ("spam", "handled"), ("spam", "in_progress")])
def test_status_moves_outside_the_workflow_are_refused_and_change_nothing(session, editor, start, target):
    row = add_message(session, status=start)
    with pytest.raises(ValidationFailed) as failed:
        inbox.set_message_status(session, row.id, target, editor)
    assert failed.value.errors == {"status": "inbox_error_status_move"}
    session.expire_all()
    assert session.get(ContactMessage, row.id).status == start and audit_actions(session) == []


def test_a_message_is_assigned_to_an_active_editor_and_unassigned_audited(session, editor, colleague):
    row = add_message(session)
    inbox.assign_message(session, row.id, colleague.id, editor)
    assert session.get(ContactMessage, row.id).assignee_id == colleague.id
    inbox.assign_message(session, row.id, colleague.id, editor)  # already theirs: nothing recorded
    inbox.assign_message(session, row.id, None, editor)
    assert session.get(ContactMessage, row.id).assignee_id is None
    assert audit_actions(session) == [("assign", "contact_message", row.id), ("unassign", "contact_message", row.id)]
    entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert entries[0].summary == f"to {colleague.email}" and entries[0].editor_id == editor.id


def test_a_message_cannot_go_to_a_disabled_or_unknown_editor(session, editor, colleague):
    row = add_message(session)
    colleague.is_active = False
    session.add(colleague)
    session.commit()
    for assignee_id in (colleague.id, 99_999):
        with pytest.raises(ValidationFailed) as failed:
            inbox.assign_message(session, row.id, assignee_id, editor)
        assert failed.value.errors == {"assignee": "inbox_error_assignee_invalid"}
    with pytest.raises(NotFound):
        inbox.assign_message(session, 99_999, editor.id, editor)
    assert session.get(ContactMessage, row.id).assignee_id is None and audit_actions(session) == []
    assert [row.email for row in inbox.assignable_editors(session)] == [editor.email]


def test_notes_are_listed_oldest_first_with_their_author_and_time(session, editor, colleague):
    row = add_message(session)
    first = inbox_notes.add_note(session, row.id, f"  {NOTE}\n", editor)
    second = inbox_notes.add_note(session, row.id, "Sent her the address.", colleague)
    notes = inbox_notes.list_notes(session, row.id)
    assert [(note.body, note.author_email, note.author_id) for note in notes] == [
        (NOTE, editor.email, editor.id),
        ("Sent her the address.", colleague.email, colleague.id),
    ]
    assert notes[0].created_at <= notes[1].created_at and first.id < second.id
    assert audit_actions(session) == [("add_note", "contact_message", row.id)] * 2
    assert NOTE not in repr([entry.summary for entry in session.exec(select(AuditEntry)).all()])


def test_empty_or_overlong_notes_and_notes_on_missing_messages_are_refused(session, editor):
    row = add_message(session)
    for body, key in (("   \n", "inbox_error_note_empty"), ("x" * 5001, "inbox_error_note_long")):
        with pytest.raises(ValidationFailed) as failed:
            inbox_notes.add_note(session, row.id, body, editor)
        assert failed.value.errors == {"note": key}
    with pytest.raises(NotFound):
        inbox_notes.add_note(session, 99_999, "note", editor)
    session.rollback()
    assert session.exec(select(ContactNote)).all() == [] and audit_actions(session) == []


def test_deleting_a_message_deletes_its_notes(session, editor):
    row = add_message(session)
    inbox_notes.add_note(session, row.id, NOTE, editor)
    inbox.delete_message(session, row.id, editor)
    assert session.exec(select(ContactNote)).all() == []


def test_notes_are_never_in_the_reply_or_the_export(session, editor, colleague, tmp_path):
    row = add_message(session, message="Quiero ayudar.", language="es")
    inbox.assign_message(session, row.id, colleague.id, editor)
    inbox_notes.add_note(session, row.id, NOTE, editor)
    link = reply_link(session.get(ContactMessage, row.id))
    assert NOTE not in unquote(link) and "Called" not in unquote(link)
    text = inbox.export_csv(session)
    assert NOTE not in text
    path = tmp_path / "inbox.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with path.open(encoding="utf-8-sig", newline="") as file:
        [exported] = list(csv.DictReader(file))
    assert (exported["status"], exported["assignee"]) == ("new", colleague.email)


def test_each_filter_alone_and_combined(session, editor, colleague):
    mine = add_message(session, "Mine", minutes=1, language="es", wants_meeting=True)
    theirs = add_message(session, "Theirs", minutes=2, status="in_progress")
    add_message(session, "Nobody's", minutes=3, language="es")
    add_message(session, "Spam", minutes=4, status="spam", wants_meeting=True)
    inbox.assign_message(session, mine.id, editor.id, editor)
    inbox.assign_message(session, theirs.id, colleague.id, editor)

    def names(viewer: Editor = editor, **fields) -> list[str]:
        rows, total = inbox.list_messages(session, filters=InboxFilter(**fields), viewer_id=viewer.id)
        assert total == len(rows)
        return [row.name for row in rows]

    assert names() == ["Spam", "Nobody's", "Theirs", "Mine"]
    assert names(status="spam") == ["Spam"] and names(status="in_progress") == ["Theirs"]
    assert names(assignee="me") == ["Mine"] and names(colleague, assignee="me") == ["Theirs"]
    assert names(assignee="nobody") == ["Spam", "Nobody's"]
    assert names(language="es") == ["Nobody's", "Mine"]
    assert names(wants_meeting=True) == ["Spam", "Mine"]
    assert names(assignee="nobody", language="es") == ["Nobody's"]
    assert names(status="new", wants_meeting=True, language="es", assignee="me") == ["Mine"]
    assert names(status="new", wants_meeting=True, assignee="nobody") == []
    assert names(assignee="someone-else") == [] and names(language="fr") == []
    assert inbox.list_messages(session, filters=InboxFilter(assignee="me"))[0] == []  # no viewer: nobody is "me"
    exported = inbox.export_csv(session, filters=InboxFilter(language="es"), viewer_id=editor.id)
    assert "Nobody's" in exported and "Mine" in exported and "Theirs" not in exported
    _, total = inbox.list_messages(session, filters=InboxFilter(language="es"), page=2, per_page=1)
    assert total == 2


def test_the_new_count_follows_status_moves(session, editor):
    rows = [add_message(session, minutes=n) for n in range(3)]
    assert inbox.count_new(session) == 3
    inbox.set_message_status(session, rows[0].id, "in_progress", editor)
    inbox.set_message_status(session, rows[1].id, "spam", editor)
    assert inbox.count_new(session) == 1
    inbox.set_message_status(session, rows[1].id, "new", editor)
    inbox.set_message_status(session, rows[0].id, "handled", editor)
    assert inbox.count_new(session) == 2


def _parts(link: str) -> tuple[str, dict[str, list[str]]]:
    split = urlsplit(link)
    assert split.scheme == "mailto"
    return unquote(split.path), parse_qs(split.query, keep_blank_values=True)


def test_the_reply_link_has_the_address_a_subject_in_the_senders_language_and_the_message_quoted(session):
    spanish = add_message(
        session, "María Núñez", email="maria@example.org", language="es", message="Hola,\nquiero ayudar."
    )
    address, fields = _parts(reply_link(spanish))
    assert address == "maria@example.org" and set(fields) == {"subject", "body"}
    assert fields["subject"] == ["Re: Tu mensaje a Venezuelan Workers Solidarity"]
    assert fields["body"] == ["\r\n\r\nEl 1 de marzo de 2030, María Núñez escribió:\r\n> Hola,\r\n> quiero ayudar."]
    english = add_message(session, "Ann", email="ann@example.org", language="en", message="Hello")
    _, fields = _parts(reply_link(english))
    assert fields["subject"] == ["Re: Your message to Venezuelan Workers Solidarity"]
    assert fields["body"][0].endswith("On March 1, 2030, Ann wrote:\r\n> Hello")


def test_line_breaks_and_separators_in_a_name_or_message_cannot_add_headers(session):
    row = add_message(
        session,
        "Ana\r\nBcc: spy@evil.example",
        email="ana@example.org",
        message="Hi&cc=spy@evil.example?bcc=spy@evil.example\r\nSubject: changed\n%0D%0ABcc: x@evil.example",
    )
    link = reply_link(row)
    assert not any(character in link for character in "\r\n ") and link.count("&") == 1 and link.count("?") == 1
    address, fields = _parts(link)
    assert address == "ana@example.org" and set(fields) == {"subject", "body"}
    body = fields["body"][0]
    assert "Ana Bcc: spy@evil.example wrote:" in body  # the name stays on the attribution line
    assert (
        "\r\n> Hi&cc=spy@evil.example?bcc=spy@evil.example\r\n> Subject: changed\r\n> %0D%0ABcc: x@evil.example" in body
    )


def test_every_inbox_audit_action_is_named_in_both_languages():
    actions = {*inbox.STATUS_AUDIT_ACTIONS.values(), "assign", "unassign", "add_note"}
    for language in ("en", "es"):
        assert {action for action in actions if f"admin_audit_action_{action}" not in CATALOGUES[language]} == set()
