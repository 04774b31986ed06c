"""Find a person, export and erase, on SQLite and PostgreSQL: every table that holds an address, and only that person."""

import json
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func
from sqlmodel import Session, SQLModel, select

from tests.unit.content_builders import add_post
from tests.unit.meeting_builders import add_meeting
from tests.unit.meeting_builders import request as rsvp_request
from vws_app.models import (
    AuditEntry,
    ContactMessage,
    ContactNote,
    Event,
    LetterSignature,
    OutboxMessage,
    Rsvp,
    Subscriber,
)
from vws_app.services import inbox, inbox_notes, letters, letters_admin, rsvp, subscriptions
from vws_app.services.contact import ContactSubmission, submit_contact_message
from vws_app.services.letter_fields import SignRequest
from vws_app.services.person_erasure import address_hash, erase_everywhere, export_json
from vws_app.services.person_records import (
    EXCLUDED_COLUMNS,
    KINDS,
    NotAnAddress,
    covered_columns,
    find_rows,
    mentions_address,
    normalise_address,
    uncovered_address_columns,
)

PERSON = "ana@example.org"
OTHERS = ("mariana@example.org", "ana@example.org.uk")  # each contains PERSON's text, neither is PERSON


def _contact(session: Session, email: str, text: str = "Hello") -> ContactMessage:
    return submit_contact_message(
        session,
        ContactSubmission(name="Ana", email=email, message=text),
        submission_key=uuid.uuid4().hex,
        client_address=f"198.51.100.{len(email)}",
    )


def _confirm_link(session: Session, recipient: str) -> str:
    row = session.exec(
        select(OutboxMessage)
        .where(func.lower(OutboxMessage.recipient) == recipient.lower())
        .order_by(OutboxMessage.id.desc())
    ).first()
    for word in row.text_body.split():
        if word.startswith("http") and letters.CONFIRM_PATH in word:
            return parse_qs(urlparse(word).query)["t"][0]
    raise AssertionError("no confirmation link")


def _sign(session: Session, post, email: str, name: str) -> None:
    letters.sign(session, post.slug, SignRequest(name=name, email=email, consent=True), client_address="198.51.100.7")
    check, _row = letters.confirm(session, _confirm_link(session, email))
    assert check is letters.TokenCheck.CONFIRMED


@pytest.fixture
def people(session, editor, monkeypatch):
    """PERSON in every feature under differently cased (and, for the letter, dotted and tagged) spellings;
    two other people whose addresses contain PERSON's text do the same."""
    monkeypatch.setenv("CONTACT_NOTIFY_TO", "editors@example.net")  # the notice names the sender in Reply-To and text
    post = add_post(session, "Letter to the union", category="open_letter")
    letters_admin.save_settings(session, post.translation_key, editor, is_open=True, moderated=False)
    event = add_meeting(session, capacity=2)
    for index, email in enumerate(("Ana@Example.ORG", *OTHERS)):
        message = _contact(session, email, f"Message {index}")
        inbox_notes.add_note(session, message.id, f"Called back {index}", editor)
        subscriptions.subscribe(
            session,
            subscriptions.FollowRequest(email=email.upper(), language="es", consent=True),
            client_address=f"203.0.113.{index}",
        )
    _sign(session, post, "A.na+letters@EXAMPLE.org", "Ana")
    _sign(session, post, OTHERS[0], "Mariana")
    rsvp.rsvp(session, event.id, rsvp_request(1, email="ANA@example.org", people=2), client_address="192.0.2.1")
    rsvp.rsvp(
        session, event.id, rsvp_request(2, email=OTHERS[0]), client_address="192.0.2.2"
    )  # waits: the event is full
    # An editor deleted one of PERSON's messages earlier: the inbox's audit entry names the address.
    inbox.delete_message(session, _contact(session, PERSON, "An older message").id, editor)
    session.expire_all()
    return post, event


def test_every_kind_is_found_for_an_address_in_any_case_and_no_one_else(session, people):
    found = find_rows(session, normalise_address(" ANA@Example.org "))
    counts = {kind: len(rows) for kind, rows in found.items()}
    assert counts == {
        "contact_message": 1,
        "subscriber": 1,
        "letter_signature": 1,
        "rsvp": 1,
        # contact notice, subscription confirmation, letter confirmation, RSVP answer
        "outbox_message": 4,
        "contact_note": 1,
        "audit_mention": 1,
    }
    assert found["letter_signature"][0].email.lower() == "a.na+letters@example.org"
    for row in found["outbox_message"]:
        assert row.recipient.lower() == PERSON or PERSON in row.headers_json.lower()
    assert set(KINDS) == set(found)


