"""Mozilla HTTP Observatory tests against the backend as production assembles it: routes, headers, Reflex's CORS.

The pages come from a small stand-in build (`fake_build.py`); the browser tests repeat these
checks against the real build and server (`tests/e2e/test_privacy_and_csp.py`).
"""

import runpy
from collections.abc import Callable

import pytest
import reflex.app
from reflex.app import App
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from tests import observatory
from tests.observatory import SCANNER_ORIGIN, Exchange
from tests.unit.fake_build import write_build
from vws_app.server import page_shell
from vws_app.server.csp import inline_script_hashes
from vws_app.server.headers import SecurityHeadersMiddleware
from vws_app.server.routes import backend_routes
from vws_app.settings import PROJECT_ROOT
from vws_app.state.language import LanguageState

# For tests of the running backend; the database engine does not matter here.
ON_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
OLD_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; object-src 'none'"
)


@pytest.fixture
def production(monkeypatch, app_database, tmp_path) -> Callable[[], TestClient]:
    """Makes a client of the backend as `reflex run --env prod` assembles it, over plain HTTP, on a stand-in build."""
    monkeypatch.setenv("REFLEX_ENV_MODE", "prod")
    monkeypatch.delenv("REFLEX_CORS_ALLOWED_ORIGINS", raising=False)
    build = write_build(tmp_path / "client")
    monkeypatch.setattr(page_shell, "build_dir", lambda: build)
    config = runpy.run_path(str(PROJECT_ROOT / "rxconfig.py"))["config"]
    monkeypatch.setattr(reflex.app, "get_config", lambda: config)

    def make() -> TestClient:
        top = Starlette(routes=[Mount("", SecurityHeadersMiddleware(backend_routes()))])
        App._add_cors(top)  # Reflex's own CORS layer, configured from rxconfig.py
        return TestClient(top)

    return make


@pytest.fixture
def exchange(production, monkeypatch) -> Exchange:
    """What the scanner fetches: the home page, /robots.txt and a CORS preflight from its own origin."""
    monkeypatch.delenv("SITE_HTTPS", raising=False)
    client = production()
    page = client.get("/")
    assert page.status_code == 200
    preflight = client.options("/", headers={"Origin": SCANNER_ORIGIN, "Access-Control-Request-Method": "GET"})
    return Exchange(
        url=str(page.url),
        headers=page.headers.multi_items(),
        body=page.text,
        robots_headers=client.get("/robots.txt").headers.multi_items(),
        preflight_headers=preflight.headers.multi_items(),
        preflight_origin=SCANNER_ORIGIN,
    )


@ON_SQLITE
@pytest.mark.parametrize("test", sorted(observatory.SITE_RESULTS))
def test_observatory_test_passes_over_plain_http(exchange, test):
    result = observatory.results_over_plain_http(exchange)[test]
    assert result == observatory.SITE_RESULTS[test]
    assert result in observatory.PASSING


def test_the_tests_that_cannot_pass_over_plain_http_are_only_redirection_and_hsts():
    assert set(observatory.SITE_RESULTS) | set(observatory.HTTPS_ONLY) == observatory.ALL_TESTS
    assert set(observatory.HTTPS_ONLY) == {"redirection", "strict-transport-security"}


@ON_SQLITE
def test_hsts_passes_once_the_site_is_served_over_https(production, monkeypatch):
    monkeypatch.setenv("SITE_HTTPS", "1")
    headers = production().get("/").headers.multi_items()
    assert observatory.strict_transport_security(headers) == "hsts-implemented-max-age-at-least-six-months"


@ON_SQLITE
def test_the_policy_has_none_of_the_weaknesses_the_observatory_reports(exchange):
    assert observatory.policy_weaknesses(exchange) == []


@ON_SQLITE
def test_every_inline_script_of_the_served_page_is_allowed_by_its_hash(exchange):
    hashes = inline_script_hashes(exchange.body)
    assert hashes
    assert hashes <= observatory.policy_directives(exchange.headers)["script-src"]


@ON_SQLITE
def test_a_page_requested_from_another_origin_grants_it_nothing(production):
    page = production().get("/", headers={"Origin": SCANNER_ORIGIN})
    headers = page.headers.multi_items()
    result = observatory.cross_origin_resource_sharing(headers, SCANNER_ORIGIN)
    assert result == "cross-origin-resource-sharing-not-implemented"


def test_the_language_cookie_is_same_site_lax_and_no_session_or_csrf_cookie():
    """Set by the page's script (so the scanner sees no cookie); SameSite and HttpOnly rules hold for it too."""
    cookie = LanguageState.get_fields()["lang"].default
    assert cookie.name == "vws_lang"
    assert cookie.same_site == "lax"
    assert not any(part in cookie.name for part in ("login", "sess", "csrf"))


def test_the_checks_fail_what_the_observatory_fails():
    """The checks themselves bite: Reflex's defaults and the old policy fail as the scanner fails them."""
    old = Exchange("http://site/", [("content-security-policy", OLD_POLICY)], "", [], [], SCANNER_ORIGIN)
    assert observatory.content_security_policy(old) == "csp-implemented-with-unsafe-inline"
    reflected = [("access-control-allow-origin", SCANNER_ORIGIN), ("access-control-allow-credentials", "true")]
    assert observatory.cross_origin_resource_sharing(reflected, SCANNER_ORIGIN) not in observatory.PASSING
    assert observatory.x_frame_options(old) == "x-frame-options-not-implemented"
    foreign = Exchange("http://site/", [], '<script src="http://cdn.example/x.js"></script>', [], [], SCANNER_ORIGIN)
    assert observatory.subresource_integrity(foreign) not in observatory.PASSING
    session = observatory.CookieFacts("sessionid", secure=False, http_only=False, same_site="")
    assert observatory.cookies([session], hsts=False) == "cookies-session-without-secure-flag"
