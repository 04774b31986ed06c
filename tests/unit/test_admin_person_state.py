"""Find a person is for admins: an editor's valid session finds, exports and erases nothing; an admin's does all three."""

import json
from base64 import b64decode

from sqlmodel import select

from tests.unit.test_admin_access import (  # noqa: F401  (fixtures: the seeded world, cheap argon2)
    EDITOR_EMAIL,
    fast_password_hashing,
    leaks,
    new_tab,
    send,
    table_snapshot,
    token_of,
    world,
)
from vws_app.models import AuditEntry, ContactMessage
from vws_app.services.database import open_session
from vws_app.state.admin_person import AdminPersonState

FORM = {"person_form": {"email": "CANARY-sender@Example.org"}}


def test_an_editor_session_can_neither_find_nor_export_nor_erase(world):
    root = new_tab(world, token_of("valid", email=EDITOR_EMAIL))
    before = table_snapshot()
    for name, payload in (("show_person", FORM), ("export_json", {}), ("erase_everywhere", {})):
        outcome = send(root, AdminPersonState, name, payload)
        assert outcome.error is None, repr(outcome.error)
        assert not leaks(root, outcome), name
        assert not outcome.frontend, name
    assert table_snapshot() == before


def test_an_admin_finds_exports_and_erases_the_address_it_found(world):
    root = new_tab(world, token_of("valid"))
    assert send(root, AdminPersonState, "show_person", {"person_form": {"email": "not an address"}}).error is None
    state = root.get_substate(AdminPersonState.get_full_name().split("."))
    assert state.notice == "admin_person_invalid" and not state.records

    assert send(root, AdminPersonState, "show_person", FORM).error is None
    assert state.address == "canary-sender@example.org"
    assert {row["kind"] for row in state.records} == {"contact_message", "contact_note"}

    outcome = send(root, AdminPersonState, "export_json", {})
    download = next(event for event in outcome.frontend if event.name == "_download")
    assert "canary-sender" not in download.payload["filename"]
    data_url = str(download.payload["url"])
    document = json.loads(b64decode(data_url.split(",", 1)[1]))
    assert document["counts"]["contact_message"] == 1

    assert send(root, AdminPersonState, "erase_everywhere", {}).error is None
    assert state.notice == "admin_person_erased" and state.erased_total == 2 and not state.records
    with open_session() as session:
        assert session.get(ContactMessage, world.ids[ContactMessage]) is None
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "erase_person")).one()
        assert "canary-sender" not in entry.summary and "contact_message=1" in entry.summary
