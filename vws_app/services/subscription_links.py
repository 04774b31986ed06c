"""The addresses in mailing-list mail: a confirmation link (random, stored hashed) and unsubscribe links (signed).

No link carries an e-mail address. The unsubscribe token is the subscriber's id and an HMAC
of it with `VWS_SECRET_KEY` (`signed_tokens.py`): it needs nothing stored, works for every mail
ever sent, and cannot be made for another id without the key (changing the key retires old links).
"""

import hashlib
import secrets

from sqlmodel import Session

from vws_app.models import Subscriber
from vws_app.services.signed_tokens import id_from_token, token_for
from vws_app.settings import site_url

CONFIRM_PATH = "/follow/confirm"
UNSUBSCRIBE_PATH = "/unsubscribe"
ONE_CLICK_PATH = "/unsubscribe/one-click"
PURPOSE = "unsubscribe"


def new_confirmation_token() -> str:
    """A random one-time token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What is stored of a confirmation token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def confirm_url(token: str) -> str:
    """The confirmation link for `token`: a page with a button, not a confirmation by itself."""
    return f"{site_url()}{CONFIRM_PATH}?t={token}"


def unsubscribe_token(subscriber: Subscriber) -> str:
    """`<id>.<signature>` for a stored subscriber."""
    return token_for(PURPOSE, subscriber.id)


def subscriber_for_unsubscribe_token(session: Session, token: str) -> Subscriber | None:
    """The subscriber an unsubscribe token names, or None when it is malformed, forged or names nobody."""
    subscriber_id = id_from_token(PURPOSE, token)
    return None if subscriber_id is None else session.get(Subscriber, subscriber_id)


def unsubscribe_url(subscriber: Subscriber) -> str:
    """The visible link in every mail to subscribers: a page to leave the list or change language."""
    return f"{site_url()}{UNSUBSCRIBE_PATH}?t={unsubscribe_token(subscriber)}"


def one_click_url(subscriber: Subscriber) -> str:
    """The RFC 8058 address: a POST with `List-Unsubscribe=One-Click` unsubscribes."""
    return f"{site_url()}{ONE_CLICK_PATH}?t={unsubscribe_token(subscriber)}"


def list_unsubscribe_headers(subscriber: Subscriber) -> dict[str, str]:
    """The headers every mail to a subscriber carries, so mail programs offer a one-click unsubscribe (RFC 8058)."""
    return {
        "List-Unsubscribe": f"<{one_click_url(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
