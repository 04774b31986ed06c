"""A backend worker killed with SIGKILL is replaced while the site keeps answering, and nothing is rebuilt: two
workers on PostgreSQL + Redis under load from a browser and an HTTP client, and the one worker of a SQLite site."""

import dataclasses
import os
import re
import shutil
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _answers, _free_port
from tests.e2e.prod_cluster import ProdCluster, _children, project_copy, running_cluster
from tests.e2e.waits import expect_language_saved

# Granian logs each worker these tests kill as an error, then starts a new one (also as a test ends).
WORKER_KILLED = r"^\[ERROR\] Unexpected exit from worker-\d+$"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.allow_app_errors(WORKER_KILLED, reason="each test SIGKILLs a worker"),
]

PAGES = ("/", "/posts", "/healthz")
TAB_TIMEOUT_MS = 20_000
# Each load client has one request (or one tab) in flight at a time and opens a new connection for the
# next one, so the worker's death can cost each client at most the one it was serving then.
MAX_LOST_PER_CLIENT = 1
MORE_AFTER_THE_KILL = 5  # successes each client must still have after the kill
MAX_TABS_TO_REACH_A_WORKER = 24
BUILD_OUTPUT = ("Starting Reflex App", "Compiling:", "Creating Production Build", "App Running")
WORKER_DIED = "Unexpected exit from worker"  # Granian's own log line


@dataclasses.dataclass
class Tally:
    """What one load client saw: how many requests succeeded, and why the others failed."""

    succeeded: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)


class SiteLoad:
    """Two clients using the site one request after another until stopped: an HTTP client fetching pages, and
    a browser opening a fresh tab at a time whose socket must answer the page's on-load events (hydration)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.pages, self.tabs = Tally(), Tally()
        self.crashed: list[BaseException] = []
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(client,), daemon=True)
            for client in (self._fetch_pages, self._open_tabs)
        ]

    def __enter__(self) -> "SiteLoad":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=TAB_TIMEOUT_MS / 1000 + 30)

    def _run(self, client) -> None:
        try:
            client()
        except BaseException as error:  # noqa: BLE001 - reported by wait_for, not lost in the thread
            self.crashed.append(error)

    def _fetch_pages(self) -> None:
        while not self._stopping.is_set():
            for path in PAGES:
                try:
                    with urllib.request.urlopen(self.base_url + path, timeout=10) as response:
                        response.read()
                    self.pages.succeeded += 1
                except (urllib.error.URLError, OSError) as error:
                    self.pages.failures.append(f"{path}: {error}")

    def _open_tabs(self) -> None:
        with sync_playwright() as playwright:  # its own instance: Playwright objects stay in their thread
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            while not self._stopping.is_set():
                context = browser.new_context(base_url=self.base_url, locale="en-US")
                context.set_default_timeout(TAB_TIMEOUT_MS)
                try:
                    page = context.new_page()
                    page.goto("/")
                    expect_language_saved(page)
                    self.tabs.succeeded += 1
                except PlaywrightError as error:
                    self.tabs.failures.append(str(error).splitlines()[0])
                finally:
                    context.close()
            browser.close()

    def wait_for(self, pages: int, tabs: int, timeout_s: float = 240) -> None:
        """Wait until the clients have `pages` fetched pages and `tabs` hydrated tabs in all."""
        deadline = time.monotonic() + timeout_s
        while self.pages.succeeded < pages or self.tabs.succeeded < tabs:
            if self.crashed:
                raise self.crashed[0]
            if time.monotonic() > deadline:
                pytest.fail(f"load stalled at {self.pages} and {self.tabs}")
            time.sleep(0.2)


@pytest.fixture
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProdCluster]:
    allowed = (re.compile(WORKER_KILLED),)
    with running_cluster(tmp_path_factory, "vws_respawn", workers=2, allowed_errors=allowed) as started:
        yield started


@pytest.fixture
def sqlite_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProdCluster]:
    """`scripts/serve.py` on a SQLite file, no Redis: Reflex's single worker."""
    root = project_copy(tmp_path_factory, "vws_respawn_sqlite")
    site = ProdCluster(root, _free_port(), f"sqlite:///{root / 'site.db'}", "", 1, root / "server.log")
    try:
        site.start()
        yield site
    finally:
        site.kill()
        shutil.rmtree(root / ".web" / "node_modules", ignore_errors=True)


def build_stamps(root: Path) -> dict[str, int]:
    """Every built frontend file and its modification time (ns)."""
    client = root / ".web" / "build" / "client"
    stamps = {str(path.relative_to(client)): path.stat().st_mtime_ns for path in client.rglob("*") if path.is_file()}
    assert stamps, f"no build under {client}"
    return stamps


