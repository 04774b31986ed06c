"""What migration 0002 adds outside the SQLModel tables, so autogenerate leaves it alone."""

# Every object of the search index is named with this prefix: the FTS5 table and its shadow
# tables (search_index_data, …) on SQLite, the table and its GIN index on PostgreSQL.
SEARCH_OBJECT_PREFIX = "search_index"


def include_object(obj, name: str | None, type_: str, reflected: bool, compare_to) -> bool:
    """Alembic's filter: False for the search index's tables and indexes, True for all else."""
    return not (name or "").startswith(SEARCH_OBJECT_PREFIX)
