"""A published post with a publish date to come is "scheduled", shown on the organisation's clock."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from vws_app.services.org_time import local_input_to_utc, local_label, utc_to_local_input
from vws_app.services.scheduling import is_scheduled, scheduled_label

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
LATER = datetime(2026, 12, 2, 0, 30, tzinfo=UTC)  # 19:30 on 1 December in New York


@pytest.fixture(autouse=True)
def organisation_zone(monkeypatch):
    monkeypatch.setenv("ORGANISATION_TIMEZONE", "America/New_York")


def test_only_a_published_post_dated_in_the_future_is_scheduled():
    assert is_scheduled("published", LATER, NOW)
    assert not is_scheduled("published", NOW, NOW)
    assert not is_scheduled("draft", LATER, NOW)
    assert not is_scheduled("published", None, NOW)


def test_the_label_is_the_time_on_the_organisation_clock():
    assert scheduled_label("published", LATER, NOW) == "2026-12-01 19:30 EST"
    assert scheduled_label("draft", LATER, NOW) == ""
    assert local_label(LATER, ZoneInfo("America/Chicago")) == "2026-12-01 18:30 CST"


def test_another_organisation_zone_changes_the_clock(monkeypatch):
    monkeypatch.setenv("ORGANISATION_TIMEZONE", "America/Caracas")
    assert local_label(LATER) == "2026-12-01 20:30 -04"


def test_the_form_field_reads_and_writes_the_organisation_clock():
    assert utc_to_local_input(LATER) == "2026-12-01T19:30"
    assert local_input_to_utc("2026-12-01T19:30") == LATER
    assert local_input_to_utc("") is None
    assert local_input_to_utc("not a date") is None
    assert utc_to_local_input(None) == ""
