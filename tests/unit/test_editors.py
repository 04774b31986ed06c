"""Admins' management of editor accounts: listing, disabling and roles, never leaving no admin."""

from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher

from vws_app.services import auth, editors
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
