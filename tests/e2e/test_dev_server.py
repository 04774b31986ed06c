"""`reflex run` as a developer starts it (dev mode: Vite on one port, the backend on another).

The production build hides React's development warnings; this is where they show, so every
public page must load, hydrate and switch language here without one.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser_errors import BrowserErrors
from tests.e2e.conftest import DESKTOP_VIEWPORT, PROJECT_ROOT, LiveApp, running_reflex
from tests.e2e.waits import expect_hydrated
from vws_app.i18n import CATALOGUES

PAGES = {
    "/": "home_about_heading",
    "/posts": "posts_heading",
    "/events": "events_heading",
    "/allies": "allies_heading",
    "/contact": "contact_heading",
}


@pytest.fixture(scope="module")
def dev_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    with running_reflex(tmp_path_factory.mktemp("vws_dev"), "dev") as app:
        yield app


def test_every_public_page_runs_without_a_development_warning(browser: Browser, dev_app: LiveApp):
    context = browser.new_context(base_url=dev_app.base_url, viewport=DESKTOP_VIEWPORT)
    errors = BrowserErrors.watch(context)
    try:
        page = context.new_page()
        for path, heading in PAGES.items():
            page.goto(path)
            expect_hydrated(page, CATALOGUES["en"][heading])
        page.locator("#language-toggle").click()
        expect(page.locator("main h1").first).to_have_text(CATALOGUES["es"]["contact_heading"])
        errors.assert_none()
    finally:
        context.close()


def test_a_dev_start_on_a_new_database_prints_no_misleading_database_message(dev_app: LiveApp):
    """The start migrates by itself: no "Target database is not up to date", no "Detected database schema changes"."""
    log = dev_app.log_path.read_text(encoding="utf-8", errors="replace")
    assert "Target database is not up to date" not in log
    assert "Detected database schema changes" not in log
    for name in ("package.json", "package-lock.json"):
        assert (dev_app.root / "reflex.lock" / name).read_bytes() == (PROJECT_ROOT / "reflex.lock" / name).read_bytes()
