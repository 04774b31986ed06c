"""The mailing list: subscribe (double opt-in), confirm, unsubscribe and change language.

Every subscribe request gets the same answer whatever the address's state (new, pending,
confirmed, unsubscribed), so the form cannot tell anyone who is on the list. The links in
mails carry tokens, never the address (`subscription_links.py`).
"""

import dataclasses
import enum
import os
from datetime import datetime, timedelta

from email_validator import EmailNotValidError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from vws_app.i18n import is_supported, normalise_language, translate
from vws_app.models import Subscriber, SubscriberStatus, as_utc, utc_now
from vws_app.services import outbox
from vws_app.services.consent import Consent, consent_given, record_consent
from vws_app.services.contact import clean_text, normalised_email
from vws_app.services.rate_limits import RateLimited, client_hash, refuse_over_limit
from vws_app.services.subscription_links import (
    confirm_url,
    hash_token,
    list_unsubscribe_headers,
    new_confirmation_token,
    subscriber_for_unsubscribe_token,
    unsubscribe_url,
)

__all__ = ["RateLimited", "list_unsubscribe_headers", "unsubscribe_url"]

CONFIRMATION_VALID_FOR = timedelta(days=7)
# An unconfirmed address gets a fresh link at most this often, however often it is entered.
RESEND_AFTER = timedelta(minutes=10)
RATE_LIMIT_COUNT = 5  # addresses one client may enter per window; SUBSCRIBE_RATE_LIMIT overrides it
RATE_LIMIT_WINDOW = timedelta(minutes=10)
FIELDS = ("email", "consent")
TEMPLATE = "subscription_confirm"


class SubscriptionInvalid(Exception):
    """One or more fields are wrong; `errors` maps each field to a catalogue key."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{field}: {key}" for field, key in errors.items()))
        self.errors = errors


class TokenCheck(str, enum.Enum):
    """What a confirmation token is worth right now."""

    VALID = "valid"  # pending and in time: may be confirmed
    CONFIRMED = "confirmed"  # already used to confirm (confirming again changes nothing)
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # never issued, replaced by a newer link, or the address left the list


@dataclasses.dataclass(frozen=True)
class FollowRequest:
    """What a visitor sent from a "Follow our statements" form, as typed.

    `form_language` is the language the form (and so its consent sentence) was shown in;
    `language` is the one they want mail in.
    """

    email: str
    language: str
    consent: bool
    form_language: str = "en"
    honeypot: str = ""
    notice_id: int | None = None  # the privacy notice version the form showed


def rate_limit_count() -> int:
    """How many addresses one client may enter per window (`SUBSCRIBE_RATE_LIMIT`, else 5)."""
    configured = os.environ.get("SUBSCRIBE_RATE_LIMIT", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else RATE_LIMIT_COUNT


def field_error(field: str, value: object, *, check_deliverability: bool = False) -> str | None:
    """The catalogue key of what is wrong with one field, or None when it is fine."""
    if field == "email":
        text = clean_text("email", str(value or ""))
        if not text:
            return "follow_error_email_required"
        try:
            normalised_email(text, check_deliverability=check_deliverability)
        except EmailNotValidError:
            return "follow_error_email_invalid"
    elif field == "consent" and not value:
        return "follow_error_consent_required"
    return None


def validate(request: FollowRequest, *, check_deliverability: bool = False) -> str:
    """The normalised address of a valid request, lower-cased whole: `Ana@x.org` and `ana@x.org` are
    one subscriber (mail systems ignore the case of the local part in practice).

    Raises:
        SubscriptionInvalid: listing every field that is wrong.
    """
    values = {"email": request.email, "consent": request.consent}
    errors = {
        field: key
        for field in FIELDS
        if (key := field_error(field, values[field], check_deliverability=check_deliverability))
    }
    if errors:
        raise SubscriptionInvalid(errors)
    return normalised_email(clean_text("email", request.email), check_deliverability=check_deliverability).lower()


def subscribe(
    session: Session,
    request: FollowRequest,
    *,
    client_address: str,
    now: datetime | None = None,
    check_deliverability: bool = False,
) -> None:
    """Take a subscribe request; commits. Returns nothing: the visitor's answer never depends on the address.

    A new address is stored pending, with a confirmation mail enqueued in the same transaction.
    A pending or unsubscribed one is brought (back) to pending with a fresh link, unless one
    was sent within `RESEND_AFTER`. A confirmed one is left as it is. Each request, whatever
    the case, counts once per address towards the client's rate limit. A filled honeypot
    stores nothing.

    Raises:
        SubscriptionInvalid: a field is wrong; nothing is stored.
        RateLimited: this client entered too many addresses lately; nothing is stored.
        sqlalchemy.exc.SQLAlchemyError: the database failed; nothing is stored, retrying is safe.
    """
    email = validate(request, check_deliverability=check_deliverability)
    if request.honeypot.strip():
        return
    now = as_utc(now) if now else utc_now()
    hashed_client = client_hash(client_address)
    refuse_over_limit(
        session,
        client_column=col(Subscriber.last_request_client_hash),
        time_column=col(Subscriber.last_request_at),
        hashed_client=hashed_client,
        now=now,
        limit=rate_limit_count(),
        window=RATE_LIMIT_WINDOW,
    )
    consent = consent_given(session, request.notice_id, request.form_language, now)
    row = session.exec(select(Subscriber).where(Subscriber.email == email)).first()
    if row is None:
        row = Subscriber(email=email, created_at=now)
    if row.status != SubscriberStatus.CONFIRMED.value and _may_send_link(row, now):
        _record_consent(row, request, consent)
        _send_link(session, row, now)
    row.last_request_client_hash = hashed_client
    row.last_request_at = now
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        # The same address was stored by another request a moment ago: that one sends the link.
        session.rollback()


def _may_send_link(row: Subscriber, now: datetime) -> bool:
    """Whether this (not confirmed) address may be sent a link now: never sent, left the list, or not lately."""
    if row.id is None or row.status == SubscriberStatus.UNSUBSCRIBED.value or row.confirmation_sent_at is None:
        return True
    return as_utc(row.confirmation_sent_at) + RESEND_AFTER <= now


def _record_consent(row: Subscriber, request: FollowRequest, consent: Consent) -> None:
    """Their language, and their consent as given: the notice version, when, in which language, the sentence ticked."""
    row.language = normalise_language(request.language)
    row.status = SubscriberStatus.PENDING.value
    record_consent(row, consent)
    row.consent_text = translate("follow_consent", normalise_language(request.form_language))


def _send_link(session: Session, row: Subscriber, now: datetime) -> None:
    """A new one-time token (only its hash kept) and the confirmation mail, in the caller's transaction."""
    token = new_confirmation_token()
    row.token_hash = hash_token(token)
    row.token_expires_at = now + CONFIRMATION_VALID_FOR
    row.confirmation_sent_at = now
    outbox.enqueue(
        session,
        kind="subscription_confirm",
        to=row.email,
        language=row.language,
        template=TEMPLATE,
        context={"confirm_url": confirm_url(token), "valid_days": CONFIRMATION_VALID_FOR.days},
    )


