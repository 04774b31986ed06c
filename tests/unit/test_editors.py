"""Admins' management of editor accounts: listing, disabling and roles, never leaving no admin."""

from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher

from vws_app.models import Editor
from vws_app.services import audit, auth, editors
from vws_app.services.editors import EditorNotFound, LastAdmin

PASSWORD = "correct horse battery"
T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Real argon2 with cheap parameters: these tests check behaviour, not hashing cost."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def admin(session):
    created = auth.create_editor(session, "root@example.org", PASSWORD, role="admin")
    session.commit()
    return created


@pytest.fixture
def editor(session):
    created = auth.create_editor(session, "ana@example.org", PASSWORD)
    session.commit()
    return created


def test_list_editors_is_ordered_by_email(session, admin, editor):
    assert [row.email for row in editors.list_editors(session)] == ["ana@example.org", "root@example.org"]


def test_disabling_an_editor_ends_their_sessions(session, admin, editor):
    token = auth.sign_in(session, "ana@example.org", PASSWORD, "client", now=T0)
    editors.set_editor_active(session, editor.id, False)
    session.commit()
    with pytest.raises(auth.NotAuthorised):
        auth.editor_for_token(session, token, now=T0)
    editors.set_editor_active(session, editor.id, True)
    session.commit()
    with pytest.raises(auth.NotAuthorised):  # re-enabling does not revive old sessions
        auth.editor_for_token(session, token, now=T0)
    assert auth.sign_in(session, "ana@example.org", PASSWORD, "client", now=T0)


def test_the_only_active_admin_cannot_be_disabled_or_demoted(session, admin, editor):
    with pytest.raises(LastAdmin):
        editors.set_editor_active(session, admin.id, False)
    with pytest.raises(LastAdmin):
        editors.change_role(session, admin.id, "editor")


def test_an_admin_can_be_demoted_once_another_admin_exists(session, admin, editor):
    editors.change_role(session, editor.id, "admin")
    editors.change_role(session, admin.id, "editor")
    session.commit()
    session.refresh(admin)
    assert admin.role == "editor"


def test_unknown_editor_id_raises_editor_not_found(session):
    with pytest.raises(EditorNotFound):
        editors.set_editor_active(session, 999, False)


def _entries(session) -> list[tuple[str, str, int | None, str]]:
    """Every audit entry as (who, action, entity id, summary), oldest first."""
    return [
        (entry.editor_email, entry.action, entry.entity_id, entry.summary) for entry in audit.recent_entries(session)
    ][::-1]


def test_each_change_by_an_admin_is_saved_with_its_audit_entry(session, admin, editor):
    added = editors.add_editor(session, admin, "luis@example.org", PASSWORD, display_name="Luis")
    editors.set_active_by(session, admin, added.id, False)
    editors.change_role_by(session, admin, editor.id, "admin")
    editors.require_two_factor_by(session, admin, True)
    session.rollback()  # everything above was committed by the services themselves
    assert _entries(session) == [
        ("root@example.org", "create", added.id, "luis@example.org"),
        ("root@example.org", "disable", added.id, ""),
        ("root@example.org", "update", editor.id, "role admin"),
        ("root@example.org", "enable", None, ""),
    ]
    assert session.get(Editor, editor.id).role == "admin"
    assert not session.get(Editor, added.id).is_active


def test_a_refused_change_leaves_neither_the_change_nor_an_entry(session, admin):
    with pytest.raises(LastAdmin):
        editors.set_active_by(session, admin, admin.id, False)
    session.rollback()
    with pytest.raises(auth.WeakPassword):
        editors.add_editor(session, admin, "weak@example.org", "short")
    session.rollback()
    assert _entries(session) == []
    assert session.get(Editor, admin.id).is_active
