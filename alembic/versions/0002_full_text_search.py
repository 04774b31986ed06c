"""full-text search: an FTS5 table (SQLite) or a tsvector table (PostgreSQL), kept in step by triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:00:00

The index lives in the database, and triggers on `post` and `event` keep it in step, so no
code path (admin, CLI, seeding, a hand-typed UPDATE) can forget it. Only published posts are
indexed; the search query also checks the publish date, since a scheduled post becomes
visible without any write. Each event is indexed once per language it has text in. Each row
carries what a result shows (slug, date), so a search reads the index alone.

Caution for later migrations: on SQLite, a batch ("move and copy") migration of `post` or
`event` drops their triggers with the old table; re-run `_create_sqlite` there.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# SQLite: FTS5 rowid = id * 4 + slot, so a trigger finds a row's entries without a scan.
_SQLITE_POST_ROW = """
    SELECT new.id * 4, 'post', new.id, new.language, new.title,
           CASE WHEN new.body = '' OR new.body = new.excerpt THEN new.excerpt
                ELSE new.excerpt || char(10) || new.body END,
           new.slug, new.published_at
    WHERE new.status = 'published'
"""
_SQLITE_EVENT_ROWS = """
    SELECT new.id * 4 + 1, 'event', new.id, 'en', new.title_en, new.description_en, '', new.starts_at
    UNION ALL
    SELECT new.id * 4 + 2, 'event', new.id, 'es', CASE WHEN new.title_es <> '' THEN new.title_es ELSE new.title_en END,
           new.description_es, '', new.starts_at
    WHERE new.title_es <> '' OR new.description_es <> ''
"""
_SQLITE_COLUMNS = "INSERT INTO search_index (rowid, kind, ref_id, language, title, body, slug, moment)"

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_index USING fts5(
        title, body, kind UNINDEXED, ref_id UNINDEXED, language UNINDEXED, slug UNINDEXED, moment UNINDEXED,
        tokenize = "unicode61 remove_diacritics 2", prefix = '2 3')""",
    f"CREATE TRIGGER search_index_post_insert AFTER INSERT ON post BEGIN {_SQLITE_COLUMNS} {_SQLITE_POST_ROW}; END",
    f"""CREATE TRIGGER search_index_post_update
        AFTER UPDATE OF id, language, title, excerpt, body, status, slug, published_at ON post BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4;
        {_SQLITE_COLUMNS} {_SQLITE_POST_ROW};
    END""",
    "CREATE TRIGGER search_index_post_delete AFTER DELETE ON post BEGIN "
    "DELETE FROM search_index WHERE rowid = old.id * 4; END",
    f"CREATE TRIGGER search_index_event_insert AFTER INSERT ON event BEGIN {_SQLITE_COLUMNS} {_SQLITE_EVENT_ROWS}; END",
    f"""CREATE TRIGGER search_index_event_update
        AFTER UPDATE OF id, title_en, title_es, description_en, description_es, starts_at ON event BEGIN
        DELETE FROM search_index WHERE rowid IN (old.id * 4 + 1, old.id * 4 + 2);
        {_SQLITE_COLUMNS} {_SQLITE_EVENT_ROWS};
    END""",
    "CREATE TRIGGER search_index_event_delete AFTER DELETE ON event BEGIN "
    "DELETE FROM search_index WHERE rowid IN (old.id * 4 + 1, old.id * 4 + 2); END",
    f"""{_SQLITE_COLUMNS}
        SELECT id * 4, 'post', id, language, title,
               CASE WHEN body = '' OR body = excerpt THEN excerpt ELSE excerpt || char(10) || body END,
               slug, published_at
        FROM post WHERE status = 'published'""",
    f"""{_SQLITE_COLUMNS}
        SELECT id * 4 + 1, 'event', id, 'en', title_en, description_en, '', starts_at FROM event
        UNION ALL
        SELECT id * 4 + 2, 'event', id, 'es', CASE WHEN title_es <> '' THEN title_es ELSE title_en END,
               description_es, '', starts_at FROM event
        WHERE title_es <> '' OR description_es <> ''""",
]

