"""Consent as given with a submission: which privacy notice version the person saw, when, and in which language.

Every public form carries the id of the notice its page showed (a hidden field, or the live
page's state); the services of the four kinds of submission (contact message, subscriber,
letter signature, RSVP) turn it into a `Consent` here and store it with `record_consent`.
"""

import dataclasses
from datetime import datetime
from typing import Protocol

from sqlmodel import Session

from vws_app.i18n import normalise_language
from vws_app.services.privacy_texts import current_notice, shown_notice
from vws_app.services.row_ids import id_of

NOTICE_FIELD = "notice_id"  # the hidden field every public form carries


@dataclasses.dataclass(frozen=True)
class Consent:
    """The notice version shown, its language, and the moment the form was sent."""

    notice_id: int
    language: str
    at: datetime


class ConsentRecord(Protocol):
    """A stored submission: each of the four kinds has these columns."""

    @property
    def consent_at(self) -> datetime | None: ...
    @consent_at.setter
    def consent_at(self, value: datetime) -> None: ...

    consent_language: str
    consent_notice_id: int | None


def notice_id_from(value: object) -> int | None:
    """The notice id a form sent (a string of digits, or an int from a live page), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    text = str(value or "").strip()
    return int(text) if text.isdigit() and 0 < len(text) <= 12 else None


def consent_given(session: Session, shown_id: int | None, language: str, now: datetime) -> Consent:
    """The consent of a form sent at `now` from a page in `language` that showed notice `shown_id`.

    An id naming a short notice (any version, any language) is taken as what was seen; a
    missing or unknown one (the app's form posted before the page was live, a tampered field)
    means the current notice of `language`, which is what the page shows.
    Call it before the caller's own writes (see `privacy_texts.current_text`).
    """
    notice = shown_notice(session, shown_id) or current_notice(session, language)
    return Consent(notice_id=id_of(notice), language=normalise_language(notice.language), at=now)


def record_consent(row: ConsentRecord, consent: Consent) -> None:
    """Put `consent` on a submission row (not committed: the caller stores it with the row)."""
    row.consent_at = consent.at
    row.consent_language = consent.language
    row.consent_notice_id = consent.notice_id
