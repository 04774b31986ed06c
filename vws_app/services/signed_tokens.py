"""Tokens that name one row and prove the site made them: `<id>.<HMAC of purpose and id>` under `VWS_SECRET_KEY`.

They need nothing stored, work in every mail ever sent, and cannot be made for another id or
another purpose without the key (changing the key retires them all). Used by unsubscribe
links and RSVP cancellation links.
"""

import base64
import hashlib
import hmac

from vws_app.settings import secret_key

_MAX_ID_DIGITS = 12


def _signature(purpose: str, row_id: int) -> str:
    digest = hmac.new(secret_key().encode(), f"{purpose}:{row_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_for(purpose: str, row_id: int | None) -> str:
    """`<id>.<signature>` for a stored row.

    Raises:
        ValueError: the row has no id yet (flush it first).
    """
    if row_id is None:
        raise ValueError("the row has no id yet (flush it first)")
    return f"{row_id}.{_signature(purpose, row_id)}"


def id_from_token(purpose: str, token: str) -> int | None:
    """The id a token names for `purpose`, or None when it is malformed or forged."""
    raw_id, _, signature = (token or "").partition(".")
    if not raw_id.isdigit() or len(raw_id) > _MAX_ID_DIGITS or not signature:
        return None
    if not hmac.compare_digest(signature, _signature(purpose, int(raw_id))):
        return None
    return int(raw_id)