def log_since(site: ProdCluster, offset: int) -> str:
    with site.log_path.open("rb") as log:
        log.seek(offset)
        return log.read().decode("utf-8", errors="replace")


def wait_for_connection_owner(site: ProdCluster) -> int:
    """A worker holding an established connection right now (the load's tab or request)."""
    deadline = time.monotonic() + 60
    while not (owners := site.connection_owners()):
        if time.monotonic() > deadline:
            pytest.fail("no worker held a connection while the site was under load")
        time.sleep(0.05)
    return min(owners)


def wait_for_replacement(site: ProdCluster, killed: int, workers_before: set[int]) -> int:
    """The pid of the worker started in place of `killed`, once all `site.workers` are up again."""
    deadline = time.monotonic() + 60
    while True:
        workers = site.worker_pids()
        if killed not in workers and len(workers) == site.workers:
            (new,) = workers - workers_before
            return new
        if site.process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"no worker replaced {killed} (workers now {workers}); serve.py exit {site.process.poll()}")
        time.sleep(0.1)


def hydrate_until_served_by(site: ProdCluster, browser: Browser, worker: int) -> None:
    """Open fresh tabs that must each hydrate until `worker` holds one of their connections."""
    for _ in range(MAX_TABS_TO_REACH_A_WORKER):
        context = browser.new_context(base_url=site.base_url, locale="en-US")
        context.set_default_timeout(TAB_TIMEOUT_MS)
        try:
            page = context.new_page()
            page.goto("/")
            expect_language_saved(page)
            if worker in site.connection_owners():
                return
        finally:
            context.close()
    pytest.fail(f"{MAX_TABS_TO_REACH_A_WORKER} hydrated tabs and none was served by the new worker {worker}")


def assert_nothing_rebuilt(site: ProdCluster, build_before: dict[str, int], log_offset: int) -> None:
    """Granian saw the worker die; nothing was compiled, built or started again, and the built files are untouched."""
    after = log_since(site, log_offset)
    assert WORKER_DIED in after, f"Granian did not report the killed worker:\n{after}"
    rebuilt = [marker for marker in BUILD_OUTPUT if marker in after]
    assert not rebuilt, f"the server built or started again after the kill ({rebuilt}):\n{after}"
    assert build_stamps(site.root) == build_before


def test_a_killed_worker_is_replaced_while_the_other_keeps_serving(cluster: ProdCluster, browser: Browser):
    """Under load, SIGKILL the worker holding a connection: each client loses at most the request it had in
    flight, the load goes on, a new worker takes the dead one's place and serves hydrating tabs, with no rebuild."""
    granian_main = _children(cluster.process.pid)
    build_before = build_stamps(cluster.root)
    workers_before = cluster.worker_pids()
    with SiteLoad(cluster.base_url) as load:
        load.wait_for(pages=len(PAGES) * 2, tabs=2)
        log_offset = cluster.log_path.stat().st_size
        victim = wait_for_connection_owner(cluster)
        pages_then, tabs_then = load.pages.succeeded, load.tabs.succeeded
        os.kill(victim, signal.SIGKILL)
        replacement = wait_for_replacement(cluster, victim, workers_before)
        load.wait_for(pages=pages_then + MORE_AFTER_THE_KILL, tabs=tabs_then + MORE_AFTER_THE_KILL)

    assert len(load.pages.failures) <= MAX_LOST_PER_CLIENT, f"page fetches failed: {load.pages.failures}"
    assert len(load.tabs.failures) <= MAX_LOST_PER_CLIENT, f"tabs did not hydrate: {load.tabs.failures}"
    assert cluster.process.poll() is None and _children(cluster.process.pid) == granian_main
    hydrate_until_served_by(cluster, browser, replacement)
    assert_nothing_rebuilt(cluster, build_before, log_offset)


def test_the_only_worker_of_a_sqlite_site_is_replaced_without_a_rebuild(sqlite_site: ProdCluster, browser: Browser):
    """A SQLite site has one worker: after SIGKILL a new one is started and the site answers and hydrates again."""
    build_before = build_stamps(sqlite_site.root)
    workers_before = sqlite_site.worker_pids()
    (victim,) = workers_before
    log_offset = sqlite_site.log_path.stat().st_size
    os.kill(victim, signal.SIGKILL)
    replacement = wait_for_replacement(sqlite_site, victim, workers_before)
    deadline = time.monotonic() + 60
    while not (_answers(sqlite_site.url("/")) and _answers(sqlite_site.url("/ping"))):
        if time.monotonic() > deadline:
            pytest.fail(f"no answer after the worker was replaced:\n{log_since(sqlite_site, log_offset)}")
        time.sleep(0.2)
    hydrate_until_served_by(sqlite_site, browser, replacement)
    assert sqlite_site.process.poll() is None
    assert_nothing_rebuilt(sqlite_site, build_before, log_offset)
