"""One look at the database per fifth of a second, shared by everything in a worker that must follow the content.

Served from memory, a cached page must still change on every worker soon after an editor
saves. Asking the database on each request (`page_cache.content_version`) cost a quarter of
a worker's time under load; this watcher asks a few times a second in its own thread
instead, so a request only compares the version it holds with the watcher's, and an
editor's change shows on every worker within `POLL_INTERVAL_S` plus one query. It is the
worker's only poller: the page-file writer (`page_file_writer.py`) hears of changes from it
(`subscribe`) instead of asking the database itself.

What it watches is everything a cached public page is built from: the content version
(editors' writes, the posts' stamp, the next scheduled publication, which moves by itself
when that moment passes), every open letter's counts and whether it still takes
signatures, and the page files of the build (a rebuild changes the shells and the CSP).

Each look is cheap. The watcher keeps one connection of its own (no pool checkout, no
pre-ping). On SQLite a look first reads `PRAGMA data_version`, a number that moves only
when another connection, in any process, committed to the file; while it stands still,
and neither a scheduled publication nor a letter's closing moment has come, the look runs
no query (the watcher only reads, so its own connection never needs to move the number).
A full look still comes every `FULL_LOOK_S`, for a change that reached the file some other
way. On PostgreSQL every look runs the queries, a few index lookups on the server while
the thread waits on the socket: a LISTEN/NOTIFY signal would come only from writers that
send it (a session hook misses plain SQL, `pg_restore`, a maintainer's `psql`) unless every
content table had a trigger, while the select sees every write, whoever made it.
"""

import dataclasses
import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection
from sqlmodel import Session, col, select

from vws_app.models import LetterSignOn, as_utc, utc_now
from vws_app.server import page_shell
from vws_app.server.page_cache import ContentVersion, content_version
from vws_app.services import letters_public
from vws_app.services.database import engine_for, open_session
from vws_app.settings import database_url

POLL_INTERVAL_S = 0.2
FULL_LOOK_S = 30.0  # SQLite: a full look at least this often, even while `data_version` stands still
logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class WatchedVersion:
    """All a cached public page depends on; equal versions show the same pages."""

    content: ContentVersion
    letters: tuple[tuple, ...]
    build: tuple[tuple[int, int], ...]


def build_stamp() -> tuple[tuple[int, int], ...]:
    """Modification time and size of the page files pages are filled from (-1: missing, as during a rebuild)."""
    folder = page_shell.build_dir()
    names = (*page_shell.PRERENDERED.values(), *page_shell.SHELL_CANDIDATES)
    stamps = []
    for name in names:
        try:
            status = (folder / name).stat()
        except OSError:
            stamps.append((-1, -1))
        else:
            stamps.append((status.st_mtime_ns, status.st_size))
    return tuple(stamps)


def watched_version() -> WatchedVersion:
    """The version now, over a pooled session: two small queries and a few `stat` calls."""
    with open_session() as session:
        return WatchedVersion(content_version(session), letters_public.every_page_version(session), build_stamp())


@dataclasses.dataclass(frozen=True)
class _Content:
    """What a look read from the database, and when the clock alone changes it (None: never)."""

    content: ContentVersion
    letters: tuple[tuple, ...]
    due: datetime | None


def _next_closing(session: Session) -> datetime | None:
    """The earliest closing moment of a letter still open (its "takes signatures" flips then)."""
    moments = session.exec(
        select(col(LetterSignOn.closes_at)).where(col(LetterSignOn.is_open), col(LetterSignOn.closes_at).is_not(None))
    ).all()
    return min((as_utc(moment) for moment in moments if moment is not None), default=None)


