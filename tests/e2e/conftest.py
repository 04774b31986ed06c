"""Browser end-to-end harness: one production build of the app per session, one fresh browser context per test."""

import contextlib
import dataclasses
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.browser_errors import BrowserErrors

PROJECT_ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
APP_FILES = ["vws_app", "assets", "alembic", "alembic.ini", "rxconfig.py", "requirements.txt", "reflex.lock"]
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FIRST_BUILD_TIMEOUT_S = 360
STOP_GRACE_S = 10
DESKTOP_VIEWPORT = {"width": 1280, "height": 800}
ERRORS_KEY = pytest.StashKey[list[BrowserErrors]]()

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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _copy_project(target: Path) -> None:
    """The app's sources, plus the developer's node_modules when present so npm has little to fetch."""
    for name in APP_FILES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, target / name)
    node_modules = PROJECT_ROOT / ".web" / "node_modules"
    if node_modules.is_dir():
        shutil.copytree(node_modules, target / ".web" / "node_modules", symlinks=True)


def _answers(url: str) -> bool:
    """True when `url` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _log_tail(log_path: Path, lines: int = 60) -> str:
    text = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _wait_until_serving(process: subprocess.Popen, base_url: str, backend_url: str, log_path: Path) -> None:
    """Poll until the page shell and the backend both answer; fail with the log tail otherwise."""
    deadline = time.monotonic() + FIRST_BUILD_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"reflex exited with {process.returncode} before serving:\n{_log_tail(log_path)}")
        if _answers(base_url + "/") and _answers(backend_url + "/ping"):
            return
        time.sleep(1)
    pytest.fail(f"app not serving at {base_url} after {FIRST_BUILD_TIMEOUT_S} s:\n{_log_tail(log_path)}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the whole process group, give it a grace period, then SIGKILL whatever is left."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=STOP_GRACE_S)


@contextlib.contextmanager
def running_reflex(
    root: Path, mode: str, extra_env: Callable[[str], dict[str, str]] | None = None
) -> Iterator[LiveApp]:
    """`reflex run --env <mode>` in a copy of the project at `root`, with its own SQLite file.

    prod serves pages and backend on one free port; dev (what `reflex run` starts for a
    developer) serves pages from Vite on one port and the backend on another. `extra_env`,
    given the pages' base URL, adds settings (e.g. `SITE_URL` of this very server, `SMTP_URL`).
    """
    _copy_project(root)
    frontend_port = _free_port()
    backend_port = frontend_port if mode == "prod" else _free_port()
    database_url = f"sqlite:///{root / 'e2e.db'}"
    log_path = root / "reflex.log"
    base_url = f"http://127.0.0.1:{frontend_port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # Every browser test writes from 127.0.0.1; the limit itself is tested in the unit tests.
        "CONTACT_RATE_LIMIT": "100",
        # As behind one reverse proxy: browsers send no X-Forwarded-For and stay 127.0.0.1; the
        # sign-in limit and socket tests name their own client address with it.
        "REFLEX_TRUSTED_PROXY_HOPS": "1",
        # The pages' own origin, whose forms (and sockets) the server accepts; SITE_URL stays
        # the default so canonical links are what the tests expect.
        "EXTRA_ORIGINS": f"http://127.0.0.1:{frontend_port}",
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFLEX_USE_NPM": "1",
        # Uploads in the copy, named outright: a test process that has imported rxconfig carries
        # REFLEX_UPLOADED_FILES_DIR (the checkout's folder), which the server would otherwise inherit.
        "UPLOAD_DIR": str(root / "uploads"),
        "REFLEX_UPLOADED_FILES_DIR": str(root / "uploads"),
    }
    if extra_env is not None:
        env.update(extra_env(f"http://127.0.0.1:{frontend_port}"))
    command = [str(VENV_BIN / "reflex"), "run", "--env", mode,
               "--frontend-port", str(frontend_port), "--backend-port", str(backend_port)]
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    app = LiveApp(base_url=base_url, database_url=database_url, root=root, log_path=log_path)
    try:
        _wait_until_serving(process, app.base_url, f"http://127.0.0.1:{backend_port}", log_path)
        yield app
    finally:
        _stop(process)
        shutil.rmtree(root / ".web" / "node_modules", ignore_errors=True)  # 150 MB; the log and database stay


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
        context = browser.new_context(base_url=base_url, locale=locale, viewport=viewport or DESKTOP_VIEWPORT, **options)
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
def new_context(browser: Browser, live_app: LiveApp, request: pytest.FixtureRequest) -> Iterator[Callable[..., BrowserContext]]:
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