def test_the_export_holds_every_record_and_no_secret(session, people):
    document = json.loads(export_json(session, normalise_address("Ana@EXAMPLE.org"), now=people[1].created_at))
    assert document["address"] == PERSON
    assert all(document["records"][kind] for kind in KINDS), document["counts"]
    assert document["records"]["contact_message"][0]["message"] == "Message 0"
    assert document["records"]["rsvp"][0]["people"] == 2
    text = json.dumps(document)
    assert "token_hash" not in text and "mariana" not in text and ".org.uk" not in text


def test_erasure_removes_every_record_fixes_counts_and_audits_only_a_hash(session, people, editor):
    post, event = people
    letter = letters.letter_for_key(session, post.translation_key)
    assert letter.people_count == 2 and session.get(Event, event.id).places_taken == 2
    counts = erase_everywhere(session, normalise_address("aNa@example.ORG"), editor)
    assert counts["contact_message"] == counts["subscriber"] == counts["letter_signature"] == counts["rsvp"] == 1

    session.expire_all()
    assert not any(find_rows(session, PERSON).values())
    assert session.exec(select(LetterSignature.email)).all() == [OTHERS[0]]
    assert letters.letter_for_key(session, post.translation_key).people_count == 1
    waiting = session.exec(select(Rsvp)).one()  # the other reader moved up from the waiting list
    assert (waiting.email, waiting.status) == (OTHERS[0], "confirmed")
    assert session.get(Event, event.id).places_taken == 1
    promoted_mail = session.exec(
        select(OutboxMessage).where(OutboxMessage.recipient == OTHERS[0], OutboxMessage.kind.startswith("rsvp"))
    ).all()
    assert len(promoted_mail) == 2  # the waiting-list answer, then the place
    assert sorted(row.email.lower() for row in session.exec(select(ContactMessage)).all()) == sorted(OTHERS)
    assert len(session.exec(select(ContactNote)).all()) == 2
    assert sorted(session.exec(select(Subscriber.email)).all()) == sorted(OTHERS)
    for row in session.exec(select(OutboxMessage)).all():
        assert not mentions_address(row.recipient + " " + row.headers_json + " " + row.text_body, PERSON)

    entries = session.exec(select(AuditEntry)).all()
    assert not any(mentions_address(entry.summary, PERSON) for entry in entries)
    erasure = next(entry for entry in entries if entry.action == "erase_person")
    assert address_hash(PERSON) in erasure.summary and "letter_signature=1" in erasure.summary
    assert erasure.editor_email == editor.email
    assert any("[erased]" in entry.summary for entry in entries)


def test_erasing_an_address_nobody_used_changes_nothing_but_the_audit(session, people, editor):
    before = {
        model.__name__: len(session.exec(select(model)).all())
        for model in (ContactMessage, Subscriber, LetterSignature, Rsvp, OutboxMessage)
    }
    assert set(erase_everywhere(session, "nobody@example.org", editor).values()) == {0}
    after = {
        model.__name__: len(session.exec(select(model)).all())
        for model in (ContactMessage, Subscriber, LetterSignature, Rsvp, OutboxMessage)
    }
    assert after == before


@pytest.mark.parametrize("typed", ["", "ana", "@example.org", "example.org", "a" * 400 + "@example.org"])
def test_only_a_whole_address_is_searched(typed):
    with pytest.raises(NotAnAddress):
        normalise_address(typed)


def test_a_mention_is_the_whole_address_not_part_of_a_longer_one():
    assert mentions_address("Reply-To: <Ana@Example.org>, thanks.", PERSON)
    assert mentions_address('{"Reply-To": "ana@example.org"}', PERSON)
    for longer in ("mariana@example.org", "ana@example.org.uk", "x.ana@example.org", "ana@example.org-x.net"):
        assert not mentions_address(f"From {longer} today", PERSON), longer


# ---- coverage: a table with an address column must be found or excluded with a reason ----


def test_every_address_column_of_the_schema_is_covered_or_excluded_with_a_reason():
    assert uncovered_address_columns(SQLModel.metadata) == []
    assert all(reason.strip() for reason in EXCLUDED_COLUMNS.values())
    assert not covered_columns() & set(EXCLUDED_COLUMNS)
    tables = {table.name: table for table in SQLModel.metadata.sorted_tables}
    for table, column in [*covered_columns(), *EXCLUDED_COLUMNS]:
        assert column in tables[table].columns, f"{table}.{column} is listed but does not exist"


def test_the_coverage_check_fails_for_a_new_table_with_an_address_column():
    metadata = MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(metadata)
    Table(
        "petition_signer",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("Contact_Email", String(320)),
        Column("recipient", String(320)),
        Column("name", String(200)),
    )
    assert uncovered_address_columns(metadata) == ["petition_signer.Contact_Email", "petition_signer.recipient"]
    excluded = {
        **EXCLUDED_COLUMNS,
        ("petition_signer", "Contact_Email"): "test",
        ("petition_signer", "recipient"): "test",
    }
    assert uncovered_address_columns(metadata, excluded=excluded) == []
