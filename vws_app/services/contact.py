"""Contact form intake: clean and validate a submission, apply the abuse rules, store it once."""

import dataclasses
import os
import re
import unicodedata
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from vws_app.i18n import normalise_language
from vws_app.models import ContactMessage, ContactStatus, as_utc, utc_now
from vws_app.services.consent import consent_given, record_consent
from vws_app.services.outbox import enqueue
from vws_app.services.rate_limits import RateLimited, client_hash, refuse_over_limit
from vws_app.settings import contact_notify_recipients, editors_language, site_url

__all__ = ["RateLimited", "client_hash"]  # re-exported: states and tests name them from here

NAME_MAX_LENGTH = 200
MESSAGE_MAX_LENGTH = 5000
PHONE_MAX_LENGTH = 50
RATE_LIMIT_COUNT = 5  # messages per client per window; CONTACT_RATE_LIMIT overrides it
RATE_LIMIT_WINDOW = timedelta(minutes=10)
FIELDS = ("name", "email", "phone", "message")
# Control characters (Unicode category Cc) go, except the line breaks and tabs a message may
# hold; format characters such as the zero-width joiner stay, as emoji and Arabic need them.
_KEEP_IN_MESSAGE = {"\n", "\t"}
_PHONE_PATTERN = re.compile(r"^\+?[0-9 ()./-]+$")


class ContactValidationError(Exception):
    """One or more fields are wrong; `errors` maps each field to a catalogue key."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{field}: {key}" for field, key in errors.items()))
        self.errors = errors


@dataclasses.dataclass(frozen=True)
class ContactSubmission:
    """What a visitor sent, exactly as typed (cleaning happens in `clean_submission`)."""

    name: str
    email: str
    message: str
    phone: str = ""
    wants_meeting: bool = False
    language: str = "en"
    honeypot: str = ""
    notice_id: int | None = None  # the privacy notice version the form showed


def strip_control_characters(text: str, *, keep: frozenset[str] | set[str] = frozenset()) -> str:
    """`text` without control characters, except those in `keep`.

    Letters of any script, accents, emoji and joiners are untouched.
    """
    return "".join(char for char in text if char in keep or unicodedata.category(char) != "Cc")


def clean_text(field: str, value: str) -> str:
    """A field's value trimmed and without control characters (a message keeps its line breaks)."""
    keep = _KEEP_IN_MESSAGE if field == "message" else set()
    text = (value or "").replace("\r\n", "\n")
    # Unicode's line and paragraph separators are line breaks too: kept (as \n) only in a message.
    text = text.translate({0x2028: "\n", 0x2029: "\n"} if field == "message" else {0x2028: " ", 0x2029: " "})
    return strip_control_characters(text, keep=keep).strip()


def normalised_email(value: str, *, check_deliverability: bool = False) -> str:
    """The normalised form of an address, per email-validator.

    Raises:
        EmailNotValidError: when the address is not valid.
    """
    return validate_email(value, check_deliverability=check_deliverability).normalized


def field_error(field: str, value: str, *, check_deliverability: bool = False) -> str | None:
    """The catalogue key of what is wrong with one field's value, or None when it is fine."""
    text = clean_text(field, value)
    if field == "name":
        if not text:
            return "contact_error_name_required"
        if len(text) > NAME_MAX_LENGTH:
            return "contact_error_name_too_long"
    elif field == "email":
        if not text:
            return "contact_error_email_required"
        try:
            normalised_email(text, check_deliverability=check_deliverability)
        except EmailNotValidError:
            return "contact_error_email_invalid"
    elif field == "phone":
        digits = sum(char.isdigit() for char in text)
        if text and (len(text) > PHONE_MAX_LENGTH or digits < 5 or not _PHONE_PATTERN.match(text)):
            return "contact_error_phone_invalid"
    elif field == "message":
        if not text:
            return "contact_error_message_required"
        if len(text) > MESSAGE_MAX_LENGTH:
            return "contact_error_message_too_long"
    return None


def clean_submission(submission: ContactSubmission, *, check_deliverability: bool = False) -> ContactSubmission:
    """The submission trimmed, stripped of control characters, its email normalised.

    Raises:
        ContactValidationError: listing every field that is wrong.
    """
    values = {field: getattr(submission, field) for field in FIELDS}
    errors = {
        field: key
        for field in FIELDS
        if (key := field_error(field, values[field], check_deliverability=check_deliverability))
    }
    if errors:
        raise ContactValidationError(errors)
    return dataclasses.replace(
        submission,
        name=clean_text("name", submission.name),
        email=normalised_email(clean_text("email", submission.email), check_deliverability=check_deliverability),
        phone=clean_text("phone", submission.phone),
        message=clean_text("message", submission.message),
        language=normalise_language(submission.language),
    )


