"""The one place that makes database engines and brings their schema up to date."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic.config import Config
from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from alembic import command
from vws_app.settings import PROJECT_ROOT, database_url

ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
ALEMBIC_SCRIPTS = PROJECT_ROOT / "alembic"
MIGRATION_LOCK_ID = 73_155_001  # any constant shared by every process of this app


@cache
def engine_for(url: str) -> Engine:
    """A shared engine per URL; SQLite gets WAL and a busy timeout so readers never block writers."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _tune_sqlite_connection)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _tune_sqlite_connection(dbapi_connection, _record) -> None:
    """Turn on foreign keys and write-ahead logging for every new SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@contextmanager
def open_session(url: str | None = None) -> Iterator[Session]:
    """A session on the configured database (or `url`), closed afterwards."""
    with Session(engine_for(url or database_url())) as session:
        yield session


def alembic_config(url: str) -> Config:
    """An Alembic config that points at our migrations and at `url`, wherever we run from."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(ALEMBIC_SCRIPTS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(url: str | None = None) -> None:
    """Apply every migration that `url` (default: the configured database) lacks."""
    target = url or database_url()
    if target.startswith("sqlite:///"):
        Path(target.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    config = alembic_config(target)
    with engine_for(target).begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several workers start at once: one migrates, the others wait and find nothing to do.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
