"""full-text search: FTS5 (SQLite) or tsvector + GIN (PostgreSQL), kept in step by triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:00:00

The index lives in the database, and triggers on `post` and `event` keep it in step, so no
code path (admin, CLI, seeding, a hand-typed UPDATE) can forget it. Only published posts are
indexed; the search also checks the publish date, since a scheduled post becomes visible
without any write. Each event is indexed once per language it has text in. Each entry
carries what a result shows (slug, date), so a search reads the index alone.

Caution for later migrations: on SQLite a batch ("move and copy") migration of `post` or
`event` drops that table's triggers; such a migration must run SQLITE_TRIGGERS again.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# SQLite: the words in an FTS5 table, and what a search filters and sorts on in a plain table
# beside it (FTS5 reads a whole stored row, body included, to return any one column). Both
# share the id: post id * 4, or event id * 4 + 1 (English) / + 2 (Spanish).
# {r} is "new." inside a trigger and "" in the backfill, {source} is "" or "FROM <table>".
_POST_ENTRY = """SELECT {r}id * 4, 'post', {r}id, {r}language, {r}slug, {r}published_at {source}
    WHERE {r}status = 'published'"""
_POST_TEXT = """SELECT {r}id * 4, {r}title,
        CASE WHEN {r}body = '' OR {r}body = {r}excerpt THEN {r}excerpt ELSE {r}excerpt || char(10) || {r}body END
    {source} WHERE {r}status = 'published'"""
_HAS_SPANISH = "{r}title_es <> '' OR {r}description_es <> ''"
_EVENT_ENTRY = f"""SELECT {{r}}id * 4 + 1, 'event', {{r}}id, 'en', '', {{r}}starts_at {{source}}
    UNION ALL SELECT {{r}}id * 4 + 2, 'event', {{r}}id, 'es', '', {{r}}starts_at {{source}} WHERE {_HAS_SPANISH}"""
_EVENT_TEXT = f"""SELECT {{r}}id * 4 + 1, {{r}}title_en, {{r}}description_en {{source}}
    UNION ALL SELECT {{r}}id * 4 + 2, CASE WHEN {{r}}title_es <> '' THEN {{r}}title_es ELSE {{r}}title_en END,
        {{r}}description_es {{source}} WHERE {_HAS_SPANISH}"""
_ADD_ENTRY = "INSERT INTO search_index_entry (id, kind, ref_id, language, slug, moment) "
_ADD_TEXT = "INSERT INTO search_index (rowid, title, body) "


def _sqlite_sync(table: str, entry: str, words: str, ids: str) -> list[str]:
    """The three triggers that mirror `table` into the index."""
    new_rows = f"{_ADD_ENTRY} {entry.format(r='new.', source='')}; {_ADD_TEXT} {words.format(r='new.', source='')};"
    drop_old = f"DELETE FROM search_index_entry WHERE id IN ({ids}); DELETE FROM search_index WHERE rowid IN ({ids});"
    columns = {
        "post": "id, language, title, excerpt, body, status, slug, published_at",
        "event": "id, title_en, title_es, description_en, description_es, starts_at",
    }[table]
    return [
        f"CREATE TRIGGER search_index_{table}_insert AFTER INSERT ON {table} BEGIN {new_rows} END",
        f"CREATE TRIGGER search_index_{table}_update AFTER UPDATE OF {columns} ON {table} BEGIN "
        f"{drop_old} {new_rows} END",
        f"CREATE TRIGGER search_index_{table}_delete AFTER DELETE ON {table} BEGIN {drop_old} END",
    ]


SQLITE_TRIGGERS = [
    *_sqlite_sync("post", _POST_ENTRY, _POST_TEXT, "old.id * 4"),
    *_sqlite_sync("event", _EVENT_ENTRY, _EVENT_TEXT, "old.id * 4 + 1, old.id * 4 + 2"),
]
SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_index USING fts5(
        title, body, tokenize = "unicode61 remove_diacritics 2", prefix = '2 3')""",
    """CREATE TABLE search_index_entry (
        id INTEGER PRIMARY KEY,
        kind VARCHAR(10) NOT NULL,
        ref_id INTEGER NOT NULL,
        language VARCHAR(2) NOT NULL,
        slug VARCHAR(200) NOT NULL,
        moment DATETIME)""",
    *SQLITE_TRIGGERS,
    _ADD_ENTRY + _POST_ENTRY.format(r="", source="FROM post"),
    _ADD_TEXT + _POST_TEXT.format(r="", source="FROM post"),
    _ADD_ENTRY + _EVENT_ENTRY.format(r="", source="FROM event"),
    _ADD_TEXT + _EVENT_TEXT.format(r="", source="FROM event"),
]
SQLITE_DOWN = [
    *(f"DROP TRIGGER IF EXISTS search_index_{table}_{action}"
      for table in ("post", "event") for action in ("insert", "update", "delete")),
    "DROP TABLE IF EXISTS search_index_entry",
    "DROP TABLE IF EXISTS search_index",
]

