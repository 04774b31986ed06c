"""Privacy, the Content-Security-Policy and Mozilla's Observatory tests against the production build.

In Chromium: no third-party requests, no policy violations on any kind of page (every browser
test also fails on a violation, which Chromium logs as a console error), nothing stored but
the language. Over HTTP: the Observatory's tests that apply to a site served over plain HTTP.
"""

import dataclasses
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests import observatory
from tests.e2e.conftest import LiveApp
from tests.observatory import SCANNER_ORIGIN, Exchange, policy_directives
from vws_app.i18n import CATALOGUES
from vws_app.server.csp import inline_script_hashes
from vws_app.services.seeding import load_seed_content
from vws_app.services.seo import FALLBACK_ID
from vws_app.services.slugs import slug_from_title

TITLES = {(post["translation_group"], post["language"]): post["title"] for post in load_seed_content()["posts"]}
LOCALES = {"en": "en-US", "es": "es-VE"}
SECURITY_HEADERS = (
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
    "x-frame-options",
    "cross-origin-resource-policy",
)
WHOLESALE_SCRIPT_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "*", "http:", "https:"}
ALLOWED_COOKIES = {"vws_lang"}
CONTACT_DRAFT_PREFIX = "vws_contact_"
COOKIE_WAIT_S = 15
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
});
"""


def public_pages(language: str) -> list[tuple[str, str]]:
    """Every public page (path, its <h1>) in `language`; the post is the Myanmar statement in that language."""
    text = CATALOGUES[language]
    post_title = TITLES["myanmar", language]
    return [
        ("/", text["home_about_heading"]),
        ("/posts", text["posts_heading"]),
        (f"/posts/{slug_from_title(post_title)}", post_title),
        ("/events", text["events_heading"]),
        ("/allies", text["allies_heading"]),
        ("/contact", text["contact_heading"]),
    ]


@dataclasses.dataclass
class Visit:
    """One browser tab and everything it asked for, was told, and was blocked from."""

    page: Page
    requested: list[str] = dataclasses.field(default_factory=list)
    documents: list[Response] = dataclasses.field(default_factory=list)
    assets: list[Response] = dataclasses.field(default_factory=list)
    policy_messages: list[str] = dataclasses.field(default_factory=list)
    violations: list[str] = dataclasses.field(default_factory=list)

    def open(self, path: str, heading: str) -> None:
        """Go to `path`, wait until it is the live page, and keep what the last page recorded."""
        self.collect_violations()
        response = self.page.goto(path)
        assert response is not None and response.status == 200, path
        expect(self.page.locator("main h1").first).to_have_text(heading)
        expect(self.page.locator(f"#{FALLBACK_ID}")).to_have_count(0)
        wait_for_language_cookie(self.page.context)

    def collect_violations(self) -> None:
        """Violations recorded by the current document (lost on the next navigation)."""
        if self.page.url.startswith("http"):
            self.violations += self.page.evaluate("window.__cspViolations || []")
            self.page.evaluate("window.__cspViolations = []")


def wait_for_language_cookie(context: BrowserContext) -> None:
    """Poll until the backend's answer has stored the language cookie (the page's on-load events ran)."""
    deadline = time.monotonic() + COOKIE_WAIT_S
    while not any(cookie["name"] == "vws_lang" for cookie in context.cookies()):
        assert time.monotonic() < deadline, "the language cookie was never set"
        time.sleep(0.1)


@pytest.fixture
def visit(new_context: Callable[..., BrowserContext]) -> Callable[[str], Visit]:
    """A tab in a fresh context for a browser language, recording requests, headers and policy violations."""

    def make(language: str) -> Visit:
        context = new_context(locale=LOCALES[language])
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        record = Visit(page)
        page.on("request", lambda request: record.requested.append(request.url))
        page.on("websocket", lambda socket: record.requested.append(socket.url))
        page.on("response", lambda response: _keep_response(record, response))
        page.on("console", lambda message: _keep_policy_message(record, message.text))
        return record

    return make


def _keep_response(record: Visit, response: Response) -> None:
    if response.request.resource_type == "document":
        record.documents.append(response)
    elif urlsplit(response.url).path.startswith("/assets/"):
        record.assets.append(response)


def _keep_policy_message(record: Visit, text: str) -> None:
    if "Content Security Policy" in text or "Content-Security-Policy" in text:
        record.policy_messages.append(text)


def read_every_page(record: Visit, language: str) -> None:
    for path, heading in public_pages(language):
        record.open(path, heading)
    record.collect_violations()


def submit_contact_with_invalid_email(record: Visit, language: str) -> None:
    """Type a bad address, leave the field, send: the form shows its error and stays."""
    page, text = record.page, CATALOGUES[language]
    record.open("/contact", text["contact_heading"])
    page.locator("#contact-name").fill("Ana Rivas")
    page.locator("#contact-email").fill("ana@@example")
    page.locator("#contact-message").fill("Hola")
    page.locator("#contact-email").press("Tab")
    page.locator("#contact-submit").click()
    expect(page.locator("#contact-email-error")).to_have_text(text["contact_error_email_invalid"])
    expect(page.locator("#contact-email")).to_have_attribute("aria-invalid", "true")
    record.collect_violations()


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_public_page_and_the_contact_form_request_only_this_site(visit, live_app: LiveApp, language: str):
    record = visit(language)
    read_every_page(record, language)
    submit_contact_with_invalid_email(record, language)
    own_host = urlsplit(live_app.base_url).netloc
    assert record.requested, "no requests were recorded"
    foreign = sorted(
        {url for url in record.requested if urlsplit(url).netloc != own_host and not url.startswith("data:")}
    )
    assert foreign == [], f"requests to other hosts: {foreign}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_page_breaks_the_content_security_policy(visit, language: str):
    record = visit(language)
    read_every_page(record, language)
    submit_contact_with_invalid_email(record, language)
    assert record.violations == []
    assert record.policy_messages == []


def _script_sources(headers: observatory.Headers) -> set[str]:
    return policy_directives(headers)["script-src"]


def _expect_security_headers(response: Response) -> None:
    headers = response.headers
    missing = [name for name in SECURITY_HEADERS if name not in headers]
    assert not missing, f"{response.url} lacks {missing}"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert not _script_sources(list(headers.items())) & WHOLESALE_SCRIPT_SOURCES
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["cross-origin-resource-policy"] == "same-site"
    assert {"camera=()", "microphone=()", "geolocation=()"} <= {
        part.strip() for part in headers["permissions-policy"].split(",")
    }


def test_html_pages_and_static_assets_carry_the_security_headers(visit):
    record = visit("en")
    read_every_page(record, "en")
    assert len(record.documents) == len(public_pages("en"))
    for response in record.documents:
        _expect_security_headers(response)
    scripts = [response for response in record.assets if response.url.endswith(".js")]
    styles = [response for response in record.assets if response.url.endswith(".css")]
    assert scripts and styles
    for response in (scripts[0], styles[0]):
        _expect_security_headers(response)


def request(
    live_app: LiveApp, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, observatory.Headers, str]:
    """A plain HTTP request, as a scanner makes it: status, every header (repeats kept), body."""
    outgoing = urllib.request.Request(live_app.url(path), method=method, headers=headers or {})
    try:
        response = urllib.request.urlopen(outgoing, timeout=15)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        received = [(name.lower(), value) for name, value in response.headers.items()]
        return response.status, received, response.read().decode(errors="replace")


@pytest.mark.parametrize("path", ["/favicon.svg", "/og-image.png", "/posts/nope", "/feed.xml", "/healthz"])
def test_other_responses_carry_the_security_headers_too(live_app: LiveApp, path: str):
    _status, headers, _body = request(live_app, path)
    names = {name for name, _value in headers}
    assert set(SECURITY_HEADERS) <= names, path
    assert "frame-ancestors 'none'" in observatory.first(headers, "content-security-policy")
    assert "strict-transport-security" not in names  # plain HTTP: SITE_HTTPS is unset


# One of each kind: filled by our routes, prerendered static files, the admin, both 404s.
EVERY_KIND_OF_PAGE = [
    "/",
    f"/posts/{slug_from_title(TITLES['myanmar', 'en'])}",
    "/contact",
    "/admin",
    "/search?q=myanmar",
    "/no-such-page",
    "/posts/no-such-post",
]


@pytest.mark.parametrize("path", EVERY_KIND_OF_PAGE)
def test_every_kind_of_page_hydrates_with_no_policy_violation(visit, path: str):
    """The page opens Reflex's event socket (so its inline bootstrap scripts ran) and nothing was refused."""
    record = visit("en")
    hydrated = True
    try:
        with record.page.expect_websocket(lambda socket: "/_event" in socket.url):
            response = record.page.goto(path)
    except PlaywrightTimeoutError:
        hydrated = False
    record.collect_violations()
    assert record.violations == []
    assert record.policy_messages == []
    assert hydrated, "the page never opened its event socket"
    headers = [(header["name"].lower(), header["value"]) for header in response.headers_array()]
    assert not _script_sources(headers) & WHOLESALE_SCRIPT_SOURCES
    assert inline_script_hashes(response.text()) <= _script_sources(headers)


