"""Where the site keeps a visitor's e-mail address: per table, how to find one person's rows.

"Find a person", its export and its erasure (`services/person_erasure.py`) all read
`PERSON_TABLES`, and a unit test walks every table of the schema: a column whose name says it
holds an address must be either found here or listed in `EXCLUDED_COLUMNS` with the reason,
so a new feature that stores addresses cannot be forgotten by the erasure.

Matching follows what each feature stores: addresses are compared in lower case after
email-validator's normalisation (as the forms store them), letter signatures also by their
`email_key` (one signer however the address is dotted or tagged), and outbox mail also by an
address anywhere in its headers or text (a contact notice names its sender there).
"""

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import Any

from email_validator import EmailNotValidError
from sqlalchemy import ColumnElement, MetaData, func, or_
from sqlmodel import Session, SQLModel, col, select

from vws_app.models import AuditEntry, ContactMessage, ContactNote, LetterSignature, OutboxMessage, Rsvp, Subscriber
from vws_app.services.contact import clean_text, normalised_email
from vws_app.services.letter_fields import email_key

ADDRESS_WORD = "email"  # a column whose name contains this holds an address
KNOWN_ADDRESS_COLUMNS = frozenset({"recipient", "reply_to", "sender"})  # names that hold one without saying so


class NotAnAddress(ValueError):
    """What was typed is not an e-mail address (searching a fragment could match other people)."""


@dataclasses.dataclass(frozen=True)
class PersonTable:
    """How one table holds a person: the address columns it covers and the rows that match.

    `condition(address)` narrows in SQL; `confirm(row, address)`, when set, drops rows the SQL
    over-matched (a text that contains the address only as part of a longer one).
    """

    kind: str
    model: type[Any]  # a table model (each has its own columns)
    columns: tuple[str, ...]
    condition: Callable[[str], ColumnElement[bool]]
    confirm: Callable[[SQLModel, str], bool] | None = None


def _lower_equals(column) -> Callable[[str], ColumnElement[bool]]:
    return lambda address: func.lower(column) == address


def _signature_condition(address: str) -> ColumnElement[bool]:
    return or_(col(LetterSignature.email_key) == email_key(address), func.lower(col(LetterSignature.email)) == address)


OUTBOX_TEXT_COLUMNS = ("headers_json", "subject", "text_body")


def _outbox_condition(address: str) -> ColumnElement[bool]:
    mentions = [
        func.lower(getattr(OutboxMessage, name)).contains(address, autoescape=True) for name in OUTBOX_TEXT_COLUMNS
    ]
    return or_(func.lower(OutboxMessage.recipient) == address, *mentions)


def _mention_pattern(address: str) -> str:
    """`address` itself, not a longer address that ends or starts with it."""
    return rf"(?<![\w.+-]){re.escape(address)}(?![\w-]|\.\w)"


def mentions_address(text: str, address: str) -> bool:
    """Whether `text` names `address` (any case)."""
    return re.search(_mention_pattern(address), text, flags=re.IGNORECASE) is not None


def _outbox_confirm(row: SQLModel, address: str) -> bool:
    assert isinstance(row, OutboxMessage)
    if row.recipient.lower() == address:
        return True
    return any(mentions_address(getattr(row, name) or "", address) for name in OUTBOX_TEXT_COLUMNS)


PERSON_TABLES: tuple[PersonTable, ...] = (
    PersonTable("contact_message", ContactMessage, ("email",), _lower_equals(ContactMessage.email)),
    PersonTable("subscriber", Subscriber, ("email",), _lower_equals(Subscriber.email)),
    PersonTable("letter_signature", LetterSignature, ("email", "email_key"), _signature_condition),
    PersonTable("rsvp", Rsvp, ("email",), _lower_equals(Rsvp.email)),
    PersonTable("outbox_message", OutboxMessage, ("recipient",), _outbox_condition, _outbox_confirm),
)

# Address columns this tool leaves alone on purpose, and why (shown in the admin page too).
EXCLUDED_COLUMNS: dict[tuple[str, str], str] = {
    ("editor", "email"): "an editor account: admins remove it under Editors",
    ("auditentry", "editor_email"): "the editor who made a change: the audit log keeps who did what",
    ("contactnote", "author_email"): "the editor who wrote a note; the note goes with the person's message",
    ("signinfailure", "email"): "a failed sign-in to an editor account: kept minutes for the lockout, then purged",
    ("postrevision", "editor_email"): "the editor who saved a revision: the history keeps who wrote what",
    ("sitetextrevision", "editor_email"): "the editor who saved a revision of a site text",
    ("privacytext", "editor_email"): "the editor who saved a version of the privacy notice",
}


def covered_columns(tables: Iterable[PersonTable] = PERSON_TABLES) -> set[tuple[str, str]]:
    """(table, column) of every address column the finders cover."""
    return {(table.model.__tablename__, column) for table in tables for column in table.columns}


def is_address_column(name: str) -> bool:
    """Whether a column's name says it holds an e-mail address."""
    lowered = name.lower()
    return ADDRESS_WORD in lowered or lowered in KNOWN_ADDRESS_COLUMNS


def uncovered_address_columns(
    metadata: MetaData,
    covered: set[tuple[str, str]] | None = None,
    excluded: Iterable[tuple[str, str]] = EXCLUDED_COLUMNS,
) -> list[str]:
    """ "table.column" of every address column in `metadata` neither covered nor excluded (should be none)."""
    known = (covered_columns() if covered is None else covered) | set(excluded)
    return sorted(
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if is_address_column(column.name) and (table.name, column.name) not in known
    )


def normalise_address(typed: str) -> str:
    """The address as the features store it: normalised by email-validator, then lower case.

    Raises:
        NotAnAddress: empty, or not an address.
    """
    text = clean_text("email", typed or "")
    if not text or len(text) > 320:
        raise NotAnAddress(typed)
    try:
        return normalised_email(text).lower()
    except EmailNotValidError as error:
        raise NotAnAddress(typed) from error


def find_rows(session: Session, address: str) -> dict[str, list[Any]]:
    """Every row holding `address` (already normalised), by kind, oldest first; the contact notes of its messages too."""
    found: dict[str, list[Any]] = {}
    for table in PERSON_TABLES:
        statement = select(table.model).where(table.condition(address)).order_by(col(table.model.id))
        rows = [row for row in session.exec(statement).all() if table.confirm is None or table.confirm(row, address)]
        found[table.kind] = rows
    message_ids = [row.id for row in found["contact_message"]]
    found["contact_note"] = (
        list(
            session.exec(
                select(ContactNote).where(col(ContactNote.message_id).in_(message_ids)).order_by(col(ContactNote.id))
            ).all()
        )
        if message_ids
        else []
    )
    found["audit_mention"] = audit_mentions(session, address)
    return found


def audit_mentions(session: Session, address: str) -> list[AuditEntry]:
    """Audit entries whose summary names the address (an inbox deletion names its sender): erasure blanks it there."""
    rows = session.exec(
        select(AuditEntry)
        .where(func.lower(col(AuditEntry.summary)).contains(address, autoescape=True))
        .order_by(col(AuditEntry.id))
    ).all()
    return [row for row in rows if mentions_address(row.summary, address)]


def without_address(text: str, address: str, replacement: str) -> str:
    """`text` with every mention of `address` (any case) replaced."""
    return re.sub(_mention_pattern(address), replacement, text, flags=re.IGNORECASE)


KINDS = (*(table.kind for table in PERSON_TABLES), "contact_note", "audit_mention")