def check_token(session: Session, token: str, *, now: datetime | None = None) -> tuple[TokenCheck, Subscriber | None]:
    """What `token` is worth, and its subscriber (for the page's language); changes nothing."""
    if not token or len(token) > 200:
        return TokenCheck.UNKNOWN, None
    row = session.exec(select(Subscriber).where(Subscriber.token_hash == hash_token(token))).first()
    if row is None or row.status == SubscriberStatus.UNSUBSCRIBED.value:
        return TokenCheck.UNKNOWN, None
    if row.status == SubscriberStatus.CONFIRMED.value:
        return TokenCheck.CONFIRMED, row
    now = as_utc(now) if now else utc_now()
    if row.token_expires_at is None or as_utc(row.token_expires_at) <= now:
        return TokenCheck.EXPIRED, row
    return TokenCheck.VALID, row


def confirm(session: Session, token: str, *, now: datetime | None = None) -> tuple[TokenCheck, Subscriber | None]:
    """Confirm the address `token` was sent to; commits. Enqueues nothing.

    Returns `CONFIRMED` with the subscriber when it is confirmed (now or before: a second press
    changes nothing), else `EXPIRED` or `UNKNOWN`.
    """
    now = as_utc(now) if now else utc_now()
    check, row = check_token(session, token, now=now)
    if check is TokenCheck.VALID and row is not None:
        row.status = SubscriberStatus.CONFIRMED.value
        row.confirmed_at = now
        session.add(row)
        session.commit()
        session.refresh(row)
        return TokenCheck.CONFIRMED, row
    return check, row


def unsubscribe(session: Session, token: str, *, now: datetime | None = None) -> Subscriber | None:
    """Take the address an unsubscribe token names off the list; commits. None for a bad token.

    Doing it twice changes nothing. The confirmation token goes too, so an old link cannot
    bring the address back.
    """
    row = subscriber_for_unsubscribe_token(session, token)
    if row is None:
        return None
    if row.status != SubscriberStatus.UNSUBSCRIBED.value:
        row.status = SubscriberStatus.UNSUBSCRIBED.value
        row.unsubscribed_at = as_utc(now) if now else utc_now()
        row.token_hash = None
        row.token_expires_at = None
        session.add(row)
        session.commit()
        session.refresh(row)
    return row


def change_language(session: Session, token: str, language: str) -> Subscriber | None:
    """Set the language of the mail an unsubscribe token's subscriber receives; commits. None for a bad token or language."""
    row = subscriber_for_unsubscribe_token(session, token)
    if row is None or not is_supported(language):
        return None
    row.language = normalise_language(language)
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def confirmed_subscribers(session: Session) -> list[Subscriber]:
    """Everyone who may receive mail from the list: confirmed addresses only."""
    return list(session.exec(select(Subscriber).where(Subscriber.status == SubscriberStatus.CONFIRMED.value)))