# PostgreSQL: copies of the english and spanish configurations that pass every word through
# unaccent before stemming. Folding inside the configuration (the unaccent docs' own recipe)
# means ts_headline marks "Democrática" for the query "democratica", which a document
# unaccented before to_tsvector cannot do. The tsvector is a stored column filled by the
# triggers, so no index expression needs an immutable unaccent wrapper.
PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION vws_english (COPY = pg_catalog.english)",
    "ALTER TEXT SEARCH CONFIGURATION vws_english "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    "CREATE TEXT SEARCH CONFIGURATION vws_spanish (COPY = pg_catalog.spanish)",
    "ALTER TEXT SEARCH CONFIGURATION vws_spanish "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem",
    # id is the same as on SQLite (post id * 4, event id * 4 + 1 / + 2): no index has the
    # language in it, so the planner always takes the GIN index of the half it is running.
    """CREATE TABLE search_index (
        id bigint PRIMARY KEY,
        kind varchar(10) NOT NULL,
        ref_id integer NOT NULL,
        language varchar(2) NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        slug varchar(200) NOT NULL,
        moment timestamptz,
        document tsvector NOT NULL)""",
    # A search reads a few pages of this table; starting parallel workers would cost more (~15 ms).
    "ALTER TABLE search_index SET (parallel_workers = 0)",
    # One GIN index per configuration: each half of a search reads only its own language's rows.
    "CREATE INDEX search_index_spanish_gin ON search_index USING gin (document) WHERE language = 'es'",
    "CREATE INDEX search_index_english_gin ON search_index USING gin (document) WHERE language <> 'es'",
    """CREATE FUNCTION search_index_config(language text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT CASE WHEN language = 'es' THEN 'vws_spanish'::regconfig
                          ELSE 'vws_english'::regconfig END $$""",
    """CREATE FUNCTION search_index_add(id bigint, kind text, ref_id integer, language text, title text,
                                        body text, slug text, moment timestamptz) RETURNS void
        LANGUAGE sql AS $$
        INSERT INTO search_index VALUES (id, kind, ref_id, language, title, body, slug, moment,
            setweight(to_tsvector(search_index_config(language), title), 'A')
            || setweight(to_tsvector(search_index_config(language), body), 'B')) $$""",
    """CREATE FUNCTION search_index_post_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM search_index WHERE id = OLD.id * 4;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' THEN
            PERFORM search_index_add(NEW.id * 4, 'post', NEW.id, NEW.language, NEW.title,
                CASE WHEN NEW.body = '' OR NEW.body = NEW.excerpt THEN NEW.excerpt
                     ELSE NEW.excerpt || E'\\n' || NEW.body END,
                NEW.slug, NEW.published_at);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION search_index_event_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM search_index WHERE id IN (OLD.id * 4 + 1, OLD.id * 4 + 2);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM search_index_add(NEW.id * 4 + 1, 'event', NEW.id, 'en', NEW.title_en, NEW.description_en,
                '', NEW.starts_at);
            IF NEW.title_es <> '' OR NEW.description_es <> '' THEN
                PERFORM search_index_add(NEW.id * 4 + 2, 'event', NEW.id, 'es',
                    coalesce(nullif(NEW.title_es, ''), NEW.title_en), NEW.description_es, '', NEW.starts_at);
            END IF;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_index_post_sync
        AFTER INSERT OR DELETE OR UPDATE OF id, language, title, excerpt, body, status, slug, published_at ON post
        FOR EACH ROW EXECUTE FUNCTION search_index_post_sync()""",
    """CREATE TRIGGER search_index_event_sync
        AFTER INSERT OR DELETE OR UPDATE OF id, title_en, title_es, description_en, description_es, starts_at
        ON event
        FOR EACH ROW EXECUTE FUNCTION search_index_event_sync()""",
    """SELECT search_index_add(id * 4, 'post', id, language, title,
            CASE WHEN body = '' OR body = excerpt THEN excerpt ELSE excerpt || E'\\n' || body END, slug, published_at)
        FROM post WHERE status = 'published'""",
    """SELECT search_index_add(id * 4 + 1, 'event', id, 'en', title_en, description_en, '', starts_at) FROM event""",
    """SELECT search_index_add(id * 4 + 2, 'event', id, 'es', coalesce(nullif(title_es, ''), title_en),
            description_es, '', starts_at)
        FROM event WHERE title_es <> '' OR description_es <> ''""",
]

PG_DOWN = [
    "DROP TRIGGER IF EXISTS search_index_post_sync ON post",
    "DROP TRIGGER IF EXISTS search_index_event_sync ON event",
    "DROP FUNCTION IF EXISTS search_index_post_sync()",
    "DROP FUNCTION IF EXISTS search_index_event_sync()",
    "DROP TABLE IF EXISTS search_index",
    "DROP FUNCTION IF EXISTS search_index_add(bigint, text, integer, text, text, text, text, timestamptz)",
    "DROP FUNCTION IF EXISTS search_index_config(text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS vws_english",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS vws_spanish",
    # The unaccent extension stays: it may have been there before, and other objects may use it.
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
    raise NotImplementedError(f"full-text search is not written for {dialect}")


def upgrade() -> None:
    for statement in _statements(SQLITE_UP, PG_UP):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(SQLITE_DOWN, PG_DOWN):
        op.execute(statement)
