"""The editors' services for events, allied organisations and the site's texts."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from tests.unit.content_builders import add_ally
from vws_app.models import AllyLink, AuditEntry, Event, SiteText, as_utc
from vws_app.services import content, editorial
from vws_app.services.editorial import AllyInput, EventInput, NotFound, ValidationFailed

CARACAS = ZoneInfo("America/Caracas")
START = datetime(2030, 3, 1, 18, 30, tzinfo=CARACAS)


def audit_actions(session: Session, entity: str) -> list[tuple[str, int | None]]:
    rows = session.exec(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)).all()
    return [(row.action, row.entity_id) for row in rows]


def meeting(**fields) -> EventInput:
    values = {"title_en": "Assembly", "title_es": "Asamblea", "starts_at": START, "timezone": "America/Caracas"}
    return EventInput(**(values | fields))


def test_event_is_stored_in_utc_with_its_audit_entry(session, engine, editor):
    created = editorial.create_event(
        session, meeting(ends_at=START + timedelta(hours=2), online_url="https://meet.example.org/vws"), editor
    )
    with Session(engine) as other:
        stored = other.get(Event, created.id)
        [entry] = other.exec(select(AuditEntry)).all()
    assert as_utc(stored.starts_at) == datetime(2030, 3, 1, 22, 30, tzinfo=UTC)
    assert as_utc(stored.ends_at) == datetime(2030, 3, 2, 0, 30, tzinfo=UTC)
    assert (stored.title_es, stored.timezone, stored.online_url) == (
        "Asamblea",
        "America/Caracas",
        "https://meet.example.org/vws",
    )
    assert (entry.action, entry.entity, entry.entity_id, entry.editor_id) == ("create", "event", created.id, editor.id)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"title_en": "  "}, {"title_en": "admin_error_title_required"}),
        ({"title_en": "t" * 301}, {"title_en": "admin_error_title_too_long"}),
        ({"starts_at": None}, {"starts_at": "admin_error_starts_at_required"}),
        ({"ends_at": START - timedelta(minutes=1)}, {"ends_at": "admin_error_ends_before_start"}),
        ({"timezone": "Mars/Olympus_Mons"}, {"timezone": "admin_error_timezone_invalid"}),
        ({"timezone": ""}, {"timezone": "admin_error_timezone_invalid"}),
        ({"online_url": "javascript:alert(1)"}, {"online_url": "admin_error_url_invalid"}),
        ({"online_url": "https://"}, {"online_url": "admin_error_url_invalid"}),
        ({"online_url": "meet.example.org"}, {"online_url": "admin_error_url_invalid"}),
        ({"place": "p" * 301}, {"place": "admin_error_too_long"}),
    ],
)
def test_wrong_event_fields_are_refused_and_nothing_is_saved(session, editor, fields, errors):
    with pytest.raises(ValidationFailed) as failed:
        editorial.create_event(session, meeting(**fields), editor)
    assert failed.value.errors == errors
    assert session.exec(select(Event)).all() == [] and audit_actions(session, "event") == []


def test_event_may_end_when_it_starts_and_needs_no_link(session, editor):
    event = editorial.create_event(session, meeting(ends_at=START, online_url=""), editor)
    assert as_utc(event.ends_at) == as_utc(event.starts_at)


def test_naive_event_time_is_a_programming_error(session, editor):
    with pytest.raises(ValueError):
        editorial.create_event(session, meeting(starts_at=datetime(2030, 3, 1, 18, 30)), editor)


def test_event_update_and_delete_are_audited(session, editor):
    event = editorial.create_event(session, meeting(), editor)
    changed = editorial.update_event(session, event.id, meeting(title_en="General assembly", place="Queens"), editor)
    assert (changed.title_en, changed.place) == ("General assembly", "Queens")
    editorial.delete_event(session, event.id, editor)
    assert session.get(Event, event.id) is None
    assert audit_actions(session, "event") == [("create", event.id), ("update", event.id), ("delete", event.id)]
    with pytest.raises(NotFound):
        editorial.update_event(session, event.id, meeting(), editor)
    with pytest.raises(NotFound):
        editorial.delete_event(session, event.id, editor)


def test_admin_event_list_holds_past_and_future_latest_first(session, editor):
    past = editorial.create_event(session, meeting(title_en="Past", starts_at=datetime(2020, 1, 1, tzinfo=UTC)), editor)
    future = editorial.create_event(session, meeting(title_en="Future"), editor)
    assert [event.id for event in editorial.list_events_admin(session)] == [future.id, past.id]


def test_new_allies_are_appended_at_the_end(session, editor):
    add_ally(session, "Existing", 7)
    ally = editorial.create_ally(
        session, AllyInput("Sindicato Unido", " https://sindicato.example.org ", "A union", "Un sindicato"), editor
    )
    assert (ally.position, ally.url) == (8, "https://sindicato.example.org")
    assert [view.name for view in content.allies(session, "es")] == ["Existing", "Sindicato Unido"]
    assert content.allies(session, "es")[1].description == "Un sindicato"
    assert audit_actions(session, "ally") == [("create", ally.id)]


def test_first_ally_gets_position_zero(session, editor):
    assert editorial.create_ally(session, AllyInput("First", "http://first.example.org"), editor).position == 0


@pytest.mark.parametrize(
    ("name", "url", "errors"),
    [
        ("", "https://example.org", {"name": "admin_error_name_required"}),
        ("n" * 201, "https://example.org", {"name": "admin_error_too_long"}),
        ("Ally", "", {"url": "admin_error_url_required"}),
        ("Ally", "javascript:alert(1)", {"url": "admin_error_url_invalid"}),
        ("Ally", "ftp://example.org", {"url": "admin_error_url_invalid"}),
        ("Ally", "http://", {"url": "admin_error_url_invalid"}),
        ("Ally", "https://exa mple.org", {"url": "admin_error_url_invalid"}),
        ("Ally", "https://example.org/" + "x" * 500, {"url": "admin_error_url_invalid"}),
    ],
)
def test_wrong_ally_fields_are_refused(session, editor, name, url, errors):
    with pytest.raises(ValidationFailed) as failed:
        editorial.create_ally(session, AllyInput(name, url), editor)
    assert failed.value.errors == errors
    assert session.exec(select(AllyLink)).all() == []


def test_ally_update_keeps_its_place_and_delete_is_audited(session, editor):
    first = editorial.create_ally(session, AllyInput("First", "https://first.example.org"), editor)
    second = editorial.create_ally(session, AllyInput("Second", "https://second.example.org"), editor)
    renamed = editorial.update_ally(session, first.id, AllyInput("First renamed", "https://first.example.org"), editor)
    assert renamed.position == 0
    editorial.delete_ally(session, first.id, editor)
    assert [ally.id for ally in editorial.list_allies_admin(session)] == [second.id]
    assert audit_actions(session, "ally")[-2:] == [("update", first.id), ("delete", first.id)]
    with pytest.raises(NotFound):
        editorial.update_ally(session, first.id, AllyInput("X", "https://x.example.org"), editor)
    with pytest.raises(NotFound):
        editorial.delete_ally(session, first.id, editor)


def test_moving_an_ally_swaps_it_with_its_neighbour(session, editor):
    names = ["Alpha", "Beta", "Gamma"]
    ids = [editorial.create_ally(session, AllyInput(name, "https://example.org"), editor).id for name in names]
    order = editorial.move_ally(session, ids[2], -1, editor)
    assert [ally.name for ally in order] == ["Alpha", "Gamma", "Beta"]
    editorial.move_ally(session, ids[0], +1, editor)
    assert [view.name for view in content.allies(session, "en")] == ["Gamma", "Alpha", "Beta"]
    assert audit_actions(session, "ally")[-2:] == [("move", ids[2]), ("move", ids[0])]


def test_moving_past_either_end_changes_and_records_nothing(session, editor):
    top = editorial.create_ally(session, AllyInput("Top", "https://top.example.org"), editor)
    bottom = editorial.create_ally(session, AllyInput("Bottom", "https://bottom.example.org"), editor)
    editorial.move_ally(session, top.id, -1, editor)
    editorial.move_ally(session, bottom.id, +1, editor)
    assert [ally.name for ally in editorial.list_allies_admin(session)] == ["Top", "Bottom"]
    assert [action for action, _ in audit_actions(session, "ally")] == ["create", "create"]


def test_moving_works_when_older_rows_share_a_position(session, editor):
    for name in ("One", "Two", "Three"):
        add_ally(session, name, 0)
    three = session.exec(select(AllyLink).where(AllyLink.name == "Three")).one()
    order = editorial.move_ally(session, three.id, -1, editor)
    assert [(ally.name, ally.position) for ally in order] == [("One", 0), ("Three", 1), ("Two", 2)]


def test_move_direction_must_be_one_step(session, editor):
    ally = editorial.create_ally(session, AllyInput("Ally", "https://example.org"), editor)
    with pytest.raises(ValueError):
        editorial.move_ally(session, ally.id, 2, editor)
    with pytest.raises(NotFound):
        editorial.move_ally(session, 9999, 1, editor)


def test_site_text_is_created_then_updated_in_place(session, editor):
    created = editorial.update_site_text(session, "mission", "es", "Nuestra misión", editor)
    updated = editorial.update_site_text(session, "mission", "es", "  Nuestra misión, mejor  ", editor)
    assert created.id == updated.id and updated.body == "Nuestra misión, mejor"
    assert len(session.exec(select(SiteText)).all()) == 1
    assert content.site_texts(session, "es")["mission"] == "Nuestra misión, mejor"
    assert audit_actions(session, "site_text") == [("update", created.id), ("update", created.id)]


@pytest.mark.parametrize(
    ("key", "language", "body", "errors"),
    [
        ("vision", "en", "Text", {"key": "admin_error_site_text_key_invalid"}),
        ("goal", "fr", "Texte", {"language": "admin_error_language_invalid"}),
        ("goal", "en", "   ", {"body": "admin_error_body_required"}),
    ],
)
def test_wrong_site_text_is_refused(session, editor, key, language, body, errors):
    with pytest.raises(ValidationFailed) as failed:
        editorial.update_site_text(session, key, language, body, editor)
    assert failed.value.errors == errors
    assert session.exec(select(SiteText)).all() == []


def test_site_texts_for_the_form_fill_every_key_and_language(session, editor):
    editorial.update_site_text(session, "goal", "en", "Our goal", editor)
    assert editorial.site_texts_admin(session) == {
        ("mission", "en"): "",
        ("mission", "es"): "",
        ("goal", "en"): "Our goal",
        ("goal", "es"): "",
    }
