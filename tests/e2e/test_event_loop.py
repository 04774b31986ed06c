"""One visitor waiting on a locked database stalls nobody else: SQLite (one worker) and PostgreSQL + Redis (two workers).

A contact message is sent while the test holds the lock its insert needs, so that visitor's
request waits in the database. Meanwhile other visitors load `/` and `/posts`, see the app's
content (not only the server's text) and get an answer to the language toggle, on the very
worker that holds the waiting request. The proof is the order of things, not a duration:
the others finish while the lock is still held and the waiting message is still unstored
(its row, stored after the release, was begun before they finished).
"""

import re
import sqlite3
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.browser_errors import BrowserErrors
from tests.e2e.conftest import LiveApp
from tests.e2e.prod_cluster import ProdCluster, running_cluster
from tests.e2e.waits import expect_hydrated, expect_language_saved
from vws_app.i18n import CATALOGUES
from vws_app.models import as_utc
from vws_app.services.seeding import load_seed_content

EN, ES = CATALOGUES["en"], CATALOGUES["es"]
MISSION_EN = "We are a group of Venezuelan socialists"
MISSION_ES = "Somos un grupo de socialistas venezolanos"
TITLES = {(post["translation_group"], post["language"]): post["title"] for post in load_seed_content()["posts"]}
MYANMAR_EN_TITLE, MYANMAR_ES_TITLE = TITLES["myanmar", "en"], TITLES["myanmar", "es"]
MAX_TABS_TO_FIND_THE_WORKER = 12
SEEDED_YEAR = 2021  # every seeded post was published then


class LockedSqlite:
    """The live SQLite file with its write lock held by the test (reads go on; the app's insert waits)."""

    def __init__(self, path: str) -> None:
        self._connection = sqlite3.connect(path, timeout=15, isolation_level=None)

    def lock(self) -> None:
        self._connection.execute("BEGIN EXCLUSIVE")

    def wait_until_someone_waits(self) -> None:
        """SQLite does not show who waits for its lock: the stored row's own time proves it afterwards."""

    def rows_with(self, marker: str) -> list[tuple[str, datetime]]:
        return self._connection.execute(
            "SELECT name, created_at FROM contactmessage WHERE message LIKE ?", (f"%{marker}%",)
        ).fetchall()

    def release(self) -> None:
        self._connection.execute("ROLLBACK")

    def close(self) -> None:
        self._connection.close()


class LockedPostgres:
    """The live PostgreSQL database with `contactmessage` locked by the test (ACCESS EXCLUSIVE: even reads wait)."""

    def __init__(self, url: str) -> None:
        self._url = url.replace("postgresql+psycopg://", "postgresql://")
        self._connection = psycopg.connect(self._url)

    def lock(self) -> None:
        self._connection.execute("LOCK TABLE contactmessage IN ACCESS EXCLUSIVE MODE")

    def wait_until_someone_waits(self) -> None:
        """Until the app's query is queued behind the lock (PostgreSQL lists it as not granted)."""
        with psycopg.connect(self._url, autocommit=True) as observer:
            for _ in poll(30, "the contact message never waited on the locked table"):
                waiting = observer.execute(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'contactmessage'::regclass"
                ).fetchone()[0]
                if waiting:
                    return

    def rows_with(self, marker: str) -> list[tuple[str, datetime]]:
        return self._connection.execute(
            "SELECT name, created_at FROM contactmessage WHERE message LIKE %s", (f"%{marker}%",)
        ).fetchall()

    def release(self) -> None:
        self._connection.rollback()

    def close(self) -> None:
        self._connection.close()


