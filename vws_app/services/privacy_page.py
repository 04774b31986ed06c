"""What the privacy page says in a language: the current full text and the retention periods in force."""

import dataclasses

from sqlmodel import Session

from vws_app.i18n import normalise_language, translate
from vws_app.models import PrivacyTextKind
from vws_app.services.privacy_texts import current_text
from vws_app.services.retention_policy import FIELDS, RetentionPolicy, load_retention_policy
from vws_app.services.site_routes import PRIVACY

PATH = PRIVACY.path


@dataclasses.dataclass(frozen=True)
class PrivacyPage:
    """The full text's paragraphs (blank lines split them) and one sentence per retention period."""

    paragraphs: list[str]
    retention: list[str]


def retention_lines(policy: RetentionPolicy, language: str) -> list[str]:
    """Each period of `policy` as a sentence of the catalogue in `language`."""
    return [translate(f"privacy_retention_{field}", language, value=getattr(policy, field)) for field in FIELDS]


def privacy_page(session: Session, language: str) -> PrivacyPage:
    """The page in `language`: the newest full text, and the periods the purge follows (one source for both)."""
    language = normalise_language(language)
    body = current_text(session, PrivacyTextKind.FULL.value, language).body
    paragraphs = [part.strip() for part in body.replace("\r\n", "\n").split("\n\n") if part.strip()]
    return PrivacyPage(paragraphs=paragraphs, retention=retention_lines(load_retention_policy(session), language))


def readable_text(session: Session, language: str) -> list[str]:
    """The page as plain paragraphs for readers and robots without JavaScript (`services/seo.py`)."""
    page = privacy_page(session, language)
    return [*page.paragraphs, translate("privacy_retention_heading", language), *page.retention]
