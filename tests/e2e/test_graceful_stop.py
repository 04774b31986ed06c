"""Stopping the production server (SIGTERM to its process group) while a contact message is being stored:
the server is gone within seconds, and the message is stored exactly once or the visitor keeps it and is told."""

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from tests.e2e.browser_errors import BrowserErrors
from tests.e2e.prod_cluster import STOPPED_WITHIN_S, ProdCluster, running_cluster, wait_for_language_cookie
from vws_app.i18n import CATALOGUES
from vws_app.models import ContactMessage
from vws_app.services.database import engine_for

pytestmark = pytest.mark.e2e

EN = CATALOGUES["en"]
STATEMENT_TIMEOUT_MS = 2000  # production sets one below the stop grace (README, compose.yaml)
TEXT_FIELDS = ("name", "email", "message")
EXPECTED_WHILE_DOWN = ("WebSocket connection to", "Failed to load resource: net::ERR_CONNECTION_REFUSED")
CONNECTION_LOST = "Cannot connect to server"  # Reflex's own toast when the backend is gone
LOST_NOTICE_WAIT_MS = 45_000


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProdCluster]:
    options = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
    with running_cluster(tmp_path_factory, "vws_stop", workers=2, database_options=options) as started:
        yield started


@pytest.fixture
def page(browser: Browser, cluster: ProdCluster) -> Iterator[Page]:
    """A fresh tab on the (running) cluster; errors other than the expected lost connection fail the test."""
    cluster.ensure_running()
    context = browser.new_context(base_url=cluster.base_url, locale="en-US")
    context.set_default_timeout(20_000)
    errors = BrowserErrors.watch(context)
    yield context.new_page()
    context.close()
    unexpected = [error for error in errors.unexpected() if not error.text.startswith(EXPECTED_WHILE_DOWN)]
    assert not unexpected, "the browser reported errors:\n" + "\n".join(map(str, unexpected))


@contextmanager
def contact_table_locked(cluster: ProdCluster) -> Iterator[psycopg.Connection]:
    """Another session holds an EXCLUSIVE lock on `contactmessage`: reads go on, the app's INSERT waits."""
    connection = psycopg.connect(cluster.database_url.replace("postgresql+psycopg://", "postgresql://"))
    connection.execute("LOCK TABLE contactmessage IN EXCLUSIVE MODE")
    try:
        yield connection
    finally:
        connection.close()  # rolls back, releasing the lock if it is still held


def wait_until_insert_is_blocked(cluster: ProdCluster) -> None:
    """Poll PostgreSQL until the app's INSERT into contactmessage is waiting for the lock."""
    name = cluster.database_url.rsplit("/", 1)[1]
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
        "AND query ILIKE 'INSERT INTO contactmessage%%'"
    )
    with psycopg.connect(
        cluster.database_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as watch:
        for _ in range(200):
            if watch.execute(query, (name,)).fetchone()[0]:
                return
            time.sleep(0.1)
    pytest.fail("the submission never reached the database")


def rows_with(cluster: ProdCluster, marker: str) -> int:
    with Session(engine_for(cluster.database_url)) as session:
        return len(session.exec(select(ContactMessage.id).where(col(ContactMessage.message).contains(marker))).all())


def fill_contact_form(page: Page, marker: str) -> dict[str, str]:
    page.goto("/contact")
    expect(page.locator("main h1")).to_have_text(EN["contact_heading"])
    wait_for_language_cookie(page.context)
    typed = {"name": "Lucía Pérez", "email": "lucia@example.org", "message": f"Hola. {marker}"}
    for field, text in typed.items():
        page.locator(f"#contact-{field}").fill(text)
    return typed


def expect_values_kept(page: Page, typed: dict[str, str]) -> None:
    for field, text in typed.items():
        expect(page.locator(f"#contact-{field}")).to_have_value(text)


def outcome_text(page: Page) -> str:
    outcome = page.locator("#contact-outcome")
    return outcome.inner_text().strip() if outcome.count() else ""


def resend_after_restart(page: Page, cluster: ProdCluster, typed: dict[str, str], marker: str) -> None:
    """Start the server again; the reloaded form still holds the draft; Send stores exactly one message."""
    cluster.start()
    page.reload()
    expect(page.locator("main h1")).to_have_text(EN["contact_heading"])
    expect_values_kept(page, typed)
    page.locator("#contact-submit").click()
    expect(page.locator("#contact-outcome")).to_have_text(EN["contact_thanks"])
    assert rows_with(cluster, marker) == 1


SCENARIOS = {
    # The slow write finishes one second into the stop, well within the grace period.
    "database-answers-during-the-stop": 1.0,
    # The write stays blocked until PostgreSQL's statement timeout cancels it.
    "database-stuck-past-the-statement-timeout": None,
}


# The stuck scenario makes the app log the cancelled INSERT, with its traceback, as it should.
STATEMENT_TIMED_OUT = pytest.mark.allow_app_errors(
    r"Could not store a contact message[\s\S]*canceling statement due to statement timeout",
    reason="the lock is held until PostgreSQL's statement timeout cancels the app's INSERT",
)


@pytest.mark.parametrize(
    "release_after_s",
    [
        pytest.param(delay, id=name, marks=[] if delay is not None else [STATEMENT_TIMED_OUT])
        for name, delay in SCENARIOS.items()
    ],
)
def test_stop_during_a_submission_stores_it_once_or_keeps_it_for_the_visitor(
    page: Page, cluster: ProdCluster, release_after_s
):
    """SIGTERM while the INSERT waits on a lock. The server is gone within seconds. Either the message is stored
    once, or nothing is stored and the visitor keeps every value and is told (the form's failure message, or
    Reflex's lost-connection notice if the answer could not reach them); a resend after the restart stores it once."""
    marker = uuid.uuid4().hex
    typed = fill_contact_form(page, marker)
    with contact_table_locked(cluster) as lock:
        page.locator("#contact-submit").click()
        wait_until_insert_is_blocked(cluster)
        if release_after_s is not None:
            threading.Timer(release_after_s, lock.rollback).start()
        took = cluster.stop()
    assert took < STOPPED_WITHIN_S, f"the server took {took:.1f} s to stop"

    stored, shown = rows_with(cluster, marker), outcome_text(page)
    assert stored == (1 if release_after_s is not None else 0)
    if shown == EN["contact_thanks"]:
        assert stored == 1
        expect_values_kept(page, dict.fromkeys(typed, ""))
        return
    assert shown in {"", EN["contact_failed"]}, f"unexpected outcome {shown!r}"
    if shown == EN["contact_failed"]:
        assert stored == 0, "told it failed, but the message was stored"
    else:
        # Reflex shows it after its own reconnection attempts, which a busy machine stretches.
        expect(page.get_by_text(CONNECTION_LOST).first).to_be_visible(timeout=LOST_NOTICE_WAIT_MS)
    expect_values_kept(page, typed)
    resend_after_restart(page, cluster, typed, marker)