def poll(seconds: float, failure: str) -> Iterator[None]:
    """Yield until the caller returns; fail with `failure` after `seconds` (a deadline, not a measurement)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        yield
        time.sleep(0.1)
    pytest.fail(failure)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProdCluster]:
    with running_cluster(tmp_path_factory, "vws_event_loop", workers=2) as started:
        yield started


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest):
    """(base URL, the database lock, which worker a tab's socket is on) for the build under test."""
    if request.param == "sqlite":
        live_app: LiveApp = request.getfixturevalue("live_app")
        lock = LockedSqlite(live_app.database_url.removeprefix("sqlite:///"))
        yield live_app.base_url, lock, lambda _page: "the only worker"
    else:
        cluster: ProdCluster = request.getfixturevalue("cluster")
        cluster.ensure_running()
        lock = LockedPostgres(cluster.database_url)
        yield cluster.base_url, lock, lambda page: cluster.socket_owner(page)[1]
    lock.close()


@pytest.fixture
def contexts(browser: Browser, site) -> Iterator[Callable[[], BrowserContext]]:
    """Fresh browser contexts on the site under test; errors any of their pages report fail the test."""
    base_url = site[0]
    made: list[tuple[BrowserContext, BrowserErrors]] = []

    def make() -> BrowserContext:
        context = browser.new_context(base_url=base_url, locale="en-US")
        context.set_default_timeout(20_000)
        made.append((context, BrowserErrors.watch(context)))
        return context

    yield make
    for context, errors in made:
        context.close()
        errors.assert_none()


def open_contact_with_message(page: Page, marker: str) -> None:
    """The contact form, live and filled in, ready to send."""
    page.goto("/contact")
    expect_hydrated(page, EN["contact_heading"])
    for name, text in {"name": "Ana Rivas", "email": "ana.rivas@example.org", "message": f"Hola {marker}"}.items():
        page.locator(f"#contact-{name}").fill(text)


def tab_on_worker(context: BrowserContext, worker_of: Callable[[Page], str | None], worker: str | None) -> Page:
    """A tab showing the live home page whose socket is on `worker` (new tabs until one lands there)."""
    for _ in range(MAX_TABS_TO_FIND_THE_WORKER):
        page = context.new_page()
        page.goto("/")
        expect_hydrated(page, MISSION_EN)
        if worker_of(page) == worker:
            return page
        page.close()
    pytest.fail(f"no tab's socket reached worker {worker} in {MAX_TABS_TO_FIND_THE_WORKER} tries")


def expect_posts_list(page: Page, title: str) -> None:
    """The posts list as the app shows it: its archive (only the state has it) and a card titled `title`."""
    expect(page).to_have_url(re.compile(r"/posts$"))
    expect(page.locator("#posts-archive")).to_contain_text(str(SEEDED_YEAR))
    expect(page.locator(".post-card").get_by_role("link", name=title, exact=True)).to_be_visible()


def browse_while_locked(page: Page, fresh: Page, base_url: str) -> None:
    """What other visitors do while the lock is held: page loads, hydration, an event, the health probe."""
    page.get_by_role("navigation").first.get_by_role("link", name=EN["nav_posts"], exact=True).click()
    expect_posts_list(page, MYANMAR_EN_TITLE)
    page.locator("#language-toggle").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("navigation").first.get_by_role("link", name=ES["nav_home"], exact=True).click()
    expect(page.locator("#mission")).to_contain_text(MISSION_ES)
    expect_language_saved(page, "es")
    fresh.goto("/")
    expect_hydrated(fresh, MISSION_EN)  # the language cookie is written by the backend's answer
    fresh.goto("/posts")
    expect_posts_list(fresh, MYANMAR_EN_TITLE)
    fresh.locator("#language-toggle").click()
    expect_posts_list(fresh, MYANMAR_ES_TITLE)
    with urllib.request.urlopen(base_url + "/healthz", timeout=30) as response:
        assert response.status == 200


def test_a_visitor_waiting_on_a_locked_table_does_not_stall_the_others(site, contexts):
    base_url, lock, worker_of = site
    marker = uuid.uuid4().hex
    waiting = contexts().new_page()
    open_contact_with_message(waiting, marker)
    others = tab_on_worker(contexts(), worker_of, worker_of(waiting))
    fresh = contexts().new_page()
    outcome = waiting.locator("#contact-outcome")

    lock.lock()
    try:
        waiting.locator("#contact-submit").click()
        lock.wait_until_someone_waits()
        browse_while_locked(others, fresh, base_url)
        others_done = datetime.now(UTC)
        assert outcome.count() == 0  # still waiting: neither thanked nor told it failed (no outcome shown)
        assert lock.rows_with(marker) == []
    finally:
        lock.release()

    expect(outcome).to_have_text(EN["contact_thanks"])
    [(name, created_at)] = lock.rows_with(marker)
    began = as_utc(datetime.fromisoformat(created_at) if isinstance(created_at, str) else created_at)
    assert name == "Ana Rivas"
    assert began < others_done  # the message was on its way (and blocked) before the others were done
