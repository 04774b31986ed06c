"""Keeps the page files (`page_files.py`) in step with the content: one writer, following the watcher, rewriting what changed.

Every worker starts `keep_page_files` when `PAGE_FILES_DIR` is set; the one that takes the lock
file there writes, the others try again every few seconds in case that worker stops. The writer
does not ask the database whether something changed: the worker's content watcher
(`content_watcher.shared_watcher`, the one the fast pages follow) tells it. When the watched
version moved (content, letters' counts, build), or `REFRESH_S` passed (events move from
upcoming to past without a write), it rebuilds the section pages in each language and the posts
whose fingerprint changed (`services/page_sources.py`), and removes the files of pages that are
gone. Pages come from the site's own routes, called in this process through ASGI with the
security headers the app adds, so a file holds exactly the bytes, and the include exactly the
headers, the app would send.
"""

import asyncio
import contextlib
import fcntl
import logging
import math
import threading
import time
from pathlib import Path
from typing import IO

import httpx
from starlette.types import ASGIApp

from vws_app.i18n import SUPPORTED_LANGUAGES
from vws_app.server.content_watcher import ContentWatcher, WatchedVersion, shared_watcher
from vws_app.server.csp import PagePolicy
from vws_app.server.headers import POLICY_HEADER, SecurityHeadersMiddleware, fixed_headers
from vws_app.server.page_cache import MAX_AGE_S
from vws_app.server.page_files import ANY_LANGUAGE, PageFileStore, page_file
from vws_app.server.routes import backend_routes
from vws_app.services.database import open_session
from vws_app.services.page_sources import post_fingerprints
from vws_app.services.site_routes import FILLED_SECTIONS, POST
from vws_app.settings import page_files_dir

logger = logging.getLogger(__name__)
STOP_CHECK_S = 0.5  # how soon a waiting writer notices that its worker stops
NOT_WRITTEN_RETRY_S = 1.0  # a pass that found no page (no build yet) is tried again this soon
REFRESH_S = MAX_AGE_S  # as often as the app's own cache rebuilds a page that nothing wrote to
RETRY_AFTER_FAILURE_S = 5.0
LOCK_RETRY_S = 5.0
LOCK_NAME = ".writer.lock"
STOP_WAIT_S = 5.0
PAGE_HEADER_NAMES = {name.decode() for name, _value in fixed_headers()} | {POLICY_HEADER.decode()}


class HeadersChanged(Exception):
    """A page came with other headers than the pass began with (the frontend was rebuilt meanwhile)."""


class WholeBuildPolicy(PagePolicy):
    """One policy for every page file: the one allowing every page's inline scripts.

    The app sends each page only its own scripts' hashes, but nginx adds one set of headers
    (the include) to every file, so the files share the policy that holds them all.
    """

    def for_path(self, path: str) -> str:
        return self.current()


def page_source_app() -> ASGIApp:
    """The site's own routes with the security headers, as the server answers a page (with the whole build's policy)."""
    return SecurityHeadersMiddleware(backend_routes(), page_policy=WholeBuildPolicy())


def page_headers(response: httpx.Response) -> dict[str, str]:
    """The security headers of a page response, which nginx must send with its file."""
    return {name: value for name, value in response.headers.items() if name in PAGE_HEADER_NAMES}


