"""The mailing list's rules: double opt-in, expiry, hashed tokens, unsubscribe, no enumeration, no duplicates, rate limit."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from vws_app.i18n import CATALOGUES, translate
from vws_app.models import OutboxMessage, Subscriber, SubscriberStatus, as_utc
from vws_app.services import subscriptions
from vws_app.services.subscription_links import hash_token, list_unsubscribe_headers, unsubscribe_token, unsubscribe_url
from vws_app.services.subscriptions import FollowRequest, RateLimited, SubscriptionInvalid, TokenCheck

T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
CLIENT = "203.0.113.7"
ADDRESS = "lucia@example.org"
CONFIRM_LINK = re.compile(r"/follow/confirm\?t=([A-Za-z0-9_-]+)")


def follow(email: str = ADDRESS, language: str = "es", **changes) -> FollowRequest:
    """A valid request from the form, with `changes` applied."""
    return FollowRequest(
        **({"email": email, "language": language, "consent": True, "form_language": language} | changes)
    )


def subscribe(session, request: FollowRequest | None = None, *, client: str = CLIENT, now: datetime = T0) -> None:
    subscriptions.subscribe(session, request or follow(), client_address=client, now=now)


def subscriber(session, email: str = ADDRESS) -> Subscriber:
    session.expire_all()
    return session.exec(select(Subscriber).where(Subscriber.email == email)).one()


def mails_to(session, email: str = ADDRESS) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)))


def token_in(mail: OutboxMessage) -> str:
    """The confirmation token in a mail's link (the same in its text and HTML parts)."""
    tokens = set(CONFIRM_LINK.findall(mail.text_body)) | set(CONFIRM_LINK.findall(mail.html_body))
    assert len(tokens) == 1
    return tokens.pop()


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


# --- double opt-in ---------------------------------------------------------------------------


def test_new_address_is_pending_and_gets_one_confirmation_mail_in_its_language(session):
    subscribe(session, follow(email="  Lucia@Example.ORG "))
    row = subscriber(session)
    assert row.status == SubscriberStatus.PENDING.value
    assert (row.language, row.consent_language) == ("es", "es")
    assert row.consent_text == CATALOGUES["es"]["follow_consent"]
    assert as_utc(row.consent_at) == T0
    [mail] = mails_to(session)
    assert (mail.kind, mail.language) == ("subscription_confirm", "es")
    assert mail.subject == CATALOGUES["es"]["mail_confirm_subject"]
    assert subscriptions.confirmed_subscribers(session) == []


def test_token_is_stored_only_as_its_hash_and_expires_in_seven_days(session):
    subscribe(session)
    row = subscriber(session)
    token = token_in(mails_to(session)[0])
    assert row.token_hash == hash_token(token) != token
    assert token not in " ".join(str(value) for value in row.model_dump().values())
    assert as_utc(row.token_expires_at) == T0 + timedelta(days=7)


def test_confirming_makes_the_address_a_recipient_and_enqueues_nothing_more(session):
    subscribe(session)
    token = token_in(mails_to(session)[0])
    assert subscriptions.check_token(session, token, now=T0 + timedelta(hours=1))[0] is TokenCheck.VALID
    check, row = subscriptions.confirm(session, token, now=T0 + timedelta(hours=1))
    assert check is TokenCheck.CONFIRMED and row.email == ADDRESS
    assert subscriber(session).status == SubscriberStatus.CONFIRMED.value
    assert [s.email for s in subscriptions.confirmed_subscribers(session)] == [ADDRESS]
    assert count(session, OutboxMessage) == 1
    # A second press (or a scanner replaying the POST) changes nothing and sends nothing.
    assert subscriptions.confirm(session, token, now=T0 + timedelta(hours=2))[0] is TokenCheck.CONFIRMED
    assert as_utc(subscriber(session).confirmed_at) == T0 + timedelta(hours=1)
    assert count(session, OutboxMessage) == 1


def test_a_link_older_than_seven_days_is_expired_and_confirms_nothing(session):
    subscribe(session)
    token = token_in(mails_to(session)[0])
    just_in_time = T0 + timedelta(days=7) - timedelta(seconds=1)
    assert subscriptions.check_token(session, token, now=just_in_time)[0] is TokenCheck.VALID
    check, row = subscriptions.confirm(session, token, now=T0 + timedelta(days=7))
    assert check is TokenCheck.EXPIRED and row.language == "es"
    assert subscriber(session).status == SubscriberStatus.PENDING.value


def test_unknown_or_empty_tokens_are_refused(session):
    subscribe(session)
    for token in ("", "x" * 300, "not-a-token", hash_token(token_in(mails_to(session)[0]))):
        assert subscriptions.confirm(session, token, now=T0)[0] is TokenCheck.UNKNOWN
    assert subscriber(session).status == SubscriberStatus.PENDING.value


# --- subscribing again: no duplicates, no enumeration ---------------------------------------


def test_subscribing_twice_keeps_one_row_and_one_link_until_the_resend_interval(session):
    subscribe(session)
    subscribe(session, follow(email="LUCIA@example.org"), now=T0 + timedelta(minutes=5))
    assert count(session, Subscriber) == 1 and len(mails_to(session)) == 1
    first = token_in(mails_to(session)[0])
    subscribe(session, now=T0 + subscriptions.RESEND_AFTER + timedelta(minutes=1))
    assert count(session, Subscriber) == 1
    first_mail, fresh_mail = mails_to(session)
    assert subscriptions.check_token(session, first, now=T0)[0] is TokenCheck.UNKNOWN  # replaced
    assert subscriptions.check_token(session, token_in(fresh_mail), now=T0)[0] is TokenCheck.VALID


