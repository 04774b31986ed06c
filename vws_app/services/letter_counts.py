"""An open letter's count as a sentence in a language, for one letter or a whole list of post cards.

Reads only the kept counts on `LetterSignOn` (never the signatures), so it costs the same
however many have signed.
"""

from babel.numbers import format_decimal
from sqlmodel import Session, col, select

from vws_app.i18n import BABEL_LOCALES, normalise_language, translate
from vws_app.models import LetterSignOn


def number(value: int, language: str) -> str:
    """`value` written for `language`: 1,234 / 1.234."""
    return format_decimal(value, locale=BABEL_LOCALES[normalise_language(language)])


def count_sentence(people: int, organisations: int, language: str) -> str:
    """ "1,234 people and 56 organisations have signed" in `language` (singulars and zero handled)."""
    if people == 0 and organisations == 0:
        return translate("letters_count_none", language)
    parts = []
    if people:
        parts.append(
            translate(f"letters_people_{'one' if people == 1 else 'other'}", language, n=number(people, language))
        )
    if organisations:
        key = f"letters_organisations_{'one' if organisations == 1 else 'other'}"
        parts.append(translate(key, language, n=number(organisations, language)))
    if len(parts) == 2:
        return translate("letters_count_both", language, people=parts[0], organisations=parts[1])
    single = "one" if people + organisations == 1 else "other"
    return translate(f"letters_count_single_{single}", language, signers=parts[0])


def count_labels(session: Session, translation_keys: set[str], language: str) -> dict[str, str]:
    """The count sentence of every letter among `translation_keys` that has sign-on, in one query (for post cards)."""
    if not translation_keys:
        return {}
    letters = session.exec(select(LetterSignOn).where(col(LetterSignOn.translation_key).in_(translation_keys))).all()
    return {
        letter.translation_key: count_sentence(letter.people_count, letter.organisation_count, language)
        for letter in letters
    }
