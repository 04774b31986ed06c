"""What every editorial service shares: its errors, row lookup, audited commits and datetime checks."""

from datetime import datetime
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from vws_app.models import Editor, as_utc
from vws_app.services import audit
from vws_app.services.row_ids import id_of

Row = TypeVar("Row", bound=SQLModel)


class ValidationFailed(Exception):
    """Some fields are wrong; `errors` maps each field to a catalogue key ("admin_error_…")."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{field}: {key}" for field, key in errors.items()))
        self.errors = errors


class NotFound(Exception):
    """No row has this id (deleted meanwhile, or a tampered id)."""


def get_or_raise(session: Session, model: type[Row], row_id: int) -> Row:
    """The row of `model` with `row_id`.

    Raises:
        NotFound: there is none.
    """
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"no {model.__name__} with id {row_id}")
    return row


def save_audited(session: Session, row: Row, editor: Editor, action: str, entity: str, summary: str) -> Row:
    """Save `row` and its audit entry in one commit (flushed first so the entry names its id)."""
    session.add(row)
    session.flush()
    audit.record(session, editor, action, entity, id_of(row), summary)
    session.commit()
    session.refresh(row)
    return row


def delete_audited(session: Session, row: SQLModel, editor: Editor, entity: str, summary: str) -> None:
    """Delete `row` and record it, in one commit."""
    audit.record(session, editor, "delete", entity, id_of(row), summary)
    session.delete(row)
    session.commit()


def flush_or_conflict(session: Session) -> None:
    """Flush; a unique constraint broken by a simultaneous edit becomes a form error.

    Raises:
        ValidationFailed: {"form": "admin_error_conflict"}, after rolling back.
    """
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise ValidationFailed({"form": "admin_error_conflict"}) from error


def commit_or_conflict(session: Session) -> None:
    """Commit; a unique constraint broken by a simultaneous edit becomes a form error.

    Raises:
        ValidationFailed: {"form": "admin_error_conflict"}, after rolling back.
    """
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise ValidationFailed({"form": "admin_error_conflict"}) from error


def aware_or_none(moment: datetime | None) -> datetime | None:
    """`moment` in UTC.

    Raises:
        ValueError: `moment` is naive (the caller must say which zone a time is in).
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("datetimes given to the editorial services must be timezone-aware")
    return as_utc(moment)
