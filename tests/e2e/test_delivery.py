"""What travels to a visitor: compressed pages, build assets cached for good, and a home page that does not jump."""

import re
import urllib.request

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LiveApp
from tests.e2e.waits import expect_hydrated
from vws_app.server.deferred_scripts import WANTS_APP
from vws_app.services.seeding import load_seed_content
from vws_app.services.seo import FALLBACK_ID, SERVER_ONLY_ATTRIBUTE
from vws_app.services.slugs import slug_from_title

SEED = load_seed_content()
MISSION_EN = next(text["body"] for text in SEED["site_texts"] if (text["key"], text["language"]) == ("mission", "en"))
MYANMAR_ES_TITLE = next(
    post["title"] for post in SEED["posts"] if (post["translation_group"], post["language"]) == ("myanmar", "es")
)
PHONE = {"width": 412, "height": 823}  # Lighthouse's mobile screen
# Sums every layout shift the browser reports while the page loads, as Lighthouse's CLS does.
RECORD_LAYOUT_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({type: 'layout-shift', buffered: true});
"""
# Google's threshold for a "good" cumulative layout shift.
GOOD_LAYOUT_SHIFT = 0.1


def _get(live_app: LiveApp, path: str, encodings: str) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(live_app.url(path), headers={"accept-encoding": encodings})
    with urllib.request.urlopen(request, timeout=15) as response:
        return {name.lower(): value for name, value in response.headers.items()}, response.read()


def test_server_filled_pages_are_compressed(live_app: LiveApp):
    headers, body = _get(live_app, "/", "gzip, deflate")
    assert headers.get("content-encoding") == "gzip"
    assert body[:2] == b"\x1f\x8b"


def test_build_assets_come_brotli_compressed_and_cached_for_a_year(live_app: LiveApp):
    _headers, home = _get(live_app, "/", "identity")
    scripts = re.findall(r"/assets/[\w.-]+\.js", home.decode())
    assert scripts, "the home page links no build script"
    headers, _body = _get(live_app, scripts[0], "gzip, deflate, br")
    assert headers.get("content-encoding") == "br"
    assert headers.get("cache-control") == "public, max-age=31536000, immutable"


def test_home_page_does_not_shift_while_its_content_arrives(page: Page, live_app: LiveApp):
    page.set_viewport_size(PHONE)
    page.add_init_script(RECORD_LAYOUT_SHIFTS)
    page.goto(live_app.url("/"))
    expect_hydrated(page, MISSION_EN[:40])
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => window.__layoutShift") < GOOD_LAYOUT_SHIFT


def test_a_shared_post_can_be_read_before_any_script_runs(browser: Browser, live_app: LiveApp):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(live_app.url(f"/posts/{slug_from_title(MYANMAR_ES_TITLE)}"))
        heading = page.locator(f"#{FALLBACK_ID} h1")
        expect(heading).to_have_text(MYANMAR_ES_TITLE)
        expect(heading).to_be_in_viewport()
    finally:
        context.close()


def test_the_live_page_replaces_the_servers_text_and_shows_itself(page: Page, live_app: LiveApp):
    page.goto(live_app.url(f"/posts/{slug_from_title(MYANMAR_ES_TITLE)}"))
    expect(page.locator("main h1")).to_have_text(MYANMAR_ES_TITLE)
    expect(page.locator(f"#{FALLBACK_ID}")).to_have_count(0)
    expect(page.locator(f"style[{SERVER_ONLY_ATTRIBUTE}]")).to_have_count(0)
    expect(page.locator("main h1")).to_be_visible()


def test_the_servers_text_stays_until_the_page_has_its_own_content(page: Page, live_app: LiveApp):
    """Hydrated but cut off from the backend (its socket answers nothing): the reader still has the text."""
    page.route_web_socket("**/_event/**", lambda _socket: None)  # accepted, never answered
    page.goto(live_app.url(f"/posts/{slug_from_title(MYANMAR_ES_TITLE)}"))
    page.wait_for_function(
        "() => { const header = document.querySelector('header');"
        " return header !== null && Object.keys(header).some((key) => key.startsWith('__reactFiber')); }"
    )
    expect(page.locator(f"#{FALLBACK_ID} h1")).to_have_text(MYANMAR_ES_TITLE)
    expect(page.locator(f"#{FALLBACK_ID} h1")).to_be_visible()
    expect(page.locator("header")).to_be_hidden()


@pytest.mark.parametrize("path", ["/", f"/posts/{slug_from_title(MYANMAR_ES_TITLE)}", "/contact"])
def test_served_pages_ask_for_their_scripts_only_after_the_first_paint(live_app: LiveApp, path: str):
    """Guards the rewrite of Reflex's bootstrap: a Reflex with another page shape would be served unchanged."""
    _headers, body = _get(live_app, path, "identity")
    page = body.decode()
    assert 'rel="modulepreload"' not in page and 'type="module" async' not in page
    assert f'<script type="module">if ({WANTS_APP}) {{ await new Promise((painted) => requestAnimationFrame(' in page
