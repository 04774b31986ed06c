"""The id of a stored row as an `int`, for code that needs one.

SQLModel types every `id` as `int | None`, because it is None until the row is first flushed; the
rows services hand on have all been stored, and this says so in one place instead of at each use."""

from collections.abc import Iterable


def id_of(row: object) -> int:
    """`row.id` of any table row; raises `ValueError` for a row never flushed, which would otherwise
    fail later and further away (a NOT NULL error, or a query that quietly matches nothing)."""
    row_id = getattr(row, "id", None)
    if not isinstance(row_id, int):
        raise ValueError(f"{type(row).__name__} has no id: it was never saved")
    return row_id


def stored_ids(ids: Iterable[int | None]) -> list[int]:
    """Ids read back from the database (where a primary key is never NULL), as a list of `int`."""
    return [row_id for row_id in ids if row_id is not None]