class DatabaseLook:
    """Reads the watched version over one kept connection; on SQLite, queries only when `data_version` moved.

    Not thread-safe: one watcher calls it, one look at a time.
    """

    def __init__(self, full_look_s: float = FULL_LOOK_S) -> None:
        self._full_look_s = full_look_s
        self._url: str | None = None
        self._connection: Connection | None = None
        self._data_version: int | None = None  # None: the next look queries
        self._known: _Content | None = None
        self._known_at = -math.inf

    def __call__(self) -> WatchedVersion:
        try:
            found = self._content()
        except Exception:
            self.close()  # the next look opens a new connection and queries
            raise
        return WatchedVersion(found.content, found.letters, build_stamp())

    def close(self) -> None:
        """Give the connection back and forget what was read."""
        connection, self._connection = self._connection, None
        self._url, self._data_version, self._known = None, None, None
        if connection is not None:
            connection.close()

    def _content(self) -> _Content:
        connection = self._connect(database_url())
        with connection.begin():  # only SQLAlchemy's: the connection commits each statement by itself
            if connection.dialect.name == "sqlite":
                data_version = connection.exec_driver_sql("PRAGMA data_version").scalar_one()
                if data_version == self._data_version and self._known is not None and self._still_current():
                    return self._known
                self._data_version = data_version  # read before the queries: a commit after it moves it again
            now = utc_now()
            with Session(bind=connection) as session:
                content = content_version(session)
                letters = letters_public.every_page_version(session)
                closing = _next_closing(session) if connection.dialect.name == "sqlite" else None
        moments = [moment for moment in (content.next_publication, closing) if moment is not None and moment > now]
        self._known = _Content(content, letters, min(moments, default=None))
        self._known_at = time.monotonic()
        return self._known

    def _still_current(self) -> bool:
        """Whether nothing but a write could have changed what was read last (no moment due, no full look due)."""
        assert self._known is not None
        if time.monotonic() - self._known_at >= self._full_look_s:
            return False
        return self._known.due is None or utc_now() < self._known.due

    def _connect(self, url: str) -> Connection:
        if self._connection is not None and url == self._url:
            return self._connection
        self.close()
        # Autocommit: no transaction (and on SQLite no read snapshot) stays open between looks.
        self._connection = engine_for(url).connect().execution_options(isolation_level="AUTOCOMMIT")
        self._url = url
        return self._connection


class ContentWatcher:
    """Keeps `current` at the latest version; the same object while nothing changes, so `is` compares."""

    def __init__(self, read: Callable[[], WatchedVersion] | None = None, interval_s: float = POLL_INTERVAL_S) -> None:
        self.current: WatchedVersion | None = None  # None: not known yet, or the database did not answer
        self._read = read if read is not None else DatabaseLook()
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._look_lock = threading.Lock()
        self._subscribers: list[Callable[[WatchedVersion | None], None]] = []

    def refresh(self) -> WatchedVersion | None:
        """Read the version once; on a database error forget it, so nothing is served as current."""
        with self._look_lock:
            try:
                latest = self._read()
            except Exception:  # any error: a watcher that died would serve stale pages for good
                logger.exception("content version not readable; cached pages wait for the next look")
                latest = None
            if latest != self.current:
                self.current = latest
                self._tell_subscribers(latest)
            return self.current

    def subscribe(self, callback: Callable[[WatchedVersion | None], None]) -> Callable[[], None]:
        """Call `callback(version)` each time `current` changes (from the looking thread); returns the unsubscribe."""
        with self._start_lock:
            self._subscribers = [*self._subscribers, callback]

        def unsubscribe() -> None:
            with self._start_lock:
                self._subscribers = [found for found in self._subscribers if found is not callback]

        return unsubscribe

    def ensure_started(self) -> None:
        """Start the watching thread once per process (a worker's first request, or its page-file writer)."""
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                self._stop.clear()
                self._thread = threading.Thread(target=self._watch, name="content-watcher", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """Stop watching, give back the connection and forget the version (tests; a worker simply exits)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None
        with self._look_lock:
            close = getattr(self._read, "close", None)
            if close is not None:
                close()
            self.current = None

    def _tell_subscribers(self, version: WatchedVersion | None) -> None:
        for callback in self._subscribers:
            try:
                callback(version)
            except Exception:  # one subscriber's error must not stop the watching
                logger.exception("a content watcher's subscriber failed")

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.refresh()
            self._stop.wait(self._interval_s)


_shared: ContentWatcher | None = None
_shared_lock = threading.Lock()


def shared_watcher() -> ContentWatcher:
    """The process's one watcher, which the fast pages and the page-file writer share (started by whichever asks first)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ContentWatcher()
        return _shared
