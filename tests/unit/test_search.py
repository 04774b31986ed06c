"""Site search: accent- and case-blind, both languages, the visitor's first, in step with every edit."""

import random

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from tests.unit.content_builders import add_event, add_post, days_ago
from vws_app.models import Editor, Event, Post, PostStatus
from vws_app.services import editorial
from vws_app.services.search import SearchPage, search
from vws_app.services.seeding import seed_database

ENGLISH_MYANMAR = "We Stand in Solidarity with the Democratic Struggle in Myanmar"
SPANISH_MYANMAR = "Nos Solidarizamos con la Lucha Democrática en Myanmar-Birmania"


def titles(result: SearchPage) -> list[str]:
    return [item.title for item in result.items]


def marked_words(result: SearchPage) -> list[str]:
    return [part.text for item in result.items for part in item.snippet if part.is_match]


@pytest.fixture
def seeded(session) -> Session:
    seed_database(session)
    return session


# Finding words whatever their case and accents


def test_an_unaccented_word_finds_the_accented_spanish_text(seeded):
    assert titles(search(seeded, "democratica", "es")) == [SPANISH_MYANMAR]


def test_an_accented_query_finds_the_same_text(seeded):
    assert titles(search(seeded, "DEMOCRÁTICA", "es")) == [SPANISH_MYANMAR]


def test_case_does_not_matter(session):
    add_post(session, "Solidaridad con los trabajadores de Guayana", language="es")
    for query in ("solidaridad", "SOLIDARIDAD", "SoLiDaRiDaD"):
        assert titles(search(session, query, "es")) == ["Solidaridad con los trabajadores de Guayana"]


def test_a_word_in_both_statements_finds_the_english_and_the_spanish_one(seeded):
    result = search(seeded, "myanmar", "en")
    assert sorted(titles(result)) == sorted([ENGLISH_MYANMAR, SPANISH_MYANMAR])
    assert result.total == 2 and result.page_count == 1


def test_the_visitors_language_comes_first(seeded):
    assert [item.language for item in search(seeded, "myanmar", "en").items] == ["en", "es"]
    assert [item.language for item in search(seeded, "myanmar", "es").items] == ["es", "en"]


def test_an_unknown_visitor_language_counts_as_english(seeded):
    assert [item.language for item in search(seeded, "myanmar", "fr-FR").items] == ["en", "es"]


def test_every_word_of_the_query_must_match(seeded):
    assert titles(search(seeded, "myanmar sanctions", "en")) == []
    assert titles(search(seeded, "biden sanctions", "en")) == ["Statement on US-Venezuela relations"]


def test_the_last_word_also_matches_as_a_prefix(seeded):
    assert titles(search(seeded, "myanm", "en"))[0] == ENGLISH_MYANMAR
    assert titles(search(seeded, "democratic strug", "en")) == [ENGLISH_MYANMAR]


def test_title_words_rank_above_body_words(session):
    add_post(session, "A letter about wages", published_at=days_ago(1))
    add_post(session, "Guayana steelworkers strike")
    session.exec(text("UPDATE post SET body = 'The steelworkers of Guayana wrote to us.' WHERE title LIKE 'A letter%'"))
    session.commit()
    assert titles(search(session, "steelworkers", "en")) == ["Guayana steelworkers strike", "A letter about wages"]


# What each result carries


def test_a_result_has_its_kind_language_date_address_and_marked_snippet(seeded):
    spanish, english = search(seeded, "myanmar", "es").items
    assert (english.kind, english.language, english.date_label) == ("post", "en", "12 de abril de 2021")
    assert english.url == "/posts/we-stand-in-solidarity-with-the-democratic-struggle-in-myanmar"
    assert spanish.language == "es" and spanish.url.startswith("/posts/nos-solidarizamos")
    assert [part.text for part in english.snippet if part.is_match] == ["Myanmar"]
    assert "unfolded in Myanmar-Burma" in "".join(part.text for part in english.snippet)


def test_the_title_and_snippet_mark_the_accented_words_the_query_matched(seeded):
    [item] = search(seeded, "democratica", "es").items
    assert [part.text for part in item.title_parts if part.is_match] == ["Democrática"]
    add_post(seeded, "Carta abierta", language="es")
    seeded.exec(
        text("UPDATE post SET body = 'Por una Venezuela democrática y soberana.' WHERE title = 'Carta abierta'")
    )
    seeded.commit()
    assert marked_words(search(seeded, "democratica soberana", "es")) == ["democrática", "soberana"]


