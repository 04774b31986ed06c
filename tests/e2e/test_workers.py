"""Several backend workers sharing Redis and PostgreSQL: a visitor's language, an editor's session and the contact
rate limit hold whichever worker serves them, and across a restart of the whole backend."""

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session, col, select

from tests.e2e.admin_helpers import PASSWORD, create_editor_with_cli
from tests.e2e.browser_errors import BrowserErrors
from tests.e2e.prod_cluster import STOPPED_WITHIN_S, ProdCluster, running_cluster, wait_for_language_cookie
from vws_app.i18n import CATALOGUES, translate
from vws_app.models import ContactMessage
from vws_app.services.contact import RATE_LIMIT_COUNT
from vws_app.services.database import engine_for

pytestmark = pytest.mark.e2e

EN, ES = CATALOGUES["en"], CATALOGUES["es"]
WORKERS = 3
EDITOR_EMAIL = "workers-admin@example.org"
MIN_RELOADS, MAX_RELOADS = 8, 24
# While the backend is down on purpose the page's socket keeps retrying; those failures are expected.
EXPECTED_WHILE_DOWN = ("WebSocket connection to", "ERR_CONNECTION_REFUSED")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProdCluster]:
    with running_cluster(tmp_path_factory, "vws_workers", workers=WORKERS) as started:
        create_editor_with_cli(started.database_url, EDITOR_EMAIL)
        yield started


@pytest.fixture
def context(browser: Browser, cluster: ProdCluster) -> Iterator[tuple[BrowserContext, BrowserErrors]]:
    """A fresh browser context on the cluster, and the errors its pages report."""
    created = browser.new_context(base_url=cluster.base_url, locale="en-US")
    created.set_default_timeout(20_000)
    errors = BrowserErrors.watch(created)
    yield created, errors
    created.close()
    unexpected = [error for error in errors.unexpected() if not error.text.startswith(EXPECTED_WHILE_DOWN)]
    assert not unexpected, "the browser reported errors:\n" + "\n".join(map(str, unexpected))


def sign_in_and_choose_spanish(page: Page, cluster: ProdCluster) -> None:
    """Sign in at /admin as the CLI-made admin, then switch the site to Spanish on the home page."""
    page.goto("/admin")
    expect(page.locator("#admin-sign-in")).to_be_visible()
    wait_for_language_cookie(page.context)
    page.locator("#admin-email").fill(EDITOR_EMAIL)
    page.locator("#admin-password").fill(PASSWORD)
    page.locator("#admin-sign-in").click()
    expect(page.locator("#admin-sign-out")).to_be_visible()
    page.goto("/")
    expect(page.locator("header nav").first).to_contain_text(EN["nav_posts"])
    wait_for_language_cookie(page.context)
    page.locator("#language-toggle").click()
    expect(page.locator("header nav").first).to_contain_text(ES["nav_posts"])
    wait_for_language_cookie(page.context, "es")


def expect_spanish_and_signed_in(page: Page) -> None:
    """On the home page the nav is Spanish; on /admin the editor is still signed in (checked by the server)."""
    page.goto("/")
    expect(page.locator("header nav").first).to_contain_text(ES["nav_posts"])
    page.goto("/admin")
    expect(page.locator("#admin-sign-out")).to_have_text(ES["admin_sign_out"])
    expect(page.locator("#admin-sign-in")).to_have_count(0)