class PageFileWriter:
    """Writes the public pages under `root` and rewrites those a change touched."""

    def __init__(self, root: Path, app: ASGIApp | None = None, watcher: ContentWatcher | None = None) -> None:
        self._root = root
        transport = httpx.ASGITransport(app=app or page_source_app())
        self._client = httpx.AsyncClient(transport=transport, base_url="http://page-files.invalid")
        self._watcher = watcher or shared_watcher()
        self._changed = threading.Event()  # set by the watcher when its version moves
        self._store: PageFileStore | None = None
        self._posts: dict[str, tuple] = {}  # fingerprint of each post as last written (or found missing)
        self._posted: set[str] = set()  # the post page files written
        self._written_for: WatchedVersion | None = None  # the watched version the files show
        self._refreshed_at = -math.inf
        self._first_of_pass = True

    async def close(self) -> None:
        await self._client.aclose()

    async def run(self, stop: threading.Event) -> None:
        """Follow the watcher and rewrite until `stop` is set; a failed pass is logged and tried again a little later."""
        self._watcher.ensure_started()
        unsubscribe = self._watcher.subscribe(lambda _version: self._changed.set())
        try:
            while not stop.is_set():
                self._changed.clear()  # before the look: a change during the pass wakes the next wait at once
                try:
                    await self.refresh_if_changed()
                except Exception:  # noqa: BLE001 - the site keeps serving; the files catch up on the next pass
                    logger.exception("Writing the page files failed; trying again in %.0f s", RETRY_AFTER_FAILURE_S)
                    await asyncio.to_thread(stop.wait, RETRY_AFTER_FAILURE_S)
                    continue
                await asyncio.to_thread(self._wait_for_change, stop)
        finally:
            unsubscribe()
            await self.close()

    def _wait_for_change(self, stop: threading.Event) -> None:
        """Until the watcher's version moves, `REFRESH_S` has passed since the last pass, or `stop` is set."""
        if self._written_for is None or self._written_for != self._watcher.current:
            deadline = time.monotonic() + NOT_WRITTEN_RETRY_S  # nothing written yet, or the watcher moved
        else:
            deadline = self._refreshed_at + REFRESH_S
        while not stop.is_set() and not self._changed.is_set() and (left := deadline - time.monotonic()) > 0:
            self._changed.wait(min(left, STOP_CHECK_S))

    async def refresh_if_changed(self) -> bool:
        """Rewrite what changed when the watcher's version moved (or `REFRESH_S` passed). Whether it rewrote.

        Nothing is written while the watcher has no version (not looked yet, or the database did not answer).
        """
        version = self._watcher.current
        if version is None:
            return False
        if version == self._written_for and time.monotonic() - self._refreshed_at < REFRESH_S:
            return False
        if await self.refresh():
            self._written_for = version
        return True

    async def refresh(self) -> bool:
        """Rebuild every section page and the posts whose fingerprint changed; remove pages that are gone.

        Returns False when no page could be had (the app has no build yet): nothing was written.
        """
        self._refreshed_at = time.monotonic()
        self._first_of_pass = True
        with open_session() as session:
            fingerprints = post_fingerprints(session)
        try:
            sections = await self._write_sections()
            store = self._store
            if store is None:
                return False
            await self._write_posts(store, fingerprints)
        except HeadersChanged:
            self._store = None  # the next pass starts a new generation
            raise
        store.keep_only(sections | {page_file(ANY_LANGUAGE, _post_path(slug)) for slug in self._posted})
        store.publish()
        return True

    async def _write_sections(self) -> set[str]:
        written = set()
        for path in FILLED_SECTIONS:
            for language in SUPPORTED_LANGUAGES:
                name = page_file(language, path)
                if await self._write(name, f"{path}?lang={language}"):
                    written.add(name)
        return written

    async def _write_posts(self, store: PageFileStore, fingerprints: dict[str, tuple]) -> None:
        for slug in set(self._posts) - set(fingerprints):  # unpublished, deleted, or renamed (its old slug redirects)
            self._posted.discard(slug)
            store.remove(page_file(ANY_LANGUAGE, _post_path(slug)))
            del self._posts[slug]
        for slug, fingerprint in fingerprints.items():
            if self._posts.get(slug) == fingerprint:
                continue
            if await self._write(page_file(ANY_LANGUAGE, _post_path(slug)), _post_path(slug)):
                self._posted.add(slug)
            else:
                self._posted.discard(slug)
            self._posts[slug] = fingerprint

    async def _write(self, name: str, target: str) -> bool:
        """Page file `name` from the app's answer to `target`, removed when that is no page; whether it is one."""
        response = await self._client.get(target, headers={"accept-encoding": "identity"})
        store = self._store_for(page_headers(response)) if response.status_code == 200 else self._store
        if response.status_code != 200 or not response.headers.get("content-type", "").startswith("text/html"):
            if store is not None:
                store.remove(name)  # a redirect, a 404 or "starting" (no build yet): the app answers it
            return False
        store.write(name, response.content)
        return True

    def _store_for(self, headers: dict[str, str]) -> PageFileStore:
        """The store of this pass: the first page of a pass sets its headers (new ones, a new generation)."""
        if self._store is None or (self._first_of_pass and self._store.headers != headers):
            self._store = PageFileStore(self._root, headers)
            self._posts, self._posted = {}, set()  # a new folder: every post is written again
        elif self._store.headers != headers:
            raise HeadersChanged(f"{sorted(headers)} differ from the pass's")
        self._first_of_pass = False
        return self._store


def _post_path(slug: str) -> str:
    return POST.server_path.format(slug=slug)


def _take_lock(root: Path) -> IO[bytes] | None:
    """The writer's lock file, held while it stays open; None when another process holds it."""
    root.mkdir(parents=True, exist_ok=True)
    handle = (root / LOCK_NAME).open("ab")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def write_while_holding_lock(root: Path, stop: threading.Event) -> None:
    """Be the writer whenever no other process is, until `stop` is set (a worker thread's body)."""
    while not stop.is_set():
        lock = _take_lock(root)
        if lock is None:
            stop.wait(LOCK_RETRY_S)
            continue
        logger.info("Writing the page files in %s", root)
        try:
            asyncio.run(PageFileWriter(root).run(stop))
        finally:
            lock.close()


@contextlib.asynccontextmanager
async def keep_page_files():
    """Lifespan task: with `PAGE_FILES_DIR` set, keep the page files written while this worker runs."""
    root = page_files_dir()
    if root is None:
        yield
        return
    stop = threading.Event()
    thread = threading.Thread(target=write_while_holding_lock, args=(root, stop), name="vws-page-files", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        await asyncio.to_thread(thread.join, STOP_WAIT_S)