def test_the_snippet_is_plain_text_without_markdown_marks(session):
    post = add_post(session, "Markdown post")
    post.body = "Read **the full letter** at [our site](https://example.org/letter) about `unions`."
    session.add(post)
    session.commit()
    [item] = search(session, "letter", "en").items
    snippet = "".join(part.text for part in item.snippet)
    assert "**" not in snippet and "](" not in snippet and "`" not in snippet
    assert "full letter" in snippet


def test_titles_come_back_exactly_as_written(session):
    add_post(session, "Huelga #1: *todos* [unidos]  en Guayana", language="es")
    assert titles(search(session, "guayana", "es")) == ["Huelga #1: *todos* [unidos]  en Guayana"]


def test_a_changed_address_is_the_one_the_result_links_to(session):
    post = add_post(session, "Cumaná fishermen", slug="old-address")
    post.slug = "new-address"
    session.add(post)
    session.commit()
    assert [item.url for item in search(session, "cumana", "en").items] == ["/posts/new-address"]


# Only what visitors may read


def test_drafts_and_scheduled_posts_are_never_found(session):
    add_post(session, "Orinoco draft", status=PostStatus.DRAFT.value)
    add_post(session, "Orinoco scheduled", published_at=days_ago(-3))
    add_post(session, "Orinoco published")
    assert titles(search(session, "orinoco", "en")) == ["Orinoco published"]


def test_a_scheduled_post_is_found_once_its_time_has_come(session):
    post = add_post(session, "Orinoco scheduled", published_at=days_ago(-3))
    post.published_at = days_ago(1)
    session.add(post)
    session.commit()
    assert titles(search(session, "orinoco", "en")) == ["Orinoco scheduled"]


# The index follows every change


def test_an_edited_post_is_found_by_its_new_words_only(session):
    post = add_post(session, "Caracas assembly")
    post.title, post.excerpt, post.body = "Maracaibo assembly", "", ""
    session.add(post)
    session.commit()
    assert titles(search(session, "caracas", "en")) == []
    assert titles(search(session, "maracaibo", "en")) == ["Maracaibo assembly"]


def test_an_unpublished_post_disappears_and_returns_when_published_again(session):
    post = add_post(session, "Barquisimeto teachers")
    post.status = PostStatus.DRAFT.value
    session.add(post)
    session.commit()
    assert search(session, "barquisimeto", "en").total == 0
    post.status = PostStatus.PUBLISHED.value
    session.add(post)
    session.commit()
    assert titles(search(session, "barquisimeto", "en")) == ["Barquisimeto teachers"]


def test_a_deleted_post_is_no_longer_found(session):
    post = add_post(session, "Valencia nurses")
    session.delete(post)
    session.commit()
    assert search(session, "valencia", "en").total == 0


def test_the_editors_services_keep_the_index_in_step(session):
    editor = Editor(email="ana@example.org", password_hash="not-a-real-hash")
    session.add(editor)
    session.commit()
    data = editorial.PostInput(title="Carta a los sindicatos", language="es", body="Texto sobre Mérida")
    post = editorial.create_post(session, data, editor)
    assert search(session, "merida", "es").total == 0
    editorial.set_post_status(session, post.id, PostStatus.PUBLISHED.value, editor)
    assert titles(search(session, "merida", "es")) == ["Carta a los sindicatos"]
    editorial.set_post_status(session, post.id, PostStatus.DRAFT.value, editor)
    assert search(session, "merida", "es").total == 0
    editorial.delete_post(session, post.id, editor)
    assert search(session, "sindicatos", "es").total == 0


def test_events_are_found_in_each_of_their_languages(session):
    add_event(
        session,
        "Teach-in on labour rights",
        days_ago(10),
        title_es="Charla sobre derechos laborales",
        description_en="With oil workers",
        description_es="Con trabajadores petroleros",
    )
    [english] = search(session, "oil", "es").items
    [spanish] = search(session, "petroleros", "en").items
    assert (english.kind, english.language, english.title, english.url) == (
        "event",
        "en",
        "Teach-in on labour rights",
        "/events",
    )
    assert (spanish.language, spanish.title) == ("es", "Charla sobre derechos laborales")
    assert english.date_label and spanish.date_label


