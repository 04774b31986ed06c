"""The English and Spanish catalogues say the same things: same keys, no blanks, same placeholders."""

import re
import string
from pathlib import Path

import pytest

from vws_app.i18n import CATALOGUES, SUPPORTED_LANGUAGES
from vws_app.models import Language, PostCategory

APP_ROOT = Path(__file__).resolve().parents[2] / "vws_app"
# A literal key handed to the catalogue: t("nav_home"), translate("contact_thanks", ...).
KEY_USE = re.compile(r"""\b(?:t|translate)\(\s*["']([a-z0-9_]+)["']""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_both_languages_have_a_catalogue():
    assert set(SUPPORTED_LANGUAGES) == {language.value for language in Language} == {"en", "es"}


def test_every_key_exists_in_every_language():
    english_keys = set(CATALOGUES["en"])
    for language, messages in CATALOGUES.items():
        assert set(messages) - english_keys == set(), f"keys only in {language}"
        assert english_keys - set(messages) == set(), f"keys missing from {language}"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_no_message_is_blank(language):
    blank = [key for key, text in CATALOGUES[language].items() if not text.strip()]
    assert blank == []


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_no_message_has_stray_whitespace(language):
    padded = [key for key, text in CATALOGUES[language].items() if text != text.strip()]
    assert padded == []


def test_placeholders_are_the_same_in_every_language():
    mismatched = {
        key: {language: _placeholders(CATALOGUES[language].get(key, "")) for language in CATALOGUES}
        for key in CATALOGUES["en"]
        if len({frozenset(_placeholders(CATALOGUES[language].get(key, ""))) for language in CATALOGUES}) > 1
    }
    assert mismatched == {}


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_message_formats_with_its_own_placeholders(language):
    for key, text in CATALOGUES[language].items():
        filled = text.format(**{name: "X" for name in _placeholders(text)})
        assert "{" not in filled and "}" not in filled, key


def test_every_category_has_a_name_in_every_language():
    for language, messages in CATALOGUES.items():
        missing = [category.value for category in PostCategory if f"category_{category.value}" not in messages]
        assert missing == [], language


def test_every_language_has_a_name_a_badge_and_a_translation_link():
    for messages in CATALOGUES.values():
        for code in SUPPORTED_LANGUAGES:
            assert {f"language_name_{code}", f"badge_{code}", f"post_translation_{code}"} <= set(messages)


def test_spanish_catalogue_is_actually_translated():
    # Names and codes may stay the same; interface sentences may not.
    allowed_same = {
        "site_name",
        "site_short_name",
        "footer_rights",
        "badge_en",
        "badge_es",
        "post_translation_en",
        "post_translation_es",
        "admin_audit_entity_editor",  # "editor" is the Spanish word too
        "mail_no",  # and so is "no"
        "licence_cc_by",
        "licence_cc_by_sa",
        "licence_cc0",
    }  # licence names are the same everywhere
    untranslated = [
        key for key, text in CATALOGUES["en"].items() if CATALOGUES["es"].get(key) == text and key not in allowed_same
    ]
    assert untranslated == []


def test_every_key_the_app_asks_for_is_in_the_catalogue():
    used = {
        (path.relative_to(APP_ROOT).as_posix(), key)
        for path in APP_ROOT.rglob("*.py")
        if "i18n" not in path.parts
        for key in KEY_USE.findall(path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no catalogue lookups at all"
    missing = sorted((where, key) for where, key in used if key not in CATALOGUES["en"])
    assert missing == []