SQLITE_DOWN = [
    *(f"DROP TRIGGER IF EXISTS search_index_{table}_{action}"
      for table in ("post", "event") for action in ("insert", "update", "delete")),
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
    """CREATE TABLE search_index (
        kind varchar(10) NOT NULL,
        ref_id integer NOT NULL,
        language varchar(2) NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        slug varchar(200) NOT NULL,
        moment timestamptz,
        document tsvector NOT NULL,
        PRIMARY KEY (kind, ref_id, language))""",
    # One GIN index per configuration: each half of a search reads only its own language's rows.
    "CREATE INDEX search_index_spanish_gin ON search_index USING gin (document) WHERE language = 'es'",
    "CREATE INDEX search_index_english_gin ON search_index USING gin (document) WHERE language <> 'es'",
    """CREATE FUNCTION search_index_config(language text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT CASE WHEN language = 'es' THEN 'vws_spanish'::regconfig
                          ELSE 'vws_english'::regconfig END $$""",
    """CREATE FUNCTION search_index_document(language text, title text, body text) RETURNS tsvector
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT setweight(to_tsvector(search_index_config(language), coalesce(title, '')), 'A')
                  || setweight(to_tsvector(search_index_config(language), coalesce(body, '')), 'B') $$""",
    """CREATE FUNCTION search_index_post_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE text_body text;
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM search_index WHERE kind = 'post' AND ref_id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' THEN
            text_body := CASE WHEN NEW.body = '' OR NEW.body = NEW.excerpt THEN NEW.excerpt
                              ELSE NEW.excerpt || E'\\n' || NEW.body END;
            INSERT INTO search_index VALUES ('post', NEW.id, NEW.language, NEW.title, text_body, NEW.slug,
                NEW.published_at, search_index_document(NEW.language, NEW.title, text_body));
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION search_index_event_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM search_index WHERE kind = 'event' AND ref_id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO search_index VALUES ('event', NEW.id, 'en', NEW.title_en, NEW.description_en, '',
                NEW.starts_at, search_index_document('en', NEW.title_en, NEW.description_en));
            IF NEW.title_es <> '' OR NEW.description_es <> '' THEN
                INSERT INTO search_index VALUES ('event', NEW.id, 'es', coalesce(nullif(NEW.title_es, ''), NEW.title_en),
                    NEW.description_es, '', NEW.starts_at,
                    search_index_document('es', coalesce(nullif(NEW.title_es, ''), NEW.title_en), NEW.description_es));
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
    """INSERT INTO search_index
        SELECT 'post', id, language, title, text_body, slug, published_at,
               search_index_document(language, title, text_body)
        FROM (SELECT id, language, title, slug, published_at,
                     CASE WHEN body = '' OR body = excerpt THEN excerpt ELSE excerpt || E'\\n' || body END
                         AS text_body
              FROM post WHERE status = 'published') AS published""",
    """INSERT INTO search_index
        SELECT 'event', id, 'en', title_en, description_en, '', starts_at,
               search_index_document('en', title_en, description_en) FROM event
        UNION ALL
        SELECT 'event', id, 'es', coalesce(nullif(title_es, ''), title_en), description_es, '', starts_at,
               search_index_document('es', coalesce(nullif(title_es, ''), title_en), description_es) FROM event
        WHERE title_es <> '' OR description_es <> ''""",
]

PG_DOWN = [
    "DROP TRIGGER IF EXISTS search_index_post_sync ON post",
    "DROP TRIGGER IF EXISTS search_index_event_sync ON event",
    "DROP FUNCTION IF EXISTS search_index_post_sync()",
    "DROP FUNCTION IF EXISTS search_index_event_sync()",
    "DROP TABLE IF EXISTS search_index",
    "DROP FUNCTION IF EXISTS search_index_document(text, text, text)",
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
