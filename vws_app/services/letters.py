"""Signing an open letter: sign (double opt-in), confirm, withdraw, and purge what was never confirmed.

One list of signatures per letter, that is per post translation pair (`LetterSignOn`), so the
English and the Spanish version share it. Every sign request gets the same answer whatever
the address's state, so the form never tells anyone who has signed. Links carry random tokens
(only their hashes are stored), never the address. Every change of a signature's status takes
the letter's row lock first and moves the kept counts in the same transaction, so the counts
stay exact under concurrent confirmations.
"""

import os
from datetime import datetime, timedelta
from typing import TypeGuard

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from vws_app.i18n import normalise_language, translate
from vws_app.models import LetterSignature, LetterSignOn, OutboxMessage, Post, SignatureStatus, as_utc, utc_now
from vws_app.services import outbox
from vws_app.services.consent import Consent, consent_given, record_consent
from vws_app.services.content import published_post, published_translation
from vws_app.services.letter_fields import SignatureInvalid, SignRequest, email_key, validate
from vws_app.services.rate_limits import RateLimited, client_hash, refuse_over_limit
from vws_app.services.row_ids import id_of, stored_ids
from vws_app.services.subscription_links import hash_token, new_confirmation_token
from vws_app.services.subscriptions import TokenCheck
from vws_app.settings import site_url

__all__ = ["RateLimited", "SignOnClosed", "SignRequest", "SignatureInvalid", "TokenCheck", "email_key"]

CONFIRMATION_VALID_FOR = timedelta(days=7)
RESEND_AFTER = timedelta(minutes=10)  # a pending signature gets a fresh link at most this often
RATE_LIMIT_COUNT = 5  # signatures one client may send per window; LETTER_SIGN_RATE_LIMIT overrides it
RATE_LIMIT_WINDOW = timedelta(minutes=10)
TEMPLATE = "sign_confirm"
MAIL_KIND = "letter_sign_confirm"
CONFIRM_PATH = "/letters/confirm"
WITHDRAW_PATH = "/letters/withdraw"
PURGE_BATCH = 500


class SignOnClosed(Exception):
    """The letter takes no signatures now (never opened, closed, or past its closing date)."""


