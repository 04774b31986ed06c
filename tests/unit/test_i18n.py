"""Choosing the visitor's language, looking up catalogue text, and writing dates and times for them."""

from datetime import UTC, datetime

import pytest

from vws_app.i18n import (
    format_date,
    format_event_date,
    format_month,
    format_time,
    language_from_accept_header,
    normalise_language,
    translate,
)

NARROW_SPACE = "\u202f"  # CLDR puts a narrow no-break space between the time and AM/PM


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("es", "es"),
        ("ES", "es"),
        ("es-VE", "es"),
        (" es ", "es"),
        ("en-US", "en"),
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
        ("zz-junk", "en"),
    ],
)
def test_normalise_language_gives_a_supported_code(value, expected):
    assert normalise_language(value) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-VE,es;q=0.9,en;q=0.8", "es"),
        ("en-US,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR,fr", "en"),
        ("fr-FR,fr;q=0.9,es;q=0.5", "es"),
        ("en;q=0.5, es;q=0.9", "es"),
        ("es-419", "es"),
        ("ES-ve", "es"),
        ("es; q=0.7, de", "es"),
        ("*", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_accept_header_picks_the_most_wanted_supported_language(header, expected):
    assert language_from_accept_header(header) == expected


def test_accept_header_language_with_zero_weight_is_refused():
    assert language_from_accept_header("es;q=0, fr") == "en"


def test_accept_header_with_a_malformed_weight_does_not_win():
    assert language_from_accept_header("es;q=high, en;q=0.1") == "en"


def test_equal_weights_keep_the_browsers_order():
    assert language_from_accept_header("es;q=0.8, en;q=0.8") == "es"
    assert language_from_accept_header("en;q=0.8, es;q=0.8") == "en"


def test_translate_gives_the_text_in_the_asked_language():
    assert translate("nav_home", "en") == "Home"
    assert translate("nav_home", "es") == "Inicio"


def test_translate_fills_in_placeholders():
    assert translate("posts_page_of", "es", page=2, pages=5) == "Página 2 de 5"
    assert translate("allies_visit", "en", name="LatAm Left") == "Visit LatAm Left"


def test_translate_falls_back_to_english_for_an_unknown_language():
    assert translate("nav_home", "de") == "Home"
    assert translate("nav_home", "es-VE") == "Inicio"


def test_translate_raises_for_a_key_in_no_catalogue():
    with pytest.raises(KeyError):
        translate("no_such_key", "en")


def test_format_date_writes_a_long_date_in_each_language():
    moment = datetime(2026, 11, 24, 15, tzinfo=UTC)
    assert format_date(moment, "en") == "November 24, 2026"
    assert format_date(moment, "es") == "24 de noviembre de 2026"


def test_format_date_uses_the_date_in_new_york():
    # 03:00 UTC on the 25th is still the evening of the 24th where the organisation works.
    assert format_date(datetime(2026, 11, 25, 3, tzinfo=UTC), "en") == "November 24, 2026"


def test_format_date_reads_a_naive_datetime_as_utc():
    # SQLite hands timestamps back without their zone.
    assert format_date(datetime(2026, 11, 25, 3), "es") == "24 de noviembre de 2026"


def test_format_date_of_nothing_is_empty():
    assert format_date(None, "en") == ""


def test_format_time_names_the_zone_in_the_visitors_language():
    moment = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert format_time(moment, "en", "America/New_York") == f"6:30{NARROW_SPACE}PM Eastern Standard Time"
    assert format_time(moment, "es", "America/New_York") == "18:30 hora estándar oriental"


def test_format_time_follows_daylight_saving_time():
    summer = datetime(2026, 7, 24, 22, 30, tzinfo=UTC)
    assert format_time(summer, "en", "America/New_York") == f"6:30{NARROW_SPACE}PM Eastern Daylight Time"


def test_format_time_uses_the_events_own_zone():
    moment = datetime(2026, 7, 24, 22, 30, tzinfo=UTC)
    assert format_time(moment, "es", "America/Caracas") == "18:30 hora de Venezuela"
    assert format_time(moment.replace(tzinfo=None), "es", "America/Caracas") == "18:30 hora de Venezuela"


def test_format_time_with_an_unknown_zone_falls_back_to_utc():
    label = format_time(datetime(2026, 7, 24, 22, 30, tzinfo=UTC), "es", "Not/A_Zone")
    assert label.startswith("22:30 ")


def test_format_event_date_is_the_date_in_the_events_zone():
    moment = datetime(2026, 11, 25, 3, tzinfo=UTC)
    assert format_event_date(moment, "es", "America/New_York") == "martes, 24 de noviembre de 2026"
    assert format_event_date(moment, "en", "Europe/Madrid") == "Wednesday, November 25, 2026"


def test_format_month_names_the_month_in_each_language():
    assert format_month(2021, 5, "en") == "May 2021"
    assert format_month(2021, 5, "es") == "mayo de 2021"
