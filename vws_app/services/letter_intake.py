"""Taking a signature from either form (live or plain POST): the request from posted fields, the outcome as a catalogue key."""

import logging

from sqlalchemy.exc import SQLAlchemyError

from vws_app.services import letters
from vws_app.services.consent import NOTICE_FIELD, notice_id_from
from vws_app.services.database import open_session
from vws_app.services.letter_fields import SignRequest
from vws_app.services.letters import RateLimited, SignatureInvalid, SignOnClosed
from vws_app.settings import check_email_deliverability

logger = logging.getLogger(__name__)
FORM_FIELDS = ("name", "affiliation", "city", "country", "email", "is_public", "is_organisation", "consent")


def sign_request(fields: dict[str, str], language: str) -> SignRequest:
    """The request a posted form (or the live form's data) makes; checkboxes are on when sent at all."""
    return SignRequest(
        name=fields.get("name", ""),
        email=fields.get("email", ""),
        affiliation=fields.get("affiliation", ""),
        city=fields.get("city", ""),
        country=fields.get("country", ""),
        is_public=bool(fields.get("is_public")),
        is_organisation=bool(fields.get("is_organisation")),
        consent=bool(fields.get("consent")),
        language=language,
        honeypot=fields.get("website", ""),
        notice_id=notice_id_from(fields.get(NOTICE_FIELD)),
    )


def sign_and_report(slug: str, request: SignRequest, client: str) -> tuple[str, dict[str, str], int]:
    """Store a signature; (outcome catalogue key, field errors, retry minutes). Shared by both forms."""
    try:
        with open_session() as session:
            letters.sign(
                session, slug, request, client_address=client, check_deliverability=check_email_deliverability()
            )
    except SignatureInvalid as invalid:
        return "letters_form_has_errors", invalid.errors, 0
    except SignOnClosed:
        return "letters_closed", {}, 0
    except RateLimited as limited:
        return "letters_error_rate_limited", {}, limited.retry_after_minutes
    except SQLAlchemyError:
        logger.exception("Could not store a signature")
        return "letters_failed", {}, 0
    return "letters_sent", {}, 0
