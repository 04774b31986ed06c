"""Shared fixtures: a fresh, migrated database per test, on SQLite and on PostgreSQL."""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

import vws_app.models  # noqa: F401  (the tables, for emptying them in order)
from vws_app.server.routes import filled_pages
from vws_app.services.database import engine_for, upgrade_to_head

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_unavailable_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when the server answers."""
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable ({error.__class__.__name__}); CI runs these"


def _create_postgres_database() -> str:
    """A new empty database for one test; its URL."""
    name = f"vws_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"


def _drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine_for(url).dispose()
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated once; each test gets a copy (a migration per test is slow)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    engine_for(url).dispose()
    return path


@pytest.fixture(scope="session")
def postgres_session_database() -> Iterator[str]:
    """One PostgreSQL database, migrated once for the whole run and dropped at the end."""
    reason = _postgres_unavailable_reason()
    if reason:
        pytest.skip(reason)
    url = _create_postgres_database()
    try:
        upgrade_to_head(url)
        yield url
    finally:
        _drop_postgres_database(url)


def _empty_postgres_tables(url: str) -> None:
    """Delete every row, children first (keeping the schema, its triggers and the migration
    version). DELETE on these tiny tables is much cheaper than TRUNCATE's new files."""
    ordered = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
    with engine_for(url).begin() as connection:
        present = set(
            connection.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            )
            .scalars()
            .all()
        )
        for table in [name for name in ordered if name in present] + sorted(present - set(ordered)):
            connection.exec_driver_sql(f'DELETE FROM "{table}"')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, sqlite_template) -> Iterator[str]:
    """The URL of an empty database with the full schema, on each engine we support.

    SQLite: a fresh copy of a migrated file. PostgreSQL: one migrated database per run,
    emptied before each test. Tests that change the schema itself use `fresh_database_url`.
    """
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(sqlite_template, path)
        url = f"sqlite:///{path}"
        yield url
        engine_for(url).dispose()
        return
    url = request.getfixturevalue("postgres_session_database")
    _empty_postgres_tables(url)
    yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database_url(request, tmp_path) -> Iterator[str]:
    """A brand-new database of its own, migrated for this test alone (for schema-level tests)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
        upgrade_to_head(url)
        yield url
        engine_for(url).dispose()
        return
    reason = _postgres_unavailable_reason()
    if reason:
        pytest.skip(reason)
    url = _create_postgres_database()
    try:
        upgrade_to_head(url)
        yield url
    finally:
        _drop_postgres_database(url)


@pytest.fixture
def engine(database_url) -> Engine:
    """The engine of the test's database."""
    return engine_for(database_url)


@pytest.fixture
def session(engine) -> Iterator[Session]:
    """A session on the test's database."""
    with Session(engine) as session:
        yield session


@pytest.fixture
def app_database(database_url, monkeypatch) -> str:
    """Points the app's own session helper (and so every state) at the test database.

    The server keeps filled pages per process; ones built from another test's database
    could share its content version, so they are forgotten.
    """
    monkeypatch.setenv("DATABASE_URL", database_url)
    filled_pages.clear()
    return database_url
