"""An editor's own account: their password and their signed-in sessions ("Your sessions")."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from vws_app.models import Editor, EditorSession, as_utc, utc_now
from vws_app.services import audit, auth
from vws_app.services.row_ids import id_of


class WrongCurrentPassword(auth.AuthError):
    """The current password typed before a change is not the editor's."""


@dataclass(frozen=True)
class SessionView:
    """What "Your sessions" shows of one session: never its token or its hash."""

    id: int
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    is_current: bool


def sessions_of(session: Session, editor_id: int, current_hash: str, now: datetime | None = None) -> list[SessionView]:
    """The editor's sessions that are still valid, the one of `current_hash` first, then newest first."""
    now = as_utc(now) if now else utc_now()
    rows = session.exec(
        select(EditorSession)
        .where(
            EditorSession.editor_id == editor_id,
            EditorSession.expires_at > now,
        )
        .order_by(col(EditorSession.last_seen_at).desc(), col(EditorSession.id).desc())
    ).all()
    views = [
        SessionView(
            id_of(row), row.user_agent, as_utc(row.created_at), as_utc(row.last_seen_at), row.token_hash == current_hash
        )
        for row in rows
    ]
    return sorted(views, key=lambda view: not view.is_current)


def sign_out_session(session: Session, editor_id: int, session_id: int) -> bool:
    """End one of the editor's own sessions (another editor's id does nothing); whether one ended. Does not commit."""
    return bool(
        session.exec(
            delete(EditorSession).where(col(EditorSession.id) == session_id, col(EditorSession.editor_id) == editor_id)
        ).rowcount
    )


def sign_out_others(session: Session, editor_id: int, current_hash: str) -> int:
    """End every session of the editor but the one of `current_hash`; how many. Does not commit."""
    return session.exec(
        delete(EditorSession).where(
            col(EditorSession.editor_id) == editor_id, col(EditorSession.token_hash) != current_hash
        )
    ).rowcount


def change_password(session: Session, editor: Editor, current: str, new: str, current_hash: str) -> int:
    """Set a new password once the current one is proven; every other session ends. How many ended.

    Commits the change with its audit entry.

    Raises:
        WrongCurrentPassword: `current` is not the editor's password.
        auth.WeakPassword: `new` breaks the password rules.
    """
    if len(current) > auth.PASSWORD_MAX_LENGTH or not auth.verify_password(editor.password_hash, current):
        raise WrongCurrentPassword("the current password is wrong")
    auth.check_password_policy(new, editor.email)
    editor.password_hash = auth.hash_password(new)
    session.add(editor)
    ended = sign_out_others(session, id_of(editor), current_hash)
    audit.record(session, editor, "update", "password", editor.id)
    session.commit()
    return ended
