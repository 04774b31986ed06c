"""Browser end-to-end harness: one production build of the app per session, one fresh browser context per test."""

import contextlib
import dataclasses
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from scripts.app_log import LogWatch, allowance
from scripts.app_process import (  # noqa: F401  (test modules import them from here)
    PROJECT_ROOT,
    SERVING_TIMEOUT_S,
    VENV_BIN,
    AppDidNotStart,
    AppProcess,
    answers,
    app_process,
    copy_project,
    free_port,
    log_tail,
    remove_node_modules,
)
from tests.e2e.browser_errors import BrowserErrors

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FIRST_BUILD_TIMEOUT_S = SERVING_TIMEOUT_S
STOP_GRACE_S = 10
DESKTOP_VIEWPORT = {"width": 1280, "height": 800}
ERRORS_KEY = pytest.StashKey[list[BrowserErrors]]()
E2E_SETTINGS = {
    # Every browser test writes from 127.0.0.1; the limit itself is tested in the unit tests.
    "CONTACT_RATE_LIMIT": "100",
    # As behind one reverse proxy: browsers send no X-Forwarded-For and stay 127.0.0.1; the
    # sign-in limit and socket tests name their own client address with it.
    "REFLEX_TRUSTED_PROXY_HOPS": "1",
}
# The logs of every app this run started: a test fails when, during it, one of them gained an error.
APP_LOGS = LogWatch()
# Names test modules import from here; the one way to start the app is scripts/app_process.py.
_free_port, _answers, _copy_project, _log_tail = free_port, answers, copy_project, log_tail

expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e drives a browser: mark it `e2e` so `-m "not e2e"` skips it."""
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """After a test body passes, fail it (in the call phase, so `xfail` applies) if a page logged an error."""
    result = yield
    for errors in item.stash.get(ERRORS_KEY, []):
        errors.assert_none()
    return result


@pytest.fixture(autouse=True)
def app_log_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test, at its teardown, when the log of an app this run started gained an error (an ERROR or
    CRITICAL line, a traceback: `scripts/app_log.py`) since the previous test's teardown: while the test ran,
    or while its fixtures started an app (a log counts from its first line). The errors are shown.
    A test that provokes an error on purpose says which, and why:
    `@pytest.mark.allow_app_errors(r"regular expression", reason="...")`."""
    allowed = allowed_app_errors(request.node)
    yield
    errors = APP_LOGS.new_errors(allowed)
    if errors:
        pytest.fail(f"the app logged {len(errors)} error(s) during this test:\n\n" + "\n\n".join(errors), pytrace=False)


def allowed_app_errors(node: pytest.Item) -> list[re.Pattern]:
    """The patterns of the test's `allow_app_errors` markers (its own, its class's, its module's)."""
    patterns = []
    for marker in node.iter_markers("allow_app_errors"):
        if not marker.kwargs.get("reason"):
            pytest.fail('allow_app_errors needs reason="...": why this test provokes that error', pytrace=False)
        patterns += marker.args
    try:
        return allowance(patterns)
    except ValueError as error:
        pytest.fail(str(error), pytrace=False)


@dataclasses.dataclass(frozen=True)
class LiveApp:
    """A running production build: where to reach it and which database it uses."""

    base_url: str
    database_url: str
    root: Path
    log_path: Path

    def url(self, path: str) -> str:
        """The absolute address of `path` on this server."""
        return self.base_url + path

    @property
    def upload_dir(self) -> Path:
        """The folder this server stores uploads in and serves at `/_upload/` (see `running_reflex`)."""
        return self.root / "uploads"


def start_watched(server: AppProcess, timeout_s: float = FIRST_BUILD_TIMEOUT_S) -> None:
    """Start `server`, its log watched for errors from its first line; the test fails if it does not serve."""
    APP_LOGS.watch(server.log_path)
    try:
        server.start(timeout_s)
        return
    except AppDidNotStart as error:
        reason = f"the app in {server.root} {error}"
    pytest.fail(reason, pytrace=False)


@contextlib.contextmanager
def running_reflex(
    root: Path, mode: str, extra_env: Callable[[str], dict[str, str]] | None = None
) -> Iterator[LiveApp]:
    """`reflex run --env <mode>` in a copy of the project at `root`, with its own SQLite file.

    prod serves pages and backend on one free port; dev (what `reflex run` starts for a
    developer) serves pages from Vite on one port and the backend on another. `extra_env`,
    given the pages' base URL, adds settings (e.g. `SITE_URL` of this very server, `SMTP_URL`).
    """
    copy_project(root)
    database_url = f"sqlite:///{root / 'e2e.db'}"
    # Uploads in the copy, named outright: a test process that has imported rxconfig carries
    # REFLEX_UPLOADED_FILES_DIR (the checkout's folder), which the server would otherwise inherit.
    uploads = {"UPLOAD_DIR": str(root / "uploads"), "REFLEX_UPLOADED_FILES_DIR": str(root / "uploads")}
    server = app_process(
        root,
        database_url,
        mode=mode,
        settings=lambda base_url: {**E2E_SETTINGS, **uploads, **(extra_env(base_url) if extra_env else {})},
    )
    try:
        start_watched(server)
        yield LiveApp(base_url=server.base_url, database_url=database_url, root=root, log_path=server.log_path)
    finally:
        server.stop(STOP_GRACE_S)
        remove_node_modules(root)
    fail_on_errors_since_last_test(server.log_path)


def fail_on_errors_since_last_test(log_path: Path, allowed: tuple[re.Pattern, ...] = ()) -> None:
    """After a server the fixtures started has stopped: fail (the fixture's teardown) if its log gained an
    error since the last test's end (other than the `allowed` ones its tests provoke), so no later test is blamed."""
    errors = APP_LOGS.new_errors(allowed, only=log_path)
    if errors:
        pytest.fail(
            f"the app logged {len(errors)} error(s) after the last test or while stopping:\n\n" + "\n\n".join(errors),
            pytrace=False,
        )


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The production build, started once for the whole session."""
    with running_reflex(tmp_path_factory.mktemp("vws_e2e"), "prod") as app:
        yield app


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, shared by the whole session."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def browser_contexts(
    browser: Browser, base_url: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., BrowserContext]]:
    """A maker of fresh contexts (no cookies) on `base_url`, with a browser `locale`, `viewport` and any other
    Playwright context option (`java_script_enabled=False`, …); their page errors fail the test; all closed at the end."""
    contexts: list[BrowserContext] = []
    watchers = request.node.stash.setdefault(ERRORS_KEY, [])

    def make(locale: str = "en-US", viewport: dict[str, int] | None = None, **options) -> BrowserContext:
        context = browser.new_context(
            base_url=base_url, locale=locale, viewport=viewport or DESKTOP_VIEWPORT, **options
        )
        context.set_default_timeout(15_000)
        watchers.append(BrowserErrors.watch(context))
        contexts.append(context)
        return context

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def new_context(
    browser: Browser, live_app: LiveApp, request: pytest.FixtureRequest
) -> Iterator[Callable[..., BrowserContext]]:
    """Make a fresh context (no cookies) with a browser `locale`, `viewport` and other Playwright `options`; its page errors fail the test."""
    with browser_contexts(browser, live_app.base_url, request) as make:
        yield make


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a fresh English desktop context."""
    return new_context().new_page()


@pytest.fixture
def browser_errors(request: pytest.FixtureRequest, page: Page) -> BrowserErrors:
    """The error log of the `page` fixture's context, for tests that check it themselves."""
    return request.node.stash[ERRORS_KEY][0]
