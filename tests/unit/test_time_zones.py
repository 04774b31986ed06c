"""The event form's time zone search: a city finds its zone, with the offset at that moment."""

from datetime import UTC, datetime

from vws_app.services.time_zones import city_of, is_zone_name, offset_label, search_time_zones

WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, tzinfo=UTC)


def test_chicago_finds_america_chicago_with_its_offset():
    [first, *_rest] = search_time_zones("Chicago", WINTER)
    assert (first.name, first.city, first.offset) == ("America/Chicago", "Chicago", "UTC−06:00")
    assert first.label == "Chicago — America/Chicago (UTC−06:00)"


def test_the_offset_follows_daylight_saving_time():
    assert search_time_zones("chicago", SUMMER)[0].offset == "UTC−05:00"


def test_case_spaces_and_underscores_do_not_matter():
    assert search_time_zones("buenos aires", WINTER)[0].name == "America/Argentina/Buenos_Aires"
    assert search_time_zones("NEW_YORK", WINTER)[0].name == "America/New_York"


def test_cities_starting_with_the_text_come_before_other_matches():
    names = [zone.name for zone in search_time_zones("Car", WINTER)]
    assert names[0] == "America/Caracas"
    assert all(city_of(name).lower().startswith("car") for name in names[: names.index("America/Caracas") + 1])


def test_a_region_lists_its_zones_and_nothing_is_offered_for_an_empty_query():
    assert all(zone.name.startswith("Europe/") for zone in search_time_zones("europe", WINTER))
    assert search_time_zones("   ", WINTER) == []
    assert len(search_time_zones("a", WINTER)) == 8


def test_offsets_with_minutes_and_utc_itself():
    assert offset_label("Asia/Kolkata", WINTER) == "UTC+05:30"
    assert offset_label("UTC", WINTER) == "UTC"
    assert offset_label("America/Caracas", WINTER) == "UTC−04:00"


def test_only_real_zone_names_count_as_chosen():
    assert is_zone_name("America/Chicago")
    assert is_zone_name("UTC")
    assert not is_zone_name("Chicago")
    assert not is_zone_name("US/Central")  # a legacy alias the picker does not offer
