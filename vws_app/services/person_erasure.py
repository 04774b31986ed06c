"""A person's records by address: counted, exported as JSON, erased everywhere in one transaction.

Erasure goes through each feature's own removal where one exists, so kept counts stay right:
a shown signature leaves its letter's count (`letters.erase`), a confirmed RSVP gives its
places back and the waiting list moves up (`rsvp.withdraw_uncommitted`). The audit entry
keeps a keyed hash of the address (HMAC with the site's secret, as client addresses are
salted in `services/rate_limits.py`) and the counts, never the address: the same address
can later be checked against it, nobody can read it back.
"""

import hashlib
import hmac
import json
from datetime import date, datetime

from sqlmodel import Session, SQLModel, col, delete

from vws_app.models import ContactMessage, ContactNote, Editor, OutboxMessage, Subscriber, as_utc
from vws_app.services import audit, letters, rsvp
from vws_app.services.person_records import KINDS, find_rows, without_address
from vws_app.settings import secret_key

AUDIT_ACTION = "erase_person"
AUDIT_ENTITY = "person"
ERASED_MARK = "[erased]"
# Secrets and bulk that tell the person nothing: left out of the export.
EXPORT_LEFT_OUT = {
    "token_hash",
    "withdraw_token_hash",
    "html_body",
    "attachments_json",
    "client_hash",
    "last_request_client_hash",
    "author_email",
    "author_id",
}


def address_hash(address: str) -> str:
    """HMAC-SHA256 of the normalised address, keyed with the site's secret (hex)."""
    return hmac.new(secret_key().encode(), address.encode(), hashlib.sha256).hexdigest()


def count_rows(found: dict[str, list[SQLModel]]) -> dict[str, int]:
    """How many rows of each kind."""
    return {kind: len(found.get(kind, [])) for kind in KINDS}


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_data(row: SQLModel) -> dict[str, object]:
    """What the export and the admin page show of one row: its columns, secrets and bulk left out."""
    return {key: _plain(value) for key, value in row.model_dump().items() if key not in EXPORT_LEFT_OUT}


def export_json(session: Session, address: str, *, now: datetime) -> str:
    """Every record holding `address` (normalised), as an indented JSON document, by kind."""
    found = find_rows(session, address)
    document = {
        "address": address,
        "exported_at": as_utc(now).isoformat(),
        "counts": count_rows(found),
        "records": {kind: [row_data(row) for row in found[kind]] for kind in KINDS},
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def erase_everywhere(session: Session, address: str, editor: Editor) -> dict[str, int]:
    """Delete every record holding `address` (normalised) and audit it, in one commit; the counts by kind.

    Audit summaries that named the address keep their entry with the address blanked.
    Editor accounts and the audit log's authors are not touched (see `EXCLUDED_COLUMNS`).
    """
    found = find_rows(session, address)
    counts = count_rows(found)
    for signature in sorted(found["letter_signature"], key=lambda row: row.letter_id):
        letters.erase(session, signature.id)
    for answer in sorted(found["rsvp"], key=lambda row: row.event_id):
        rsvp.withdraw_uncommitted(session, answer.id)
    session.flush()
    mail_ids = [row.id for row in find_rows(session, address)["outbox_message"]]  # what the removals left
    if mail_ids:
        session.exec(delete(OutboxMessage).where(col(OutboxMessage.id).in_(mail_ids)))
    message_ids = [row.id for row in found["contact_message"]]
    if message_ids:
        session.exec(delete(ContactNote).where(col(ContactNote.message_id).in_(message_ids)))
        session.exec(delete(ContactMessage).where(col(ContactMessage.id).in_(message_ids)))
    subscriber_ids = [row.id for row in found["subscriber"]]
    if subscriber_ids:
        session.exec(delete(Subscriber).where(col(Subscriber.id).in_(subscriber_ids)))
    for entry in found["audit_mention"]:
        entry.summary = without_address(entry.summary, address, ERASED_MARK)
        session.add(entry)
    summary = f"hmac-sha256 {address_hash(address)}; " + ", ".join(f"{kind}={n}" for kind, n in counts.items())
    audit.record(session, editor, AUDIT_ACTION, AUDIT_ENTITY, None, summary)
    session.commit()
    return counts
