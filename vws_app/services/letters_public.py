"""What readers see of a letter's signatures: the count sentence, the goal, and a page of names at a time.

The counts come from the letter's kept counters (one primary-key read), the names from
`ix_lettersignature_listing` one page at a time, so a letter with 100,000 signatures costs
about what one with 100 does (bench/letters.py).
"""

import dataclasses
from datetime import datetime

from sqlmodel import Session, col, select

from vws_app.i18n import format_date, translate
from vws_app.models import LetterSignature, LetterSignOn, Post, SignatureStatus
from vws_app.services.content import published_post
from vws_app.services.letter_counts import count_sentence, number
from vws_app.services.letter_fields import country_name
from vws_app.services.letters import is_accepting, letter_for_key

PER_PAGE = 50
MAX_PAGE = 10_000


@dataclasses.dataclass(frozen=True)
class SignerView:
    """One listed signature as a reader sees it (names are escaped where they are shown)."""

    name: str
    details: str  # affiliation, city and country, joined
    is_organisation: bool


@dataclasses.dataclass(frozen=True)
class SignOnView:
    """A letter's sign-on as its page shows it, in one language."""

    exists: bool = False
    accepting: bool = False
    count_text: str = ""
    total: int = 0
    goal: int = 0
    goal_text: str = ""
    goal_percent: int = 0
    closes_text: str = ""


def sign_on_view(letter: LetterSignOn | None, language: str, now: datetime | None = None) -> SignOnView:
    """What a post page shows of `letter`'s sign-on in `language` (nothing when it has none)."""
    if letter is None:
        return SignOnView()
    total = letter.people_count + letter.organisation_count
    goal = max(letter.goal, 0)
    return SignOnView(
        exists=True,
        accepting=is_accepting(letter, now),
        count_text=count_sentence(letter.people_count, letter.organisation_count, language),
        total=total,
        goal=goal,
        goal_text=translate("letters_goal", language, total=number(total, language), goal=number(goal, language))
        if goal
        else "",
        goal_percent=min(100, total * 100 // goal) if goal else 0,
        closes_text=translate("letters_closes", language, date=format_date(letter.closes_at, language))
        if letter.closes_at and is_accepting(letter, now)
        else "",
    )


def signature_rows(session: Session, letter_id: int, page: int = 1) -> tuple[list[LetterSignature], bool]:
    """One page of shown, public signatures, organisations first, then people, newest first; and whether more follow."""
    page = min(max(page, 1), MAX_PAGE)
    rows = session.exec(
        select(LetterSignature)
        .where(
            LetterSignature.letter_id == letter_id,
            LetterSignature.status == SignatureStatus.SHOWN.value,
            col(LetterSignature.is_public).is_(True),
        )
        .order_by(
            col(LetterSignature.is_organisation).desc(),
            col(LetterSignature.shown_at).desc(),
            col(LetterSignature.id).desc(),
        )
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE + 1)
    ).all()
    return list(rows[:PER_PAGE]), len(rows) > PER_PAGE


def signers_page(session: Session, letter_id: int, language: str, page: int = 1) -> tuple[list[SignerView], bool]:
    """`signature_rows` as readers see them in `language`."""
    rows, more = signature_rows(session, letter_id, page)
    return [signer_view(row, language) for row in rows], more


def signer_view(row: LetterSignature, language: str) -> SignerView:
    """A signature's public line: name, then affiliation, city and country (in `language`)."""
    details = ", ".join(part for part in (row.affiliation, row.city, country_name(row.country, language)) if part)
    return SignerView(name=row.name, details=details, is_organisation=row.is_organisation)


def letter_of_post(session: Session, translation_key: str) -> LetterSignOn | None:
    """The sign-on of a post's translation pair (None when it never had one)."""
    return letter_for_key(session, translation_key)


def slug_for_letter(session: Session, letter_id: int, language: str) -> str:
    """The slug of the letter's published version in `language`, else of any published version ('' if none)."""
    versions = session.exec(
        select(Post)
        .join(LetterSignOn, col(LetterSignOn.translation_key) == col(Post.translation_key))
        .where(LetterSignOn.id == letter_id)
    ).all()
    visible = [post for post in versions if published_post(session, post.slug) is not None]
    chosen = next((post for post in visible if post.language == language), visible[0] if visible else None)
    return chosen.slug if chosen is not None else ""


def page_version(session: Session, slug: str) -> tuple | None:
    """What a cached post page must be rebuilt for when it changes: its letter's settings and counts (None: no letter)."""
    letter = session.exec(
        select(LetterSignOn)
        .join(Post, col(Post.translation_key) == col(LetterSignOn.translation_key))
        .where(col(Post.slug) == slug)
    ).first()
    return None if letter is None else _letter_version(letter)


def every_page_version(session: Session) -> tuple[tuple, ...]:
    """`page_version` of every letter at once (a handful of rows), for what watches all pages together."""
    return tuple(
        _letter_version(letter) for letter in session.exec(select(LetterSignOn).order_by(col(LetterSignOn.id))).all()
    )


def _letter_version(letter: LetterSignOn) -> tuple:
    return (letter.id, letter.updated_at, letter.people_count, letter.organisation_count, is_accepting(letter))
