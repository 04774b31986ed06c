"""One look at the database per fifth of a second, shared by every request of a worker.

Served from memory, a cached page must still change on every worker soon after an editor
saves. Asking the database on each request (`page_cache.content_version`) cost a quarter of
a worker's time under load; this watcher asks a few times a second in its own thread
instead, so a request only compares the version it holds with the watcher's, and an
editor's change shows on every worker within `POLL_INTERVAL_S` plus one query.

What it watches is everything a cached public page is built from: the content version
(editors' writes, the posts' stamp, the next scheduled publication, which moves by itself
when that moment passes), every open letter's counts and whether it still takes
signatures, and the page files of the build (a rebuild changes the shells and the CSP).
"""

import dataclasses
import logging
import threading
from collections.abc import Callable

from vws_app.server import page_shell
from vws_app.server.page_cache import ContentVersion, content_version
from vws_app.services import letters_public
from vws_app.services.database import open_session

POLL_INTERVAL_S = 0.2
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
    """The version now: two small queries and a few `stat` calls."""
    with open_session() as session:
        return WatchedVersion(content_version(session), letters_public.every_page_version(session), build_stamp())


class ContentWatcher:
    """Keeps `current` at the latest version; the same object while nothing changes, so `is` compares."""

    def __init__(
        self, read: Callable[[], WatchedVersion] = watched_version, interval_s: float = POLL_INTERVAL_S
    ) -> None:
        self.current: WatchedVersion | None = None  # None: not known yet, or the database did not answer
        self._read = read
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def refresh(self) -> WatchedVersion | None:
        """Read the version once; on a database error forget it, so nothing is served as current."""
        try:
            latest = self._read()
        except Exception:  # any error: a watcher that died would serve stale pages for good
            logger.exception("content version not readable; cached pages wait for the next look")
            self.current = None
            return None
        if latest != self.current:
            self.current = latest
        return self.current

    def ensure_started(self) -> None:
        """Start the watching thread once per process (a worker's first request calls this)."""
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                self._stop.clear()
                self._thread = threading.Thread(target=self._watch, name="content-watcher", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """Stop watching and forget the version (tests; a worker simply exits)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None
        self.current = None

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.refresh()
            self._stop.wait(self._interval_s)