def test_an_event_without_a_spanish_title_shows_the_english_one(session):
    add_event(session, "Vigil", days_ago(2), description_es="Vigilia por los presos políticos")
    [item] = search(session, "presos", "es").items
    assert (item.language, item.title) == ("es", "Vigil")


def test_an_edited_or_deleted_event_leaves_the_index_in_step(session):
    event = add_event(session, "Picnic in Queens", days_ago(5))
    event.title_en = "Picnic in Brooklyn"
    session.add(event)
    session.commit()
    assert search(session, "queens", "en").total == 0
    assert titles(search(session, "brooklyn", "en")) == ["Picnic in Brooklyn"]
    session.delete(session.get(Event, event.id))
    session.commit()
    assert search(session, "brooklyn", "en").total == 0


# Pages


def test_results_come_ten_a_page_and_a_page_past_the_end_gives_the_last(session):
    for number in range(12):
        add_post(session, f"Petare report {number}")
    first, second, beyond = (search(session, "petare", "en", page=page) for page in (1, 2, 99))
    assert (len(first.items), len(second.items), first.total, first.page_count) == (10, 2, 12, 2)
    assert set(titles(first)).isdisjoint(titles(second))
    assert (beyond.page, titles(beyond)) == (2, titles(second))


def test_a_nonsense_page_number_gives_a_valid_page(seeded):
    for page in (0, -5, "x", None, 10**30):
        assert search(seeded, "myanmar", "en", page=page).page == 1, page


# Whatever a visitor types


BAD_QUERIES = [
    "",
    "   ",
    "\n\t",
    None,
    '"',
    "*",
    "NEAR",
    "(",
    ")",
    "-",
    ":",
    "AND",
    "OR",
    "NOT",
    "^",
    "+",
    '"myanmar',
    "myanmar*",
    "-myanmar",
    "title:myanmar",
    "NEAR(myanmar solidarity, 2)",
    "myanmar OR OR AND",
    "'; DROP TABLE post; --",
    "1' OR '1'='1",
    "%_%",
    "\\",
    "'",
    "''",
    "\x00",
    "myanmar\x00",
    "\ud800",
    "\u0301\u0301",
    "😀",
    "✊🏽 solidaridad 🇻🇪",
    "العمال",
    "עובדים",
    "a" * 10_000,
    "solidarity " * 1_000,
    "é" * 10_000,
    "<script>alert(1)</script>",
    "&amp;",
    "{0}",
    "%s",
    "\u202e myanmar",
]


def test_any_query_gives_a_page_and_never_an_error(seeded):
    for query in BAD_QUERIES:
        result = search(seeded, query, "en")
        assert isinstance(result, SearchPage) and result.page == 1, repr(query)[:40]
    assert seeded.exec(select(Post)).first() is not None  # the table is still there


def test_a_query_with_no_words_gives_an_empty_page(seeded):
    for query in ("", "   ", "😀", '"*():-', "AND OR NOT NEAR"):
        assert search(seeded, query, "en") == SearchPage([], 0, 1, 1)


def test_operators_and_punctuation_are_read_as_plain_words(seeded):
    assert sorted(titles(search(seeded, '(myanmar) AND "burma"', "en"))) == [ENGLISH_MYANMAR]
    assert len(search(seeded, "-myanmar", "en").items) == 2
    assert len(search(seeded, "myanmar:*", "en").items) == 2


def test_words_around_emoji_still_match(seeded):
    assert len(search(seeded, "✊ myanmar 🇲🇲", "en").items) == 2


def test_right_to_left_words_are_found(session):
    add_post(session, "Solidaridad internacional", language="es")
    session.exec(
        text("UPDATE post SET body = 'تضامن العمال — סולידריות עובדים' WHERE title = 'Solidaridad internacional'")
    )
    session.commit()
    assert search(session, "العمال", "en").total == 1
    assert search(session, "עובדים", "en").total == 1


def test_random_junk_never_raises(seeded):
    alphabet = list("\"*():-^+'\\%_ {}[]<>;~|&!?.,@#$\x00\u0301\u202e") + [
        "NEAR",
        "AND",
        "OR",
        "NOT",
        "😀",
        "ñ",
        "ع",
        "ש",
        "a",
        "1",
    ]
    generator = random.Random(4580)
    for _ in range(150):
        query = "".join(generator.choice(alphabet) for _ in range(generator.randint(1, 40)))
        assert isinstance(search(seeded, query, generator.choice(["en", "es"])), SearchPage)
