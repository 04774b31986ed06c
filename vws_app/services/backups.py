"""Consistent backups of the site's database and their restore: SQLite's online backup API, PostgreSQL's pg_dump."""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path
from urllib.parse import quote, urlencode

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.util import immutabledict

from vws_app.settings import database_url

PG_DUMP = "pg_dump"
PG_RESTORE = "pg_restore"
TOOL_TIMEOUT_S = 3600
SQLITE_PAGES_PER_STEP = 1024  # copy in steps so writers are not shut out for the whole copy


class BackupError(Exception):
    """Base of every backup or restore failure; nothing was changed unless the message says so."""


class UnsupportedDatabase(BackupError):
    """The URL names a database we cannot back up (not a SQLite file, not PostgreSQL)."""


class BackupToolMissing(BackupError):
    """`pg_dump` or `pg_restore` is not installed (or not on PATH)."""


class BackupFileMissing(BackupError):
    """The backup to restore does not exist, or is not a backup of this kind of database."""


class BackupFailed(BackupError):
    """The database or the backup tool reported an error; its message is included."""


def describe(url: str | None = None) -> str:
    """The database URL with its password hidden, fit for a prompt or a log."""
    return _parse(url or database_url()).render_as_string(hide_password=True)


def backup_database(destination: Path, url: str | None = None) -> Path:
    """Write a consistent copy of the database at `url` (default: the configured one) to `destination`.

    The copy is written beside `destination` and renamed into place, so an interrupted
    backup never leaves a half-written file under the final name.

    Raises:
        UnsupportedDatabase: not a SQLite file nor PostgreSQL.
        BackupToolMissing: PostgreSQL, and `pg_dump` is not installed.
        BackupFailed: the database or `pg_dump` failed.
    """
    parsed = _parse(url or database_url())
    destination = Path(destination).resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent)[1])
    try:
        if _is_sqlite(parsed):
            _sqlite_backup(_sqlite_file(parsed), partial)
        else:
            _run_tool(PG_DUMP, parsed, ["--format=custom", f"--file={partial}"])
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination


def restore_database(source: Path, url: str | None = None) -> None:
    """Replace every table and row of the database at `url` with those in the backup `source`.

    SQLite: the backup is copied page by page into the live file with the online backup
    API, in one step that other connections see all at once. PostgreSQL: `pg_restore
    --clean --if-exists --no-owner` in a single transaction, so a failure changes nothing.

    Raises:
        UnsupportedDatabase: not a SQLite file nor PostgreSQL.
        BackupFileMissing: `source` does not exist or is not a backup for this engine.
        BackupToolMissing: PostgreSQL, and `pg_restore` is not installed.
        BackupFailed: the database or `pg_restore` failed.
    """
    parsed = _parse(url or database_url())
    source = Path(source)
    if not source.is_file():
        raise BackupFileMissing(f"no backup file at {source}")
    if _is_sqlite(parsed):
        _sqlite_restore(source, _sqlite_file(parsed))
    else:
        _check_pg_archive(source)
        _run_tool(
            PG_RESTORE,
            parsed,
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", str(source)],
        )


def libpq_url(url: str | URL) -> str:
    """The libpq form of a SQLAlchemy PostgreSQL URL (`postgresql+psycopg://` → `postgresql://`), password removed.

    The password is handed to the tools in `PGPASSWORD` instead, so it never shows in `ps`.
    """
    parsed = _parse(url) if isinstance(url, str) else url
    base = parsed._replace(drivername="postgresql", password=None, query=immutabledict()).render_as_string(
        hide_password=False
    )
    # libpq reads `+` literally: spaces in options such as `-c statement_timeout=5000` must be %20.
    return f"{base}?{urlencode(parsed.query, doseq=True, quote_via=quote)}" if parsed.query else base


def _parse(url: str) -> URL:
    """The parsed URL, checked to be an engine we back up."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise UnsupportedDatabase(f"not a database URL: {error}") from None
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise UnsupportedDatabase(f"backups cover SQLite files and PostgreSQL, not {parsed.get_backend_name()}")
    return parsed


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _sqlite_file(url: URL) -> Path:
    """The database file of a SQLite URL (an in-memory database has none to back up)."""
    if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
        raise UnsupportedDatabase("an in-memory SQLite database has no file to back up or restore")
    return Path(url.database)


def _sqlite_backup(live: Path, target: Path) -> None:
    """Copy `live` into `target` with the online backup API, then make `target` one self-contained file."""
    if not live.is_file():
        raise BackupFailed(f"no SQLite database at {live}")
    try:
        with closing(sqlite3.connect(live, timeout=15)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy, pages=SQLITE_PAGES_PER_STEP)
            copy.execute("PRAGMA journal_mode=DELETE")  # no -wal file to carry around
            _check_integrity(copy)
    except sqlite3.Error as error:
        raise BackupFailed(f"SQLite backup of {live} failed: {error}") from error


def _sqlite_restore(backup: Path, live: Path) -> None:
    """Copy the backup file over the live database with the backup API (one atomic write for readers)."""
    try:
        with closing(sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)) as source:
            _check_integrity(source)
            live.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(live, timeout=15)) as target:
                source.backup(target)  # in one step: readers see the old or the new database, never a mix
    except sqlite3.DatabaseError as error:
        if "file is not a database" in str(error):
            raise BackupFileMissing(f"{backup} is not a SQLite backup") from error
        raise BackupFailed(f"SQLite restore into {live} failed: {error}") from error


def _check_integrity(connection: sqlite3.Connection) -> None:
    """Raise sqlite3.DatabaseError unless SQLite's quick check finds the file sound."""
    [result] = connection.execute("PRAGMA quick_check").fetchone()
    if result != "ok":
        raise sqlite3.DatabaseError(f"integrity check failed: {result}")


def _check_pg_archive(source: Path) -> None:
    """pg_dump's custom format starts with `PGDMP`; anything else is refused before touching the database."""
    with source.open("rb") as archive:
        if archive.read(5) != b"PGDMP":
            raise BackupFileMissing(f"{source} is not a pg_dump custom-format backup")


def _run_tool(tool: str, url: URL, arguments: list[str]) -> None:
    """Run a PostgreSQL client tool against `url`; its stderr becomes the error message."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupToolMissing(
            f"{tool} is not installed; install PostgreSQL's client tools (Debian: postgresql-client)"
        )
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    command = [executable, f"--dbname={libpq_url(url)}", *arguments]
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as error:
        raise BackupFailed(f"{tool} did not finish within {TOOL_TIMEOUT_S} s") from error
    if result.returncode != 0:
        raise BackupFailed(f"{tool} failed (exit {result.returncode}): {result.stderr.strip()}")