def rate_limit_count() -> int:
    """How many messages one client may send per window (`CONTACT_RATE_LIMIT`, else 5)."""
    configured = os.environ.get("CONTACT_RATE_LIMIT", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else RATE_LIMIT_COUNT


def _check_rate_limit(session: Session, hashed_client: str, now: datetime) -> None:
    """Refuse a client that already stored the allowed number of messages within the window."""
    refuse_over_limit(
        session,
        client_column=col(ContactMessage.client_hash),
        time_column=col(ContactMessage.created_at),
        hashed_client=hashed_client,
        now=now,
        limit=rate_limit_count(),
        window=RATE_LIMIT_WINDOW,
    )


def _earlier_copy(
    session: Session, cleaned: ContactSubmission, submission_key: str, hashed_client: str, now: datetime
) -> ContactMessage | None:
    """The row this submission repeats: same key, or same text from the same client just now."""
    same_key = session.exec(select(ContactMessage).where(ContactMessage.submission_key == submission_key)).first()
    if same_key is not None:
        return same_key
    return session.exec(
        select(ContactMessage).where(
            ContactMessage.client_hash == hashed_client,
            ContactMessage.created_at >= now - RATE_LIMIT_WINDOW,
            ContactMessage.email == cleaned.email,
            ContactMessage.name == cleaned.name,
            ContactMessage.message == cleaned.message,
        )
    ).first()


def enqueue_contact_notice(session: Session, row: ContactMessage) -> int:
    """Add the editors' notice of `row` to the outbox (one e-mail per `CONTACT_NOTIFY_TO` address).

    Not committed: `submit_contact_message` commits it with the message. Returns how many
    notices were added; none when no editor address is configured.
    """
    context = {
        "name": row.name,
        "email": row.email,
        "phone": row.phone,
        "wants_meeting": row.wants_meeting,
        "message_language": row.language,
        "message": row.message,
        "inbox_url": f"{site_url()}/admin/inbox",
    }
    added = 0
    for recipient in contact_notify_recipients():
        notice = enqueue(
            session,
            kind="contact_notice",
            to=recipient,
            language=editors_language(),
            template="contact_notice",
            context=context,
            headers={"Reply-To": row.email},
            dedupe_key=f"contact_notice:{row.id}:{recipient}"[:200],
        )
        added += notice is not None
    return added


def submit_contact_message(
    session: Session,
    submission: ContactSubmission,
    *,
    submission_key: str,
    client_address: str,
    now: datetime | None = None,
    check_deliverability: bool = False,
) -> ContactMessage | None:
    """Validate and store one submission, with the editors' notice in the outbox, in one transaction.

    Returns the stored row.

    A filled honeypot returns None and stores nothing (the bot is told it worked).
    The same `submission_key` twice, or the same message from the same client again within
    the rate-limit window (a double click, Enter pressed twice), returns the first row.

    Raises:
        ContactValidationError: a field is wrong; nothing is stored.
        RateLimited: this client sent too many messages lately; nothing is stored.
        sqlalchemy.exc.SQLAlchemyError: the database failed; nothing is stored, retrying is safe.
    """
    cleaned = clean_submission(submission, check_deliverability=check_deliverability)
    if submission.honeypot.strip():
        return None
    now = as_utc(now) if now else utc_now()
    hashed_client = client_hash(client_address)
    existing = _earlier_copy(session, cleaned, submission_key, hashed_client, now)
    if existing is not None:
        return existing
    _check_rate_limit(session, hashed_client, now)
    consent = consent_given(session, submission.notice_id, cleaned.language, now)
    row = ContactMessage(
        name=cleaned.name,
        email=cleaned.email,
        phone=cleaned.phone,
        message=cleaned.message,
        wants_meeting=cleaned.wants_meeting,
        language=cleaned.language,
        status=ContactStatus.NEW.value,
        submission_key=submission_key,
        client_hash=hashed_client,
        created_at=now,
    )
    record_consent(row, consent)
    session.add(row)
    try:
        session.flush()  # the row's id, for the notice's dedupe key
        enqueue_contact_notice(session, row)
        session.commit()  # the message and its notices together, or neither
    except IntegrityError:
        # Another worker stored the same submission a moment ago: that row is the answer.
        session.rollback()
        return session.exec(select(ContactMessage).where(ContactMessage.submission_key == submission_key)).one()
    session.refresh(row)
    return row