def rate_limit_count() -> int:
    """How many signatures one client may send per window (`LETTER_SIGN_RATE_LIMIT`, else 5)."""
    configured = os.environ.get("LETTER_SIGN_RATE_LIMIT", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else RATE_LIMIT_COUNT


def is_accepting(letter: LetterSignOn | None, now: datetime | None = None) -> TypeGuard[LetterSignOn]:
    """Whether `letter` takes signatures now: open, and before its closing date if it has one."""
    if letter is None or not letter.is_open:
        return False
    return letter.closes_at is None or as_utc(letter.closes_at) > (as_utc(now) if now else utc_now())


def letter_for_key(session: Session, translation_key: str) -> LetterSignOn | None:
    """The sign-on row of a translation pair, or None when sign-on was never set up."""
    return session.exec(select(LetterSignOn).where(LetterSignOn.translation_key == translation_key)).first()


def sign(
    session: Session,
    slug: str,
    request: SignRequest,
    *,
    client_address: str,
    now: datetime | None = None,
    check_deliverability: bool = False,
) -> None:
    """Take a signature for the letter of the published post at `slug`; commits. The answer never depends on the address.

    A new address is stored pending with its confirmation mail enqueued in the same transaction.
    A pending one gets its details replaced and a fresh link, unless one went out within
    `RESEND_AFTER`. A confirmed (or hidden) one is left as it is. A filled honeypot stores nothing.

    Raises:
        SignatureInvalid: a field is wrong; nothing is stored.
        SignOnClosed: the letter takes no signatures now.
        RateLimited: this client signed too often lately; nothing is stored.
    """
    email = validate(request, check_deliverability=check_deliverability)
    now = as_utc(now) if now else utc_now()
    post = published_post(session, slug)
    letter = letter_for_key(session, post.translation_key) if post is not None else None
    if post is None or not is_accepting(letter, now):
        raise SignOnClosed()
    if request.honeypot.strip():
        return
    hashed_client = client_hash(client_address)
    refuse_over_limit(
        session,
        client_column=col(LetterSignature.last_request_client_hash),
        time_column=col(LetterSignature.last_request_at),
        hashed_client=hashed_client,
        now=now,
        limit=rate_limit_count(),
        window=RATE_LIMIT_WINDOW,
    )
    consent = consent_given(session, request.notice_id, request.language, now)
    key = email_key(email)
    row = session.exec(
        select(LetterSignature).where(
            col(LetterSignature.letter_id) == letter.id, col(LetterSignature.email_key) == key
        )
    ).first()
    if row is None:
        row = LetterSignature(letter_id=id_of(letter), email=email, email_key=key, name="", created_at=now)
    if row.status == SignatureStatus.PENDING.value and _may_send_link(row, now):
        _take_details(row, request, email, consent)
        row.last_request_client_hash, row.last_request_at = hashed_client, now
        session.add(row)
        session.flush()
        _send_link(session, row, _title_for(session, post, row.language), now)
    else:
        row.last_request_client_hash, row.last_request_at = hashed_client, now
        session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # the same address signed a moment ago in another request: that one sends the link


def _may_send_link(row: LetterSignature, now: datetime) -> bool:
    if row.id is None or row.confirmation_sent_at is None:
        return True
    return as_utc(row.confirmation_sent_at) + RESEND_AFTER <= now


def _take_details(row: LetterSignature, request: SignRequest, email: str, consent: Consent) -> None:
    """The signer's details as typed (already validated), their language and their consent as given."""
    language = normalise_language(request.language)
    row.email = email
    row.name = request.clean("name")
    row.affiliation = request.clean("affiliation")
    row.city = request.clean("city")
    row.country = request.clean("country").upper()
    row.is_public, row.is_organisation = request.is_public, request.is_organisation
    row.language = language
    record_consent(row, consent)
    row.consent_text = translate("letters_consent", language)


def _title_for(session: Session, post: Post, language: str) -> str:
    """The letter's title in `language` when that version is published, else the signed version's."""
    if post.language == language:
        return post.title
    other = published_translation(session, post)
    return other.title if other is not None and other.language == language else post.title


def dedupe_prefix(signature_id: int) -> str:
    """The start of the outbox `dedupe_key` of every confirmation mail of a signature (to erase them with it)."""
    return f"letter-sign:{signature_id}:"


def _send_link(session: Session, row: LetterSignature, title: str, now: datetime) -> None:
    """New one-time tokens (only hashes kept) and the confirmation mail, in the caller's transaction."""
    confirm_token, withdraw_token = new_confirmation_token(), new_confirmation_token()
    row.token_hash, row.withdraw_token_hash = hash_token(confirm_token), hash_token(withdraw_token)
    row.token_expires_at = now + CONFIRMATION_VALID_FOR
    row.confirmation_sent_at = now
    session.add(row)
    outbox.enqueue(
        session,
        kind=MAIL_KIND,
        to=row.email,
        language=row.language,
        template=TEMPLATE,
        dedupe_key=f"{dedupe_prefix(id_of(row))}{now.timestamp():.6f}",
        context={
            "letter_title": title,
            "confirm_url": f"{site_url()}{CONFIRM_PATH}?t={confirm_token}",
            "withdraw_url": f"{site_url()}{WITHDRAW_PATH}?t={withdraw_token}",
            "valid_days": CONFIRMATION_VALID_FOR.days,
        },
    )


def check_token(
    session: Session, token: str, *, now: datetime | None = None
) -> tuple[TokenCheck, LetterSignature | None]:
    """What a confirmation token is worth right now, and its signature (for the page's language); changes nothing."""
    if not token or len(token) > 200:
        return TokenCheck.UNKNOWN, None
    row = session.exec(select(LetterSignature).where(LetterSignature.token_hash == hash_token(token))).first()
    if row is None:
        return TokenCheck.UNKNOWN, None
    if row.status != SignatureStatus.PENDING.value:
        return TokenCheck.CONFIRMED, row
    if row.token_expires_at is None or as_utc(row.token_expires_at) <= (as_utc(now) if now else utc_now()):
        return TokenCheck.EXPIRED, row
    return TokenCheck.VALID, row


def lock_letter(session: Session, letter_id: int) -> LetterSignOn | None:
    """The letter's row, locked until the transaction ends (every status change takes this lock first)."""
    return session.exec(
        select(LetterSignOn)
        .where(LetterSignOn.id == letter_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def move_count(session: Session, letter_id: int, is_organisation: bool, delta: int) -> None:
    """Add `delta` to the letter's kept count of shown people or organisations (caller holds the lock)."""
    column = LetterSignOn.organisation_count if is_organisation else LetterSignOn.people_count
    session.execute(
        update(LetterSignOn)
        .where(col(LetterSignOn.id) == letter_id)
        .values({column: column + delta, LetterSignOn.updated_at: utc_now()})
    )


def confirm(session: Session, token: str, *, now: datetime | None = None) -> tuple[TokenCheck, LetterSignature | None]:
    """Confirm the signature `token` was sent for; commits. A second press (or a concurrent one) changes nothing.

    It is shown and counted at once, or waits for an editor when the letter is moderated.
    """
    now = as_utc(now) if now else utc_now()
    check, row = check_token(session, token, now=now)
    if check is not TokenCheck.VALID or row is None:
        return check, row
    letter = lock_letter(session, row.letter_id)
    shown = letter is not None and not letter.moderated
    status = SignatureStatus.SHOWN if shown else SignatureStatus.AWAITING
    changed = session.exec(
        update(LetterSignature)
        .where(col(LetterSignature.id) == row.id, col(LetterSignature.status) == SignatureStatus.PENDING.value)
        .values(status=status.value, confirmed_at=now, shown_at=now if shown else None)
    ).rowcount
    if changed == 1 and shown:
        move_count(session, row.letter_id, row.is_organisation, +1)
    session.commit()
    session.refresh(row)
    return TokenCheck.CONFIRMED, row


def signature_for_withdraw_token(session: Session, token: str) -> LetterSignature | None:
    """The signature a withdrawal link names, or None (never issued, or already withdrawn)."""
    if not token or len(token) > 200:
        return None
    return session.exec(select(LetterSignature).where(LetterSignature.withdraw_token_hash == hash_token(token))).first()


def erase(session: Session, signature_id: int) -> LetterSignature | None:
    """Delete one signature and its confirmation mails, fixing the counts; NOT committed. The deleted row, or None.

    The caller commits (with an audit entry when an editor erases). Nothing of the signer stays.
    """
    row = session.get(LetterSignature, signature_id)
    if row is None or lock_letter(session, row.letter_id) is None:
        return None
    status = session.execute(
        delete(LetterSignature).where(col(LetterSignature.id) == signature_id).returning(col(LetterSignature.status))
    ).scalar_one_or_none()
    if status is None:
        return None  # removed meanwhile
    if status == SignatureStatus.SHOWN.value:
        move_count(session, row.letter_id, row.is_organisation, -1)
    session.execute(delete(OutboxMessage).where(col(OutboxMessage.dedupe_key).startswith(dedupe_prefix(signature_id))))
    session.expunge(row)
    return row


def withdraw(session: Session, token: str) -> str | None:
    """Withdraw the signature a withdrawal token names; commits. Its language, or None for a bad or used link."""
    row = signature_for_withdraw_token(session, token)
    if row is None:
        return None
    language = row.language
    erased = erase(session, id_of(row))
    session.commit()
    return language if erased is not None else None


def purge_unconfirmed(session: Session, *, now: datetime | None = None) -> int:
    """Delete signatures whose link expired unconfirmed, and their mails; commits. How many went.

    They were never counted, so no count moves. Run periodically by the mail-worker.
    """
    now = as_utc(now) if now else utc_now()
    purged = 0
    while True:
        ids = stored_ids(
            session.exec(
                select(LetterSignature.id)
                .where(
                    LetterSignature.status == SignatureStatus.PENDING.value,
                    col(LetterSignature.token_expires_at) <= now,
                )
                .limit(PURGE_BATCH)
            ).all()
        )
        if not ids:
            return purged
        for signature_id in ids:
            session.execute(
                delete(OutboxMessage).where(col(OutboxMessage.dedupe_key).startswith(dedupe_prefix(signature_id)))
            )
        session.execute(
            delete(LetterSignature).where(
                col(LetterSignature.id).in_(ids), col(LetterSignature.status) == SignatureStatus.PENDING.value
            )
        )
        session.commit()
        purged += len(ids)
