"""The worker's content watcher: a write by anyone is seen, and on SQLite a look with nothing new runs no query."""

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import select

from tests.unit.content_builders import add_post
from vws_app.models import LetterSignOn, utc_now
from vws_app.server.content_watcher import ContentWatcher, DatabaseLook, watched_version
from vws_app.services import letters_admin
from vws_app.services.database import engine_for
from vws_app.services.editorial import update_site_text

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
DATA_VERSION = "PRAGMA data_version"


class StatementLog:
    """Every statement the engine of `url` sends, as SQLAlchemy's cursor event reports it."""

    def __init__(self, url: str) -> None:
        self.statements: list[str] = []
        self._engine = engine_for(url)
        event.listen(self._engine, "before_cursor_execute", self._record)

    def _record(self, _connection, _cursor, statement, _parameters, _context, _executemany) -> None:
        self.statements.append(statement)

    def queries(self) -> list[str]:
        """The statements other than the `data_version` reads, since the last `clear`."""
        return [statement for statement in self.statements if statement != DATA_VERSION]

    def clear(self) -> None:
        self.statements.clear()

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._record)


@pytest.fixture
def statements(app_database):
    log = StatementLog(app_database)
    yield log
    log.close()


@pytest.fixture
def watcher(app_database):
    """A watcher that looks only when a test asks (`refresh`)."""
    found = ContentWatcher()
    yield found
    found.stop()


def test_the_first_look_queries_and_later_ones_only_when_another_connection_wrote(watcher, statements, session, editor):
    first = watcher.refresh()
    assert first == watched_version()
    assert statements.queries(), "the first look ran no query"
    statements.clear()

    for _look in range(3):
        assert watcher.refresh() is first
    if session.get_bind().dialect.name == "sqlite":
        assert statements.statements == [DATA_VERSION] * 3
        assert statements.queries() == []
    else:  # PostgreSQL has no such number: every look asks (see the module's docstring)
        assert len(statements.queries()) >= 3

    update_site_text(session, "goal", "es", "Salarios dignos", editor)  # another connection of the pool
    statements.clear()
    changed = watcher.refresh()
    assert changed != first and changed == watched_version()
    assert statements.queries(), "a write by another connection was not looked at"


@SQLITE_ONLY
def test_a_write_from_another_process_reaches_two_watchers(app_database, session, editor, tmp_path):
    """Two watchers, as two workers hold them, each on its own connection; the write comes from a third process."""
    letter = add_post(session, "Letter to the union", category="open_letter")
    letters_admin.save_settings(session, letter.translation_key, editor, is_open=True, moderated=False)
    watchers = [ContentWatcher(), ContentWatcher()]
    try:
        before = [watcher.refresh() for watcher in watchers]
        path = Path(app_database.removeprefix("sqlite:///"))
        write = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            f"c.execute('UPDATE {LetterSignOn.__tablename__} SET people_count = people_count + 1'); c.commit()"
        )
        subprocess.run([sys.executable, "-c", write, str(path)], check=True, timeout=60)
        after = [watcher.refresh() for watcher in watchers]
        assert all(new != old for new, old in zip(after, before, strict=True))
        assert after[0] == after[1] == watched_version()
        assert [counts[2] for counts in after[0].letters] == [1]
    finally:
        for watcher in watchers:
            watcher.stop()


@SQLITE_ONLY
def test_a_letter_closing_with_no_write_is_seen(watcher, session, editor):
    letter = add_post(session, "Letter to the union", category="open_letter")
    letters_admin.save_settings(session, letter.translation_key, editor, is_open=True, moderated=False)
    row = session.exec(select(LetterSignOn)).one()
    row.closes_at = utc_now() + timedelta(seconds=1.5)
    session.add(row)
    session.commit()
    assert watcher.refresh().letters[0][-1] is True  # still takes signatures
    deadline = time.monotonic() + 10
    while watcher.refresh().letters[0][-1]:
        assert time.monotonic() < deadline, "the closing was not seen"
        time.sleep(0.05)


@SQLITE_ONLY
def test_a_full_look_comes_even_while_the_number_stands_still(app_database, statements):
    look = DatabaseLook(full_look_s=0)
    try:
        look()
        statements.clear()
        look()
        assert statements.queries(), "no full look"
    finally:
        look.close()


def test_subscribers_hear_of_each_change_and_not_of_a_look_that_found_none(watcher, session, editor):
    heard = []
    unsubscribe = watcher.subscribe(heard.append)
    first = watcher.refresh()
    watcher.refresh()
    update_site_text(session, "goal", "es", "Salarios dignos", editor)
    second = watcher.refresh()
    unsubscribe()
    update_site_text(session, "goal", "es", "Salarios justos", editor)
    watcher.refresh()
    assert heard == [first, second]
