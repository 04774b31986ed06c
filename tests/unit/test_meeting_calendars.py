"""Calendars and public output of meetings: per-language .ics and feeds that validate, stable UIDs, SEQUENCE and
STATUS on change, repeats across a daylight-saving change, and the private link absent from every public output."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlmodel import select
from starlette.testclient import TestClient

from tests.unit.fake_build import write_build
from tests.unit.meeting_builders import PRIVATE_LINK, add_meeting
from vws_app.models import Event, OutboxMessage, as_utc
from vws_app.server import page_shell
from vws_app.server.routes import backend_routes
from vws_app.services import auth, content, editorial, recurrence, rsvp_admin, search
from vws_app.services.calendar_files import event_file

NEW_YORK = ZoneInfo("America/New_York")
SITE = "https://vws.example"


@pytest.fixture(autouse=True)
def public_address(monkeypatch):
    monkeypatch.setenv("SITE_URL", SITE)


@pytest.fixture
def client(app_database, session, tmp_path, monkeypatch) -> TestClient:
    """The backend's routes on a stand-in build (so event pages are filled as in production)."""
    build = write_build(tmp_path / "client")
    monkeypatch.setattr(page_shell, "build_dir", lambda: build)
    return TestClient(backend_routes())


def events_of(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_an_event_file_is_in_the_asked_language_and_the_event_time_zone(session):
    start = datetime(2030, 3, 1, 18, 30, tzinfo=NEW_YORK).astimezone(UTC)
    event = add_meeting(session, starts_at=start)
    [english] = events_of(event_file(event, "en"))
    [spanish] = events_of(event_file(event, "es"))
    assert (str(english["summary"]), str(spanish["summary"])) == ("Monthly assembly", "Asamblea mensual")
    assert str(spanish["description"]) == "Hablamos del mes."
    starts = spanish.decoded("dtstart")
    assert starts == start and starts.tzinfo.key == "America/New_York"
    assert spanish["dtstart"].params["TZID"] == "America/New_York"
    assert spanish.decoded("dtend") - starts == timedelta(hours=2)
    assert str(english["uid"]) == str(spanish["uid"]) == f"event-{event.id}@vws.example"
    assert Calendar.from_ical(event_file(event, "es")).walk("VTIMEZONE"), "the zone is described in the file"


def test_a_repeating_meeting_keeps_its_wall_clock_time_across_daylight_saving(session):
    """Every second Tuesday at 7 pm New York time, before and after 1 November 2026 (DST ends)."""
    start = datetime(2026, 10, 13, 19, 0, tzinfo=NEW_YORK)
    event = add_meeting(session, starts_at=start.astimezone(UTC), recurrence="FREQ=MONTHLY;BYDAY=2TU")
    found = recurrence.occurrences(event, datetime(2026, 10, 1, tzinfo=UTC), 3)
    assert [moment.astimezone(NEW_YORK).replace(tzinfo=None) for moment in found] == [
        datetime(2026, 10, 13, 19),
        datetime(2026, 11, 10, 19),
        datetime(2026, 12, 8, 19),
    ]
    assert [moment.utcoffset() for moment in found] == [timedelta(0)] * 3
    assert [moment.hour for moment in found] == [23, 0, 0]  # UTC moves, the meeting does not
    [item] = events_of(event_file(event, "en"))
    assert item["rrule"].to_ical() == b"FREQ=MONTHLY;BYDAY=2TU"
    views = content.upcoming_events(session, "es", now=datetime(2026, 10, 20, tzinfo=UTC))
    assert views[0].date_label == "martes, 10 de noviembre de 2026" and len(views[0].next_dates) == 3


def test_the_feeds_validate_with_one_vevent_per_event_and_stable_uids(client, session):
    events = [add_meeting(session), add_meeting(session, recurrence="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")]
    first, again = client.get("/events.ics"), client.get("/events.ics")
    spanish = client.get("/es/events.ics")
    for response in (first, spanish):
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    english_items, spanish_items = events_of(first.content), events_of(spanish.content)
    assert len(english_items) == len(spanish_items) == len(events)
    uids = [str(item["uid"]) for item in english_items]
    assert uids == [str(item["uid"]) for item in events_of(again.content)] == [str(i["uid"]) for i in spanish_items]
    assert len(set(uids)) == len(events)
    assert {str(item["summary"]) for item in spanish_items} == {"Asamblea mensual"}
    assert "RRULE" in spanish.text and "X-WR-CALNAME" in spanish.text
    assert client.get("/fr/events.ics").status_code == 404


def test_a_change_bumps_sequence_and_tells_rsvps_and_a_cancellation_is_marked(client, session):
    editor = auth.create_editor(session, "ed@example.org", "correct horse battery", role="editor")
    event = add_meeting(session)
    from tests.unit.test_rsvp import take

    take(session, event.id, 1)
    data = editorial.EventInput(
        title_en=event.title_en,
        title_es=event.title_es,
        starts_at=as_utc(event.starts_at) + timedelta(hours=1),
        ends_at=None,
        timezone=event.timezone,
        place="New hall",
        online_url=PRIVATE_LINK,
        description_en=event.description_en,
    )
    editorial.update_event(session, event.id, data, editor)
    [item] = events_of(client.get(f"/events/{event.id}.ics?lang=en").content)
    assert item["sequence"] == 1 and str(item["status"]) == "CONFIRMED" and str(item["location"]) == "New hall"
    rsvp_admin.cancel_event(session, event.id, editor)
    [item] = events_of(client.get("/events.ics").content)
    assert item["sequence"] == 2 and str(item["status"]) == "CANCELLED"
    kinds = [row.kind for row in session.exec(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert kinds == ["rsvp_confirmed", "event_changed", "event_cancelled"]


def test_the_private_link_is_in_no_public_output(client, session):
    event = add_meeting(session, capacity=3)
    stored = session.get(Event, event.id)
    assert stored.online_url == PRIVATE_LINK
    outputs = {
        "event page en": client.get(f"/events/{event.id}?lang=en"),
        "event page es": client.get(f"/events/{event.id}?lang=es"),
        "events page": client.get("/events?lang=es"),
        "event .ics": client.get(f"/events/{event.id}.ics?lang=es"),
        "feed en": client.get("/events.ics"),
        "feed es": client.get("/es/events.ics"),
        "sitemap": client.get("/sitemap.xml"),
        "rss": client.get("/feed.xml"),
    }
    for name, response in outputs.items():
        assert response.status_code == 200, name
        assert "secret-room" not in response.text and "meet.example.org" not in response.text, name
    page = outputs["event page es"].text
    assert "<title>Asamblea mensual · " in page and 'property="og:title"' in page
    assert '"@type": "Event"' in page and "EventScheduled" in page and f"{SITE}/events/{event.id}?lang=es" in page
    assert 'action="/events/' in page and 'name="consent"' in page  # the RSVP form, without JavaScript
    views = [*content.upcoming_events(session, "en"), *content.upcoming_events(session, "es")]
    assert views and all("secret-room" not in repr(view) for view in views)
    for language in ("en", "es"):
        assert search.search(session, "secret-room-4711", language).total == 0


def test_an_unknown_event_page_is_a_real_404(client):
    assert client.get("/events/424242").status_code == 404
    assert client.get("/events/424242.ics").status_code == 404
