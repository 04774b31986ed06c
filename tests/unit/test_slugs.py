"""Post slugs: readable ASCII made from titles, and never shared by two posts."""

import pytest

from tests.unit.content_builders import add_post
from vws_app.services.slugs import MAX_SLUG_LENGTH, slug_from_title, unique_slug


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Lucha Democrática", "lucha-democratica"),
        ("Ñandú y Pingüino", "nandu-y-pinguino"),
        ("Myanmar-Birmania: 1ero de febrero", "myanmar-birmania-1ero-de-febrero"),
        (
            "DSA: Solidarity with the Venezuelan people or with the regime?",
            "dsa-solidarity-with-the-venezuelan-people-or-with-the-regime",
        ),
        ("  ¿Qué pasa   en Venezuela?  ", "que-pasa-en-venezuela"),
    ],
)
def test_slug_is_lowercase_ascii_with_accents_folded(title, expected):
    assert slug_from_title(title) == expected


@pytest.mark.parametrize("title", ["", "   ", "¿¡!?", "—…—"])
def test_title_without_letters_or_digits_gives_post(title):
    assert slug_from_title(title) == "post"


def test_long_title_is_cut_at_a_word_boundary():
    slug = slug_from_title(" ".join(["solidaridad"] * 30))
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slug.split("-") == ["solidaridad"] * len(slug.split("-"))
    assert not slug.endswith("-")


def test_slug_is_only_url_safe_characters():
    slug = slug_from_title("Carta abierta: «¡No a las sanciones!» & más / 2021")
    assert slug and set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


def test_unique_slug_is_the_plain_slug_when_free(session):
    assert unique_slug(session, "Lucha Democrática") == "lucha-democratica"


def test_taken_slug_gets_a_numbered_suffix(session):
    add_post(session, "Lucha Democrática", slug="lucha-democratica")
    assert unique_slug(session, "Lucha Democrática") == "lucha-democratica-2"


def test_suffix_counts_past_every_taken_number(session):
    add_post(session, "Statement", slug="statement")
    add_post(session, "Statement", slug="statement-2")
    add_post(session, "Statement", slug="statement-3")
    assert unique_slug(session, "Statement") == "statement-4"


def test_post_keeps_its_own_slug_when_excluded(session):
    post = add_post(session, "Statement", slug="statement")
    assert unique_slug(session, "Statement", exclude_post_id=post.id) == "statement"


def test_excluding_one_post_does_not_free_another_posts_slug(session):
    add_post(session, "Statement", slug="statement")
    other = add_post(session, "Another", slug="another")
    assert unique_slug(session, "Statement", exclude_post_id=other.id) == "statement-2"


def test_wanted_value_is_made_slug_shaped_before_checking(session):
    add_post(session, "Old", slug="carta-abierta")
    assert unique_slug(session, "  Carta ABIERTA!  ") == "carta-abierta-2"


def test_posts_with_no_letters_in_their_titles_get_distinct_slugs(session):
    add_post(session, "?", slug=unique_slug(session, "?"))
    add_post(session, "!", slug=unique_slug(session, "!"))
    assert unique_slug(session, "…") == "post-3"