@pytest.mark.parametrize("state", ["new", "pending", "confirmed", "unsubscribed"])
def test_subscribe_answers_the_same_and_a_confirmed_address_is_left_alone(session, state):
    if state != "new":
        subscribe(session, now=T0 - timedelta(days=1))
        token = token_in(mails_to(session)[0])
        if state in ("confirmed", "unsubscribed"):
            subscriptions.confirm(session, token, now=T0 - timedelta(days=1))
        if state == "unsubscribed":
            subscriptions.unsubscribe(session, unsubscribe_token(subscriber(session)), now=T0 - timedelta(hours=1))
    mails_before = len(mails_to(session))
    assert subscribe(session, follow(language="en")) is None  # nothing to tell apart: no value, no error
    row = subscriber(session)
    assert count(session, Subscriber) == 1
    if state == "confirmed":
        assert (row.status, row.language, len(mails_to(session))) == ("confirmed", "es", mails_before)
    else:
        assert (row.status, row.language, len(mails_to(session))) == ("pending", "en", mails_before + 1)
    assert row.last_request_at is not None  # every case counts towards the client's limit alike


def test_filled_honeypot_stores_nothing(session):
    subscribe(session, follow(honeypot="http://spam.example"))
    assert count(session, Subscriber) == 0 and count(session, OutboxMessage) == 0


# --- bad input and abuse ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "address,key",
    [
        ("", "follow_error_email_required"),
        ("lucia@", "follow_error_email_invalid"),
        ("lucia at example.org", "follow_error_email_invalid"),
    ],
)
def test_invalid_address_is_refused_with_a_message_in_each_language(session, address, key):
    with pytest.raises(SubscriptionInvalid) as refused:
        subscribe(session, follow(email=address))
    assert refused.value.errors == {"email": key}
    english, spanish = translate(key, "en"), translate(key, "es")
    assert english and spanish and english != spanish
    assert count(session, Subscriber) == 0 and count(session, OutboxMessage) == 0


def test_consent_is_required(session):
    with pytest.raises(SubscriptionInvalid) as refused:
        subscribe(session, follow(consent=False))
    assert refused.value.errors == {"consent": "follow_error_consent_required"}
    assert count(session, Subscriber) == 0


def test_ten_thousand_attempts_from_one_client_store_nothing_past_the_limit(session):
    limit = subscriptions.rate_limit_count()
    refused = 0
    for number in range(10_000):
        try:
            subscribe(session, follow(email=f"reader{number}@example.org"), now=T0 + timedelta(milliseconds=number))
        except RateLimited as limited:
            assert limited.retry_after_minutes >= 1
            refused += 1
    assert count(session, Subscriber) == limit
    assert count(session, OutboxMessage) == limit
    assert refused == 10_000 - limit
    # Another client is not affected; the first one may go on once the window has passed.
    subscribe(session, follow(email="someone.else@example.org"), client="198.51.100.23", now=T0)
    subscribe(
        session, follow(email="later@example.org"), now=T0 + subscriptions.RATE_LIMIT_WINDOW + timedelta(seconds=11)
    )
    assert count(session, Subscriber) == limit + 2


# --- unsubscribing and changing language -----------------------------------------------------


def confirmed(session) -> Subscriber:
    subscribe(session)
    subscriptions.confirm(session, token_in(mails_to(session)[0]), now=T0)
    return subscriber(session)


def test_unsubscribe_links_carry_a_signed_id_never_the_address(session, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://vws.example")
    row = confirmed(session)
    token = unsubscribe_token(row)
    assert unsubscribe_url(row) == f"https://vws.example/unsubscribe?t={token}"
    assert list_unsubscribe_headers(row) == {
        "List-Unsubscribe": f"<https://vws.example/unsubscribe/one-click?t={token}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert "lucia" not in token.lower() and "example" not in token
    forged = f"{row.id + 1}.{token.partition('.')[2]}"
    assert subscriptions.unsubscribe(session, forged) is None
    monkeypatch.setenv("VWS_SECRET_KEY", "another key")
    assert subscriptions.unsubscribe(session, token) is None
    assert subscriber(session).status == SubscriberStatus.CONFIRMED.value


def test_unsubscribe_takes_the_address_off_the_list_once_and_retires_the_confirmation_link(session):
    row = confirmed(session)
    confirm_token = token_in(mails_to(session)[0])
    token = unsubscribe_token(row)
    assert subscriptions.unsubscribe(session, token, now=T0 + timedelta(days=1)).status == "unsubscribed"
    assert subscriptions.unsubscribe(session, token, now=T0 + timedelta(days=2)) is not None
    row = subscriber(session)
    assert (row.status, as_utc(row.unsubscribed_at), row.token_hash) == ("unsubscribed", T0 + timedelta(days=1), None)
    assert subscriptions.confirmed_subscribers(session) == []
    assert subscriptions.confirm(session, confirm_token, now=T0)[0] is TokenCheck.UNKNOWN


def test_changing_language_keeps_the_subscription(session):
    row = confirmed(session)
    assert subscriptions.change_language(session, unsubscribe_token(row), "en").language == "en"
    assert subscriptions.change_language(session, unsubscribe_token(row), "fr") is None
    assert (subscriber(session).language, subscriber(session).status) == ("en", "confirmed")
