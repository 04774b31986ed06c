"""What migration 0002 adds outside the SQLModel tables, so autogenerate leaves it alone.

`alembic/env.py` passes `include_object` to its own runs. Reflex's comparisons (the check
`reflex run` makes at start, and `reflex db makemigrations`) configure Alembic themselves
without env.py, so without more they saw the search tables as "to be dropped": the start-up
warned "Detected database schema changes" and makemigrations wrote a migration dropping
them. `ignore_search_index_everywhere` adds the same filter to every autogenerate comparison
in the process, through Alembic's global comparator registry, so both agree with env.py.
"""

from alembic.autogenerate.compare import comparators
from alembic.util import DispatchPriority, PriorityDispatchResult

# Every object of the search index is named with this prefix: the FTS5 table and its shadow
# tables (search_index_data, …) on SQLite, the table and its GIN index on PostgreSQL.
SEARCH_OBJECT_PREFIX = "search_index"


def include_object(obj, name: str | None, type_: str, reflected: bool, compare_to) -> bool:
    """Alembic's filter: False for the search index's tables and indexes, True for all else."""
    return not (name or "").startswith(SEARCH_OBJECT_PREFIX)


_registered = False


def _add_search_filter(autogen_context, upgrade_ops) -> PriorityDispatchResult:
    """Before any comparison runs: the context filters with `include_object` (once).

    `_object_filters` is where Alembic keeps the `include_object` given to `configure`;
    Reflex gives none, so this is the only way in without changing Reflex.
    """
    if include_object not in autogen_context._object_filters:
        autogen_context._object_filters.append(include_object)
    return PriorityDispatchResult.CONTINUE


def ignore_search_index_everywhere() -> None:
    """Make every autogenerate comparison in this process skip the search index (idempotent)."""
    global _registered
    if not _registered:
        comparators.dispatch_for("autogenerate", priority=DispatchPriority.FIRST)(_add_search_filter)
        _registered = True