@pytest.fixture(scope="module")
def scanned(live_app: LiveApp) -> Exchange:
    """What the Observatory fetches from the running site: `/`, `/robots.txt` and a CORS preflight."""
    status, headers, body = request(live_app, "/")
    assert status == 200
    _status, robots_headers, _body = request(live_app, "/robots.txt")
    _status, preflight_headers, _body = request(
        live_app, "/", "OPTIONS", {"Origin": SCANNER_ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    return Exchange(live_app.url("/"), headers, body, robots_headers, preflight_headers, SCANNER_ORIGIN)


@pytest.mark.parametrize("test", sorted(observatory.SITE_RESULTS))
def test_observatory_test_passes_on_the_running_site(scanned: Exchange, test: str):
    result = observatory.results_over_plain_http(scanned)[test]
    assert result == observatory.SITE_RESULTS[test]
    assert result in observatory.PASSING


def test_the_running_sites_policy_has_none_of_the_weaknesses_the_observatory_reports(scanned: Exchange):
    assert observatory.policy_weaknesses(scanned) == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_reading_pages_stores_only_the_language_cookie_and_no_contact_draft(visit, language: str):
    record = visit(language)
    read_every_page(record, language)
    page = record.page
    script_cookies = {part.split("=", 1)[0] for part in page.evaluate("document.cookie").split("; ") if part}
    assert script_cookies <= ALLOWED_COOKIES
    assert {cookie["name"] for cookie in page.context.cookies()} <= ALLOWED_COOKIES
    assert page.evaluate("document.cookie") == f"vws_lang={language}"
    # The Observatory's cookie rules that apply over plain HTTP (Secure cannot be set here).
    assert [(cookie["sameSite"], cookie["httpOnly"]) for cookie in page.context.cookies()] == [("Lax", False)]
    stored = page.evaluate("Object.keys(localStorage)")
    assert [key for key in stored if key.startswith(CONTACT_DRAFT_PREFIX)] == [], stored
