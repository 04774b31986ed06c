"""Backups and restores of the site's database, on SQLite and PostgreSQL, through the service and the CLI."""

import os
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import Engine, MetaData, text
from sqlmodel import Session, SQLModel

from tests.unit.content_builders import add_post, add_translation
from vws_app import cli
from vws_app.services import backups
from vws_app.services.contact import ContactSubmission, submit_contact_message
from vws_app.services.database import engine_for
from vws_app.services.seeding import seed_database
from vws_app.settings import PROJECT_ROOT

Snapshot = dict[str, list[tuple]]


def write_content(session: Session) -> None:
    """The seeded site, more posts (one with its translation) and contact messages in several scripts."""
    assert seed_database(session) > 0
    original = add_post(session, "Solidarity with the workers of SIDOR")
    add_translation(session, original, "Solidaridad con los trabajadores de SIDOR")
    add_post(session, "A draft 🌹 with «quotes»", status="draft", published_at=None)
    for number, (name, message) in enumerate(
        [("José Ñúñez", "Quiero participar.\nSaludos"), ("李华", "你好 🌍"), ("Ana", "Hello")]
    ):
        submission = ContactSubmission(name=name, email=f"person{number}@example.org", message=message, language="es")
        submit_contact_message(session, submission, submission_key=f"key-{number}", client_address=f"10.0.0.{number}")


def snapshot(engine: Engine) -> Snapshot:
    """Every row of every table in the database (alembic_version and the search index included), ordered."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: [tuple(row) for row in connection.execute(table.select().order_by(*table.columns))]
            for name, table in sorted(metadata.tables.items())
        }


def delete_every_row(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())


def drop_schema(engine: Engine) -> None:
    """No tables left at all: PostgreSQL's `public` schema dropped and recreated, every SQLite table dropped."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            with connection.begin():
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        else:
            # Foreign keys off (outside a transaction, where SQLite honours it): tables go in any order.
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()  # ends SQLAlchemy's implicit transaction; the driver began none for a PRAGMA
            with connection.begin():
                # The search index's virtual table first: dropping it drops its shadow tables.
                listed = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY sql LIKE 'CREATE VIRTUAL%' DESC"
                for name in connection.execute(text(listed)).scalars().all():
                    connection.execute(text(f'DROP TABLE IF EXISTS "{name}"'))
    engine.dispose()
    assert snapshot(engine) == {}


def fill(url: str) -> Snapshot:
    """Write the content into the database at `url`; what the database then holds."""
    engine = engine_for(url)
    with Session(engine) as session:
        write_content(session)
    held = snapshot(engine)
    assert set(SQLModel.metadata.tables) <= set(held)
    assert len(held["post"]) == 7 and len(held["contactmessage"]) == 3 and held["sitetext"]
    return held


@pytest.fixture
def content(database_url: str) -> Snapshot:
    """The test database filled with content; what it holds."""
    return fill(database_url)


def test_restore_brings_back_every_row_after_they_are_deleted(database_url, engine, content, tmp_path):
    """Back up, lose every row, restore: every row of every table (search index included) is back as it was."""
    written = backups.backup_database(tmp_path / "site.backup", database_url)
    assert written == (tmp_path / "site.backup").resolve() and written.stat().st_size > 0
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []  # no partial file left
    delete_every_row(engine)
    assert snapshot(engine)["post"] == []
    backups.restore_database(written, database_url)
    engine.dispose()
    assert snapshot(engine) == content


def test_restore_rebuilds_a_database_whose_schema_was_dropped(fresh_database_url, tmp_path):
    """Back up, lose every table (PostgreSQL: the whole `public` schema), restore: schema, triggers and rows are back."""
    held = fill(fresh_database_url)
    engine = engine_for(fresh_database_url)
    written = backups.backup_database(tmp_path / "site.backup", fresh_database_url)
    drop_schema(engine)
    backups.restore_database(written, fresh_database_url)
    engine.dispose()
    assert snapshot(engine) == held
    with Session(engine) as session:  # the search index's triggers came back too: a new post is indexed
        add_post(session, "Indexed after the restore")
    assert len(snapshot(engine)["search_index"]) == len(held["search_index"]) + 1


def test_restore_replaces_rows_written_after_the_backup(database_url, engine, content, session, tmp_path):
    """A restore is a return to the moment of the backup: later posts and messages go, changed rows revert."""
    written = backups.backup_database(tmp_path / "site.backup", database_url)
    add_post(session, "Written after the backup")
    with engine.begin() as connection:
        connection.execute(text("UPDATE sitetext SET body = 'edited'"))
    session.close()
    backups.restore_database(written, database_url)
    engine.dispose()
    assert snapshot(engine) == content


def test_backup_holds_only_committed_rows_while_a_write_is_in_flight(database_url, engine, content, tmp_path):
    """A backup taken while another connection has an uncommitted change holds the committed rows only."""
    with engine.connect() as writer:
        transaction = writer.begin()
        writer.execute(text("UPDATE contactmessage SET name = 'uncommitted'"))
        written = backups.backup_database(tmp_path / "site.backup", database_url)
        transaction.rollback()
    delete_every_row(engine)
    backups.restore_database(written, database_url)
    engine.dispose()
    assert snapshot(engine) == content