def test_language_and_admin_session_hold_whichever_worker_serves_the_tab(context, cluster: ProdCluster):
    """Reload after reload the tab's websocket lands on different worker processes, and each one finds the
    Spanish choice and the signed-in session (both kept in Redis, keyed by the tab's token)."""
    browser_context, _errors = context
    page = browser_context.new_page()
    sign_in_and_choose_spanish(page, cluster)
    page.goto("/admin")
    expect(page.locator("#admin-sign-out")).to_be_visible()
    first_token, _ = cluster.socket_owner(page)
    socket_owners: set[str] = set()  # Reflex's per-process instance ids, from the tab's socket record in Redis
    serving_pids: set[int] = set()  # worker pids holding this browser's TCP connections, from /proc
    reloads = 0
    while reloads < MIN_RELOADS or (len(socket_owners) < 2 or len(serving_pids) < 2) and reloads < MAX_RELOADS:
        page.reload()
        expect(page.locator("#admin-sign-out")).to_have_text(ES["admin_sign_out"])  # signed in, in Spanish
        token, owner = cluster.socket_owner(page)
        assert token == first_token, "the tab got a new Reflex session: its state would have been lost"
        socket_owners.add(owner)
        serving_pids |= cluster.connection_owners()
        reloads += 1
    assert len(cluster.worker_pids()) == WORKERS
    assert len(socket_owners - {None}) >= 2, f"every reload was served by one worker ({reloads} reloads)"
    assert len(serving_pids) >= 2 and serving_pids <= cluster.worker_pids()
    expect_spanish_and_signed_in(page)


def test_language_and_admin_session_survive_a_backend_restart(context, cluster: ProdCluster):
    """Stop every process of the backend (SIGTERM to its group), start it again on the same Redis and database:
    the same tab reloads in Spanish and still signed in."""
    browser_context, _errors = context
    page = browser_context.new_page()
    sign_in_and_choose_spanish(page, cluster)
    expect_spanish_and_signed_in(page)
    workers_before = cluster.worker_pids()

    took = cluster.stop()
    assert took < STOPPED_WITHIN_S, f"the server took {took:.1f} s to stop"
    cluster.start()
    assert cluster.worker_pids().isdisjoint(workers_before)  # really new processes

    page.reload()
    expect(page.locator("#admin-sign-out")).to_be_visible()
    # The tab is connected to one of the new workers. Its token is usually the same, but Reflex hands out a
    # new one when the stopped server's record of the old socket is still in Redis (a timing matter): what
    # must survive is what the visitor sees, which comes from the cookies and the server-side session.
    new_token, owner = cluster.socket_owner(page)
    assert owner is not None and new_token
    expect_spanish_and_signed_in(page)


def submit_message(page: Page, marker: str) -> None:
    """Fill the contact form with a message carrying `marker` and send it."""
    page.goto("/contact")
    expect(page.locator("main h1")).to_have_text(EN["contact_heading"])
    wait_for_language_cookie(page.context)
    page.locator("#contact-name").fill("Ana Rivas")
    page.locator("#contact-email").fill("ana.rivas@example.org")
    page.locator("#contact-message").fill(f"Quiero participar. {marker}")
    page.locator("#contact-submit").click()


def test_contact_rate_limit_counts_messages_handled_by_every_worker(context, browser: Browser, cluster: ProdCluster):
    """Five messages from one address, sent from fresh tabs that land on different workers, are stored; the sixth
    is refused whichever worker takes it, because the count is kept in the database."""
    marker = uuid.uuid4().hex
    handled_by: set[str] = set()
    for number in range(RATE_LIMIT_COUNT):
        tab = browser.new_context(base_url=cluster.base_url, locale="en-US")  # a new tab session, a new socket
        page = tab.new_page()
        submit_message(page, f"{marker}-{number}")
        expect(page.locator("#contact-outcome")).to_have_text(EN["contact_thanks"])
        handled_by.add(cluster.socket_owner(page)[1])
        tab.close()
    browser_context, _errors = context
    page = browser_context.new_page()
    submit_message(page, f"{marker}-refused")
    expect(page.locator("#contact-outcome")).to_have_text(translate("contact_error_rate_limited", "en", minutes=10))
    expect(page.locator("#contact-message")).to_have_value(f"Quiero participar. {marker}-refused")  # input kept
    handled_by.add(cluster.socket_owner(page)[1])
    assert len(handled_by - {None}) >= 2, (
        "every submission went to the same worker; the limit was not tested across workers"
    )
    with Session(engine_for(cluster.database_url)) as session:
        stored = session.exec(select(ContactMessage.message).where(col(ContactMessage.message).contains(marker))).all()
    assert sorted(stored) == sorted(f"Quiero participar. {marker}-{number}" for number in range(RATE_LIMIT_COUNT))
