"""An event's place in the reader's language (Spanish falls back to English) everywhere it is printed,
and its end time on its page."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from tests.unit.meeting_builders import add_meeting
from vws_app.services import content, editorial
from vws_app.services.calendar_files import event_file, place_in
from vws_app.services.event_details import details_of
from vws_app.services.event_seo import event_meta

START = datetime(2030, 3, 5, 23, 30, tzinfo=UTC)  # 18:30 in New York


def test_the_place_follows_the_language_with_english_as_fallback(session):
    event = add_meeting(session, starts_at=START)
    assert place_in(event, "es") == "Union hall, Queens"  # no Spanish place written yet
    event.place_es = "Local sindical, Queens"
    assert (place_in(event, "en"), place_in(event, "es")) == ("Union hall, Queens", "Local sindical, Queens")


def test_the_spanish_place_reaches_the_page_the_list_the_calendar_and_the_crawlable_text(session, editor):
    event = add_meeting(session, starts_at=START)
    data = editorial.EventInput(
        title_en=event.title_en,
        title_es=event.title_es,
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        timezone=event.timezone,
        place=event.place,
        place_es=" Local sindical, Queens ",
    )
    editorial.update_event(session, event.id, data, editor)
    assert details_of(event, "es", now=START).place == "Local sindical, Queens"
    assert details_of(event, "en", now=START).place == "Union hall, Queens"
    [view] = [view for view in content.upcoming_events(session, "es", now=START) if view.id == event.id]
    assert view.place == "Local sindical, Queens"
    [item] = Calendar.from_ical(event_file(event, "es")).walk("VEVENT")
    assert str(item["location"]) == "Local sindical, Queens"
    assert any("Local sindical, Queens" in paragraph for paragraph in event_meta(session, event.id, "es").paragraphs)


def test_a_too_long_spanish_place_is_refused_beside_its_field(session, editor):
    event = add_meeting(session, starts_at=START)
    data = editorial.EventInput(title_en="A", starts_at=START, place_es="x" * 301)
    try:
        editorial.update_event(session, event.id, data, editor)
    except editorial.ValidationFailed as failed:
        assert failed.errors == {"place_es": "admin_error_too_long"}
    else:
        raise AssertionError("a 301-character place was saved")


def test_the_page_shows_when_the_meeting_ends_on_the_event_clock(session):
    event = add_meeting(session, starts_at=START)  # two hours long
    details = details_of(event, "en", now=START)
    assert details.time_label.startswith("6:30")
    assert details.end_label.startswith("8:30") and "Eastern" in details.end_label
    event.ends_at = None
    assert details_of(event, "en", now=START).end_label == ""


def test_an_end_on_another_day_names_that_day(session):
    event = add_meeting(session, starts_at=START)
    event.ends_at = datetime(2030, 3, 6, 15, 0, tzinfo=UTC)  # 10:00 the next morning in New York
    assert details_of(event, "es", now=START).end_label.startswith("miércoles, 6 de marzo de 2030, 10:00")