def test_restoring_a_file_that_is_no_backup_changes_nothing(database_url, engine, content, tmp_path):
    """A text file given as the backup is refused before the database is touched."""
    bogus = tmp_path / "notes.txt"
    bogus.write_text("these are not the rows you are looking for\n" * 100)
    with pytest.raises(backups.BackupFileMissing):
        backups.restore_database(bogus, database_url)
    with pytest.raises(backups.BackupFileMissing):
        backups.restore_database(tmp_path / "missing.backup", database_url)
    assert snapshot(engine) == content


def test_backups_refuse_databases_they_cannot_copy(tmp_path):
    """Only SQLite files and PostgreSQL are covered; an in-memory SQLite database has no file."""
    with pytest.raises(backups.UnsupportedDatabase):
        backups.backup_database(tmp_path / "x.backup", "mysql://root@localhost/site")
    with pytest.raises(backups.UnsupportedDatabase):
        backups.backup_database(tmp_path / "x.backup", "sqlite://")
    with pytest.raises(backups.BackupFailed):
        backups.backup_database(tmp_path / "x.backup", f"sqlite:///{tmp_path / 'no-such.db'}")
    assert not (tmp_path / "no-such.db").exists()
    assert list(tmp_path.iterdir()) == []


def test_missing_postgres_tools_are_named(monkeypatch, tmp_path):
    """Without pg_dump on PATH the error says what to install, and no file is written."""
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(backups.BackupToolMissing, match="postgresql-client"):
        backups.backup_database(tmp_path / "x.backup", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    assert list(tmp_path.iterdir()) == []


def test_libpq_url_drops_the_driver_and_the_password():
    """SQLAlchemy's `postgresql+psycopg://` becomes libpq's `postgresql://`; the password goes by PGPASSWORD."""
    url = "postgresql+psycopg://vws:s3cr%40t@db.internal:5433/site?sslmode=require"
    assert backups.libpq_url(url) == "postgresql://vws@db.internal:5433/site?sslmode=require"
    assert backups.describe(url) == "postgresql+psycopg://vws:***@db.internal:5433/site?sslmode=require"
    with_options = "postgresql://vws@db/site?options=-c%20statement_timeout%3D5000&sslmode=require"
    assert backups.libpq_url(with_options) == with_options  # libpq reads "+" literally, so spaces stay %20


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_backup_and_restore_work_with_a_statement_timeout_in_the_url(database_url, engine, content, tmp_path):
    """The production URL carries `options=-c statement_timeout=…`; pg_dump and pg_restore accept it as given."""
    url = f"{database_url}?options=-c%20statement_timeout%3D5000"
    written = backups.backup_database(tmp_path / "site.backup", url)
    delete_every_row(engine)
    backups.restore_database(written, url)
    engine.dispose()
    assert snapshot(engine) == content


def run_cli(database_url: str, *args: str, answer: str = "") -> subprocess.CompletedProcess:
    """`python -m vws_app.cli ARGS` on `database_url`, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "vws_app.cli", *args],
        input=answer,
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_backs_up_and_restores_only_after_a_yes(database_url, engine, content, tmp_path):
    """`backup PATH` writes the file; `restore PATH` asks first, restores nothing on "no", everything on "yes"."""
    path = tmp_path / "cli.backup"
    made = run_cli(database_url, "backup", str(path))
    assert made.returncode == 0, made.stderr
    assert f"to {path}" in made.stdout and path.is_file()
    delete_every_row(engine)

    declined = run_cli(database_url, "restore", str(path), answer="no\n")
    assert declined.returncode == 1 and "Type 'yes' to continue" in declined.stdout
    assert "Nothing was restored" in declined.stderr
    assert snapshot(engine)["post"] == []

    accepted = run_cli(database_url, "restore", str(path), answer="yes\n")
    assert accepted.returncode == 0, accepted.stderr
    engine.dispose()
    assert snapshot(engine) == content


def test_cli_restore_with_yes_does_not_ask_and_reports_failures(app_database, engine, content, tmp_path, capsys):
    """`restore --yes` needs no answer; a missing backup file or an unknown database exits 1 with the reason."""
    path = tmp_path / "cli.backup"
    assert cli.main(["backup", str(path)]) == 0
    delete_every_row(engine)
    assert cli.main(["restore", "--yes", str(path)]) == 0
    assert "Type 'yes'" not in capsys.readouterr().out
    engine.dispose()
    assert snapshot(engine) == content
    assert cli.main(["restore", "--yes", str(tmp_path / "gone.backup")]) == 1
    assert "no backup file" in capsys.readouterr().err


def test_cli_names_an_unsupported_database_and_writes_nothing(monkeypatch, tmp_path, capsys):
    """A DATABASE_URL the backups do not cover is an error message and exit 1, not a traceback."""
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/site")
    assert cli.main(["backup", str(tmp_path / "x.backup")]) == 1
    assert cli.main(["restore", "--yes", str(tmp_path / "x.backup")]) == 1
    assert capsys.readouterr().err.count("mysql") == 2
    assert list(tmp_path.iterdir()) == []


def test_backup_file_of_sqlite_is_a_single_self_contained_database(tmp_path):
    """The SQLite copy carries no -wal file: it opens on its own wherever it is copied."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    with engine_for(url).begin() as connection:
        connection.execute(text("CREATE TABLE note (body TEXT)"))
        connection.execute(text("INSERT INTO note VALUES ('kept')"))
    written = backups.backup_database(tmp_path / "copy" / "site.db", url)
    engine_for(url).dispose()
    assert sorted(path.name for path in written.parent.iterdir()) == ["site.db"]
    with sqlite3.connect(written) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT body FROM note").fetchall() == [("kept",)]
