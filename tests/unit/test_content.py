"""The public content queries: which posts, events, allies and texts a visitor sees, and how."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from tests.unit.content_builders import (
    add_ally,
    add_event,
    add_post,
    add_site_text,
    add_translation,
    days_ago,
)
from vws_app.models import PostStatus, utc_now
from vws_app.services.archive import archive
from vws_app.services.content import (
    allies,
    count_posts,
    latest_posts,
    list_posts,
    past_events_by_year,
    published_post,
    published_translation,
    site_texts,
    upcoming_events,
)

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def _titles(page) -> list[str]:
    return [card.title for card in page.cards]


def _month_counts(session, language: str) -> dict[tuple[int, int], int]:
    return {(month.year, month.month): month.count for year in archive(session, language) for month in year.months}


def statements_run(engine, call) -> list[tuple[str, object]]:
    """The SQL statements `call()` sends to `engine`, with their parameters."""
    seen: list[tuple[str, object]] = []
    listener = lambda _conn, _cursor, statement, parameters, *_rest: seen.append((statement, parameters))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen


# Posts: which are listed and in what order


def test_list_hides_drafts_and_posts_with_a_future_publish_date(session):
    add_post(session, "Published statement")
    add_post(session, "Draft statement", status=PostStatus.DRAFT.value)
    add_post(session, "Scheduled statement", published_at=days_ago(-3))
    add_post(session, "Undated statement", published_at=None)
    page = list_posts(session, "en")
    assert _titles(page) == ["Published statement"]
    assert page.total == 1


def test_list_shows_newest_post_first(session):
    add_post(session, "Oldest", published_at=datetime(2020, 1, 1, tzinfo=UTC))
    add_post(session, "Newest", published_at=days_ago(1))
    add_post(session, "Middle", published_at=datetime(2023, 5, 1, tzinfo=UTC))
    assert _titles(list_posts(session, "en")) == ["Newest", "Middle", "Oldest"]


def test_list_shows_ten_posts_per_page(session):
    for day in range(12):
        add_post(session, f"Day {day}", published_at=datetime(2024, 1, day + 1, tzinfo=UTC))
    first, second = list_posts(session, "en", page=1), list_posts(session, "en", page=2)
    assert len(first.cards) == 10 and first.page == 1
    assert _titles(second) == ["Day 1", "Day 0"]
    assert first.page_count == second.page_count == 2
    assert first.total == 12


def test_page_number_out_of_range_gives_nearest_real_page(session):
    for day in range(12):
        add_post(session, f"Day {day}", published_at=datetime(2024, 1, day + 1, tzinfo=UTC))
    assert list_posts(session, "en", page=99).page == 2
    assert _titles(list_posts(session, "en", page=99)) == ["Day 1", "Day 0"]
    assert list_posts(session, "en", page=0).page == 1


def test_empty_list_still_has_one_page(session):
    page = list_posts(session, "en")
    assert (page.cards, page.page, page.page_count, page.total) == ([], 1, 1, 0)


def test_category_filter_keeps_only_that_category(session):
    add_post(session, "A statement", category="statement")
    add_post(session, "A letter", category="open_letter")
    assert _titles(list_posts(session, "en", category="open_letter")) == ["A letter"]
    assert list_posts(session, "en", category="open_letter").total == 1


def test_unknown_category_gives_an_empty_page(session):
    add_post(session, "A statement")
    page = list_posts(session, "en", category="poetry")
    assert page.cards == [] and page.total == 0 and page.page_count == 1


# Posts: one version per text, in the visitor's language where there is one


def test_spanish_list_shows_spanish_version_of_translated_post(session):
    english = add_post(session, "Solidarity with Myanmar")
    add_translation(session, english, "Solidaridad con Myanmar")
    page = list_posts(session, "es")
    assert _titles(page) == ["Solidaridad con Myanmar"]
    assert page.total == 1


def test_english_list_shows_english_version_of_translated_post(session):
    english = add_post(session, "Solidarity with Myanmar")
    add_translation(session, english, "Solidaridad con Myanmar")
    assert _titles(list_posts(session, "en")) == ["Solidarity with Myanmar"]


def test_untranslated_posts_from_the_other_language_are_still_listed(session):
    add_post(session, "Only in English", published_at=datetime(2021, 3, 1, tzinfo=UTC))
    add_post(session, "Solo en español", language="es", published_at=datetime(2021, 4, 1, tzinfo=UTC))
    assert _titles(list_posts(session, "es")) == ["Solo en español", "Only in English"]
    assert _titles(list_posts(session, "en")) == ["Solo en español", "Only in English"]


def test_card_of_translated_post_links_to_its_translation(session):
    english = add_post(session, "Solidarity with Myanmar", slug="solidarity-with-myanmar")
    add_translation(session, english, "Solidaridad con Myanmar", slug="solidaridad-con-myanmar")
    (spanish_card,) = list_posts(session, "es").cards
    (english_card,) = list_posts(session, "en").cards
    assert (spanish_card.translation_slug, spanish_card.translation_language) == ("solidarity-with-myanmar", "en")
    assert (english_card.translation_slug, english_card.translation_language) == ("solidaridad-con-myanmar", "es")


def test_card_of_untranslated_post_has_no_translation_link(session):
    add_post(session, "Only in English")
    (card,) = list_posts(session, "es").cards
    assert card.language == "en"
    assert (card.translation_slug, card.translation_language) == ("", "")


def test_draft_translation_neither_replaces_nor_is_linked_from_the_original(session):
    english = add_post(session, "Solidarity with Myanmar")
    add_translation(session, english, "Borrador", status=PostStatus.DRAFT.value)
    (card,) = list_posts(session, "es").cards
    assert card.title == "Solidarity with Myanmar"
    assert card.translation_slug == ""


def test_scheduled_translation_does_not_hide_the_published_original(session):
    english = add_post(session, "Solidarity with Myanmar")
    add_translation(session, english, "Programada", published_at=days_ago(-2))
    assert _titles(list_posts(session, "es")) == ["Solidarity with Myanmar"]


def test_unsupported_language_lists_english_versions(session):
    english = add_post(session, "Solidarity with Myanmar")
    add_translation(session, english, "Solidaridad con Myanmar")
    assert _titles(list_posts(session, "fr")) == ["Solidarity with Myanmar"]


def test_card_date_is_written_in_the_visitors_language(session):
    add_post(session, "Dated", published_at=datetime(2025, 11, 24, 17, tzinfo=UTC))
    assert list_posts(session, "en").cards[0].date_label == "November 24, 2025"
    assert list_posts(session, "es").cards[0].date_label == "24 de noviembre de 2025"


def test_latest_posts_are_the_four_newest_in_the_visitors_language(session):
    for day in range(6):
        english = add_post(session, f"Day {day}", published_at=datetime(2024, 2, day + 1, tzinfo=UTC))
        add_translation(session, english, f"Día {day}")
    cards = latest_posts(session, "es")
    assert [card.title for card in cards] == ["Día 5", "Día 4", "Día 3", "Día 2"]


def test_text_in_both_languages_is_listed_and_counted_once_in_the_visitors_language(session):
    april, may = datetime(2021, 4, 12, 16, tzinfo=UTC), datetime(2021, 5, 12, 16, tzinfo=UTC)
    english = add_post(session, "Solidarity with Myanmar", published_at=april)
    add_translation(session, english, "Solidaridad con Myanmar")
    add_post(session, "Solo en español", language="es", published_at=may)
    for language, expected in (
        ("es", ["Solo en español", "Solidaridad con Myanmar"]),
        ("en", ["Solo en español", "Solidarity with Myanmar"]),
    ):
        page = list_posts(session, language)
        assert _titles(page) == expected
        assert page.total == count_posts(session, language) == 2
        assert _month_counts(session, language) == {(2021, 5): 1, (2021, 4): 1}


def test_pages_follow_each_other_newest_first_without_gaps_or_repeats(session):
    # 23 texts: every third also in Spanish, every fifth only in Spanish; a draft and a scheduled one besides.
    expected = []
    for day in range(23):
        moment = datetime(2024, 3, 1, tzinfo=UTC) + timedelta(days=day)
        if day % 5 == 0:
            add_post(session, f"Día {day}", language="es", published_at=moment)
            expected.append(f"Día {day}")
            continue
        english = add_post(session, f"Day {day}", published_at=moment)
        if day % 3 == 0:
            add_translation(session, english, f"Día {day} (traducido)")
        expected.append(f"Day {day}")
    add_post(session, "Draft", status=PostStatus.DRAFT.value, published_at=datetime(2024, 3, 2, tzinfo=UTC))
    add_post(session, "Scheduled", published_at=days_ago(-1))
    pages = [list_posts(session, "en", page=number) for number in (1, 2, 3)]
    assert [title for page in pages for title in _titles(page)] == expected[::-1]
    assert [(page.page, page.page_count, page.total, len(page.cards)) for page in pages] == [
        (1, 3, 23, 10),
        (2, 3, 23, 10),
        (3, 3, 23, 3),
    ]


def test_drafts_and_scheduled_posts_are_never_listed_counted_or_archived(session):
    add_post(session, "Published", published_at=datetime(2021, 4, 12, 16, tzinfo=UTC))
    add_post(session, "Draft", status=PostStatus.DRAFT.value, published_at=datetime(2021, 6, 1, tzinfo=UTC))
    add_post(session, "Scheduled", published_at=days_ago(-3))
    for language in ("en", "es"):
        assert _titles(list_posts(session, language)) == ["Published"]
        assert [card.title for card in latest_posts(session, language)] == ["Published"]
        assert count_posts(session, language) == 1
        assert _month_counts(session, language) == {(2021, 4): 1}


def test_filtered_lists_count_only_what_they_show(session):
    may = (datetime(2021, 5, 1, 4, tzinfo=UTC), datetime(2021, 6, 1, 4, tzinfo=UTC))
    add_post(session, "April letter", category="open_letter", published_at=datetime(2021, 4, 20, tzinfo=UTC))
    add_post(session, "May letter", category="open_letter", published_at=datetime(2021, 5, 20, tzinfo=UTC))
    add_post(session, "May news", category="news", published_at=datetime(2021, 5, 21, tzinfo=UTC))
    letters_in_may = list_posts(session, "en", category="open_letter", published_between=may)
    assert (_titles(letters_in_may), letters_in_may.total) == (["May letter"], 1)
    assert list_posts(session, "en", published_between=may).total == 2
    assert list_posts(session, "en", category="open_letter").total == 2


def test_the_home_list_never_counts_posts(session, engine):
    add_post(session, "Published")
    statements = [sql.lower() for sql, _parameters in statements_run(engine, lambda: latest_posts(session, "en"))]
    assert statements and not any("count(" in sql for sql in statements)


# SQLite only: PostgreSQL's plans depend on its statistics (the bench shows them at 10,000 posts).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_reads_a_list_page_and_translations_through_indexes(session, engine):
    """The plans bench/README.md §4 shows: a walk of ix_post_published that stops, no sort, key lookups."""
    english = add_post(session, "Solidarity with Myanmar")
    add_translation(session, english, "Solidaridad con Myanmar")
    captured = statements_run(engine, lambda: (latest_posts(session, "es"), published_translation(session, english)))
    with engine.connect() as connection:
        plans = [
            " / ".join(row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
            for sql, params in captured
        ]
    page_plan, translations_plan, letters_plan, post_page_translation_plan = plans
    assert "USING INDEX ix_post_published" in page_plan and "TEMP B-TREE" not in page_plan
    assert "USING INDEX sqlite_autoindex_post_1 (translation_key=? AND language=?)" in page_plan
    assert "USING INDEX ix_post_translation_key" in translations_plan
    assert "USING INDEX sqlite_autoindex_lettersignon_1 (translation_key=?)" in letters_plan  # cards' signature counts
    assert "USING INDEX ix_post_translation_key" in post_page_translation_plan


# Posts: opening one


def test_published_post_is_found_by_slug(session):
    post = add_post(session, "Open letter", slug="open-letter")
    found = published_post(session, "open-letter")
    assert found is not None and found.id == post.id


def test_drafts_scheduled_and_missing_posts_are_not_found(session):
    add_post(session, "Draft", slug="draft", status=PostStatus.DRAFT.value)
    add_post(session, "Scheduled", slug="scheduled", published_at=utc_now() + timedelta(hours=1))
    assert published_post(session, "draft") is None
    assert published_post(session, "scheduled") is None
    assert published_post(session, "no-such-post") is None


def test_published_translation_is_the_other_language_version(session):
    english = add_post(session, "Solidarity with Myanmar")
    spanish = add_translation(session, english, "Solidaridad con Myanmar")
    assert published_translation(session, english).id == spanish.id
    assert published_translation(session, spanish).id == english.id


def test_unpublished_or_missing_translation_is_none(session):
    english = add_post(session, "Solidarity with Myanmar")
    lonely = add_post(session, "Only in English")
    add_translation(session, english, "Borrador", status=PostStatus.DRAFT.value)
    assert published_translation(session, english) is None
    assert published_translation(session, lonely) is None


# Site texts


def test_site_texts_are_in_the_visitors_language(session):
    add_site_text(session, "mission", "en", "Our mission")
    add_site_text(session, "mission", "es", "Nuestra misión")
    assert site_texts(session, "es") == {"mission": "Nuestra misión"}
    assert site_texts(session, "en") == {"mission": "Our mission"}


def test_untranslated_or_blank_site_text_falls_back_to_english(session):
    add_site_text(session, "mission", "en", "Our mission")
    add_site_text(session, "goal", "en", "Our goal")
    add_site_text(session, "goal", "es", "")
    assert site_texts(session, "es") == {"mission": "Our mission", "goal": "Our goal"}
    assert site_texts(session, "de") == {"mission": "Our mission", "goal": "Our goal"}


# Events


def test_upcoming_events_are_those_not_ended_soonest_first(session):
    add_event(session, "Later meeting", NOW + timedelta(days=20))
    add_event(session, "Finished meeting", NOW - timedelta(days=1))
    add_event(session, "Next meeting", NOW + timedelta(days=2))
    add_event(session, "Ongoing assembly", NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=1))
    titles = [event.title for event in upcoming_events(session, "en", now=NOW)]
    assert titles == ["Ongoing assembly", "Next meeting", "Later meeting"]


def test_event_is_shown_in_spanish_with_english_fallback(session):
    add_event(session, "Meeting", NOW + timedelta(days=1), title_es="Reunión", description_en="About Venezuela")
    (event,) = upcoming_events(session, "es", now=NOW)
    assert event.title == "Reunión"
    assert event.description == "About Venezuela"


def test_event_time_is_given_in_the_events_own_time_zone(session):
    add_event(session, "Talk", datetime(2026, 11, 24, 23, 30, tzinfo=UTC), timezone="America/New_York")
    add_event(session, "Charla", datetime(2026, 11, 25, 23, 30, tzinfo=UTC), timezone="America/Caracas")
    new_york, caracas = upcoming_events(session, "es", now=NOW)
    assert new_york.time_label == "18:30 hora estándar oriental"
    assert new_york.date_label == "martes, 24 de noviembre de 2026"
    assert caracas.time_label == "19:30 hora de Venezuela"


def test_past_events_are_grouped_by_year_newest_first(session):
    add_event(session, "Spring 2024", datetime(2024, 4, 1, 22, tzinfo=UTC))
    add_event(session, "Autumn 2024", datetime(2024, 10, 1, 22, tzinfo=UTC))
    add_event(session, "Summer 2025", datetime(2025, 7, 1, 22, tzinfo=UTC))
    add_event(session, "Upcoming", NOW + timedelta(days=5))
    grouped = past_events_by_year(session, "en", now=NOW)
    assert [(year, [event.title for event in events]) for year, events in grouped] == [
        (2025, ["Summer 2025"]),
        (2024, ["Autumn 2024", "Spring 2024"]),
    ]


def test_past_event_year_is_the_year_where_it_took_place(session):
    # 03:00 UTC on New Year's Day is still New Year's Eve in New York.
    add_event(session, "New Year's Eve vigil", datetime(2021, 1, 1, 3, tzinfo=UTC), timezone="America/New_York")
    ((year, (event,)),) = past_events_by_year(session, "en", now=NOW)
    assert year == event.year == 2020
    assert event.date_label == "Thursday, December 31, 2020"


# Allies


def test_allies_follow_the_editors_order(session):
    add_ally(session, "Third", 3)
    add_ally(session, "First", 1)
    add_ally(session, "Second", 2)
    assert [ally.name for ally in allies(session, "en")] == ["First", "Second", "Third"]


def test_ally_description_in_spanish_falls_back_to_english(session):
    add_ally(session, "Translated", 1, description_en="Workers' union", description_es="Sindicato obrero")
    add_ally(session, "Untranslated", 2, description_en="A left journal")
    assert [ally.description for ally in allies(session, "es")] == ["Sindicato obrero", "A left journal"]
    assert [ally.description for ally in allies(session, "en")] == ["Workers' union", "A left journal"]
