"""The addresses in mailing-list mail: a confirmation link (random, stored hashed) and unsubscribe links (signed).

No link carries an e-mail address. The unsubscribe token is the subscriber's id and an HMAC
of it with `VWS_SECRET_KEY`: it needs nothing stored, works for every mail ever sent, and
cannot be made for another id without the key (changing the key retires old links).
"""

import base64
import hashlib
import hmac
import secrets

from sqlmodel import Session

from vws_app.models import Subscriber
from vws_app.settings import secret_key, site_url

CONFIRM_PATH = "/follow/confirm"
UNSUBSCRIBE_PATH = "/unsubscribe"
ONE_CLICK_PATH = "/unsubscribe/one-click"
_MAX_ID_DIGITS = 12


def new_confirmation_token() -> str:
    """A random one-time token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What is stored of a confirmation token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def confirm_url(token: str) -> str:
    """The confirmation link for `token`: a page with a button, not a confirmation by itself."""
    return f"{site_url()}{CONFIRM_PATH}?t={token}"


def _signature(subscriber_id: int) -> str:
    digest = hmac.new(secret_key().encode(), f"unsubscribe:{subscriber_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def unsubscribe_token(subscriber: Subscriber) -> str:
    """`<id>.<signature>` for a stored subscriber."""
    if subscriber.id is None:
        raise ValueError("the subscriber has no id yet (flush it first)")
    return f"{subscriber.id}.{_signature(subscriber.id)}"


def subscriber_for_unsubscribe_token(session: Session, token: str) -> Subscriber | None:
    """The subscriber an unsubscribe token names, or None when it is malformed, forged or names nobody."""
    raw_id, _, signature = (token or "").partition(".")
    if not raw_id.isdigit() or len(raw_id) > _MAX_ID_DIGITS or not signature:
        return None
    if not hmac.compare_digest(signature, _signature(int(raw_id))):
        return None
    return session.get(Subscriber, int(raw_id))


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
