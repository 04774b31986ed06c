"""The outbox: every e-mail the site sends is first a row here, added in its cause's transaction.

Features call `enqueue` (or `enqueue_many` for a newsletter) with their own session and commit
it together with whatever caused the mail; nothing here commits. The sender
(`services/mail_sender.py`) later claims the due rows and delivers them.
"""

import base64
import json
import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from vws_app.i18n import normalise_language
from vws_app.models import OutboxMessage, OutboxStatus, utc_now
from vws_app.services.mail_render import render
from vws_app.settings import mail_from

# Headers the mailer writes itself; a caller may not replace them through `headers`.
RESERVED_HEADERS = {"from", "to", "subject", "message-id", "date", "mime-version", "content-type"}


class BadHeader(ValueError):
    """An extra header that would break or replace the message's own headers."""


def message_id_domain() -> str:
    """The domain part of our Message-IDs: the sender address's (`settings.mail_from`)."""
    _, _, domain = mail_from().rpartition("@")
    domain = domain.strip("<> ")
    try:
        return domain.encode("idna").decode("ascii") or "localhost"
    except UnicodeError:  # a mistyped setting must not stop a contact message from being stored
        return "localhost"


def new_message_id() -> str:
    """A globally unique Message-ID (`<random@domain>`), made once and stored with the row."""
    return f"<{uuid.uuid4().hex}@{message_id_domain()}>"


def headers_json(headers: Mapping[str, str] | None) -> str:
    """Extra headers as the stored JSON object.

    Raises:
        BadHeader: a name or value with a line break, or a header the mailer sets itself.
    """
    checked: dict[str, str] = {}
    for name, value in (headers or {}).items():
        text = str(value)
        if not name or not name.isascii() or ":" in name or any(char in f"{name}{text}" for char in "\r\n"):
            raise BadHeader(name)
        if name.lower() in RESERVED_HEADERS:
            raise BadHeader(name)
        checked[name] = text
    return json.dumps(checked, ensure_ascii=False)


def attachments_json(attachments: list[tuple[str, str, bytes]] | None) -> str:
    """Files sent with a mail, `(filename, content type, data)` each, as the stored JSON list."""
    return json.dumps(
        [
            {"filename": filename, "content_type": content_type, "data": base64.b64encode(data).decode("ascii")}
            for filename, content_type, data in attachments or ()
        ]
    )


def row_values(
    *,
    kind: str,
    to: str,
    language: str,
    template: str,
    context: Mapping[str, object],
    headers: Mapping[str, str] | None = None,
    dedupe_key: str | None = None,
    mailing_id: int | None = None,
    attachments: list[tuple[str, str, bytes]] | None = None,
    now: datetime | None = None,
) -> dict[str, object]:
    """The column values of one outbox row: the mail rendered now, in the recipient's language."""
    language = normalise_language(language)
    subject, text, html = render(template, language, **dict(context))
    moment = now or utc_now()
    return {
        "kind": kind,
        "recipient": to.strip(),
        "language": language,
        "subject": subject[:500],
        "text_body": text,
        "html_body": html,
        "headers_json": headers_json(headers),
        "message_id": new_message_id(),
        "dedupe_key": dedupe_key,
        "mailing_id": mailing_id,
        "status": OutboxStatus.QUEUED.value,
        "attempts": 0,
        "next_attempt_at": moment,
        "lease_until": None,
        "created_at": moment,
        "sent_at": None,
        "last_error": "",
        "attachments_json": attachments_json(attachments),
    }


def _insert_skipping_duplicates(session: Session, values: list[dict[str, object]]) -> list[int]:
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING in the session's transaction; the new ids.

    The rows go as parameters of one statement (SQLAlchemy's "insertmanyvalues" batches them),
    not into its text: compiling a 500-row VALUES clause took ~0.4 s per batch, 10 s for a
    10,000-row newsletter, all of it while SQLite's write lock was held (bench/README.md, mail).
    """
    if not values:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(col(OutboxMessage.id))
    )
    return list(session.execute(statement, values).scalars().all())


def enqueue(
    session: Session,
    *,
    kind: str,
    to: str,
    language: str,
    template: str,
    context: Mapping[str, object],
    headers: Mapping[str, str] | None = None,
    dedupe_key: str | None = None,
    mailing_id: int | None = None,
    attachments: list[tuple[str, str, bytes]] | None = None,
) -> OutboxMessage | None:
    """Render `template` in `language` and add one outbox row to `session`, NOT committed.

    The caller commits it together with its cause (or rolls both back). Returns the row, or
    None when a row with `dedupe_key` already exists (a second enqueue adds nothing).
    `attachments` are `(filename, content type, data)` files sent with the mail.

    Raises:
        mail_render.UnknownTemplate, TypeError: the template is unknown or `context` does not fit it.
        BadHeader: an extra header is unsafe.
    """
    values = row_values(
        kind=kind,
        to=to,
        language=language,
        template=template,
        context=context,
        headers=headers,
        dedupe_key=dedupe_key,
        mailing_id=mailing_id,
        attachments=attachments,
    )
    new_ids = _insert_skipping_duplicates(session, [values])
    return session.get(OutboxMessage, new_ids[0]) if new_ids else None


def enqueue_many(session: Session, rows: list[dict]) -> int:
    """Add many outbox rows at once (a newsletter), NOT committed; returns how many were added.

    Each dict holds `enqueue`'s keyword arguments. Rows whose `dedupe_key` already exists,
    in the table or earlier in `rows`, are skipped.
    """
    now = utc_now()
    seen: set[str] = set()
    values: list[dict[str, object]] = []
    for row in rows:
        key = row.get("dedupe_key")
        if key is not None and key in seen:
            continue
        if key is not None:
            seen.add(key)
        values.append(row_values(**row, now=now))
    added = 0
    for start in range(0, len(values), 500):  # bounded statements (SQLite caps bound variables)
        added += len(_insert_skipping_duplicates(session, values[start : start + 500]))
    return added
