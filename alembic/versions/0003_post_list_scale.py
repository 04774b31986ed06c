"""post lists at scale: an index to walk published posts newest first, and a stamp of post writes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 13:00:00

`ix_post_published (status, published_at, id, language, translation_key)` is the public lists'
order, so a list page reads the newest published rows in order and stops after one page,
instead of sorting every visible post; with language and translation key in it, counting the
visible posts, the archive and skipping to a far page read this index alone (bench/README.md §4).

`posttablestamp` holds one value that a trigger replaces with a random one on every insert,
update or delete of `post`, whoever writes. Counts of visible posts (list totals, archive
months) are cached while it is unchanged (`vws_app/services/post_counts.py`). A random value,
not a counter: a database emptied and refilled, or restored from a backup, can never match a
cached stamp by accident unless its posts are the same. On PostgreSQL the trigger runs once
per statement, so a bulk insert updates the stamp row once.

Caution for later migrations (as in 0002): on SQLite a batch ("move and copy") migration of
`post` drops its triggers; such a migration must run SQLITE_TRIGGERS again.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_SQLITE_NEW_STAMP = "INSERT OR REPLACE INTO posttablestamp (id, stamp) VALUES (1, random());"
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER post_table_stamp_{action} AFTER {action.upper()} ON post BEGIN {_SQLITE_NEW_STAMP} END"
    for action in ("insert", "update", "delete")
]
SQLITE_UP = [*SQLITE_TRIGGERS, _SQLITE_NEW_STAMP.rstrip(";")]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS post_table_stamp_{action}" for action in ("insert", "update", "delete")]

# random() is a double in [0, 1): scaled to well inside bigint, it still carries 52 random bits.
_PG_NEW_STAMP = """INSERT INTO posttablestamp (id, stamp) VALUES (1, (random() * 4e18)::bigint)
    ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp"""
PG_UP = [
    f"""CREATE FUNCTION post_table_stamp_renew() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_PG_NEW_STAMP};
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER post_table_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON post
        FOR EACH STATEMENT EXECUTE FUNCTION post_table_stamp_renew()""",
    _PG_NEW_STAMP,
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS post_table_stamp ON post",
    "DROP FUNCTION IF EXISTS post_table_stamp_renew()",
]


def _statements(sqlite: list[str], postgresql: list[str]) -> list[str]:
    """The statements for the engine this migration runs on.

    Raises:
        NotImplementedError: on an engine the site does not support.
    """
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite
    if dialect == "postgresql":
        return postgresql
    raise NotImplementedError(f"the post stamp triggers are not written for {dialect}")


def upgrade() -> None:
    # Plain (not batch) operations: a batch copy of `post` on SQLite would drop 0002's triggers.
    op.create_index(
        "ix_post_published", "post", ["status", "published_at", "id", "language", "translation_key"], unique=False
    )
    op.create_table(
        "posttablestamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for statement in _statements(SQLITE_UP, PG_UP):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(SQLITE_DOWN, PG_DOWN):
        op.execute(statement)
    op.drop_table("posttablestamp")
    op.drop_index("ix_post_published", table_name="post")
