"""Admins' management of editor accounts: list them, add, disable or enable them, change roles.

The functions taking the acting `admin` save the change and its audit entry in one commit,
like every other editor's save; the others flush only and are their building blocks.
"""

from sqlmodel import Session, select

from vws_app.models import Editor, EditorRole
from vws_app.services import audit, two_factor
from vws_app.services.auth import AuthError, create_editor, end_sessions_of, parse_role
from vws_app.services.row_ids import id_of


class EditorNotFound(AuthError):
    """No editor has this id."""


class LastAdmin(AuthError):
    """The change would leave the site without an active admin, and so nobody to manage editors."""


def list_editors(session: Session) -> list[Editor]:
    """Every editor, active or not, by email."""
    return list(session.exec(select(Editor).order_by(Editor.email)).all())


def _editor_by_id(session: Session, editor_id: int) -> Editor:
    editor = session.get(Editor, editor_id)
    if editor is None:
        raise EditorNotFound(f"no editor with id {editor_id}")
    return editor


def _ensure_another_active_admin(session: Session, editor: Editor) -> None:
    """Raise LastAdmin when `editor` is the only active admin."""
    if editor.role != EditorRole.ADMIN.value or not editor.is_active:
        return
    admin = EditorRole.ADMIN.value
    others = select(Editor.id).where(Editor.role == admin, Editor.is_active, Editor.id != editor.id)
    if session.exec(others).first() is None:
        raise LastAdmin("the site needs at least one active admin")


def set_editor_active(session: Session, editor_id: int, active: bool) -> Editor:
    """Enable or disable an editor; disabling also ends their sessions.

    Flushes but does not commit: the caller commits together with its audit entry.

    Raises:
        EditorNotFound: no such editor.
        LastAdmin: disabling the only active admin.
    """
    editor = _editor_by_id(session, editor_id)
    if not active:
        _ensure_another_active_admin(session, editor)
        end_sessions_of(session, id_of(editor))
    editor.is_active = active
    session.add(editor)
    session.flush()
    return editor


def change_role(session: Session, editor_id: int, role: str) -> Editor:
    """Make an editor an admin or a plain editor. Flushes but does not commit (see above).

    Raises:
        EditorNotFound: no such editor.
        LastAdmin: demoting the only active admin.
        ValueError: `role` is not 'admin' or 'editor'.
    """
    role = parse_role(role)
    editor = _editor_by_id(session, editor_id)
    if role != EditorRole.ADMIN.value:
        _ensure_another_active_admin(session, editor)
    editor.role = role
    session.add(editor)
    session.flush()
    return editor


def _audited(
    session: Session, admin: Editor, action: str, entity: str, entity_id: int | None, summary: str = ""
) -> None:
    """Record what `admin` just changed and commit the change and its entry together."""
    audit.record(session, admin, action, entity, entity_id, summary)
    session.commit()


def add_editor(
    session: Session, admin: Editor, email: str, password: str, role: str = "editor", display_name: str = ""
) -> Editor:
    """A new account added by `admin`, audited (raises as `auth.create_editor` does, nothing saved then)."""
    editor = create_editor(session, email, password, role=role, display_name=display_name)
    _audited(session, admin, "create", "editor", editor.id, editor.email)
    return editor


def set_active_by(session: Session, admin: Editor, editor_id: int, active: bool) -> Editor:
    """`set_editor_active` on `admin`'s behalf, audited."""
    editor = set_editor_active(session, editor_id, active)
    _audited(session, admin, "enable" if active else "disable", "editor", editor_id)
    return editor


def change_role_by(session: Session, admin: Editor, editor_id: int, role: str) -> Editor:
    """`change_role` on `admin`'s behalf, audited."""
    editor = change_role(session, editor_id, role)
    _audited(session, admin, "update", "editor", editor_id, f"role {editor.role}")
    return editor


def require_two_factor_by(session: Session, admin: Editor, required: bool) -> None:
    """Require two-factor sign-in of every editor (or stop requiring it) on `admin`'s behalf, audited."""
    two_factor.set_required(session, required)
    _audited(session, admin, "enable" if required else "disable", "two_factor_policy", None)
