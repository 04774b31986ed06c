"""Security headers on every HTTP response, and a script policy that allows the build's inline scripts by hash only."""

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient

from tests.observatory import policy_directives
from tests.unit.fake_build import NOT_A_PAGE, ROUTES, page, page_scripts, write_build
from vws_app.server.csp import PagePolicy, inline_script_hashes, script_hash
from vws_app.server.deferred_scripts import defer_app_scripts
from vws_app.server.headers import RESOURCE_POLICY, SecurityHeadersMiddleware

ADDRESSES = ["/page", "/text", "/json", "/empty", "/not-modified", "/own-policy", "/missing"]


def _page(_request):
    return HTMLResponse(page(ROUTES["index.html"]))


def _text(_request):
    return PlainTextResponse("hello")


def _json(_request):
    return JSONResponse({"ok": True})


def _empty(_request):
    return Response(status_code=204)


def _not_modified(_request):
    """What a revalidated cached page gets: no body, no content type."""
    return Response(status_code=304, headers={"etag": '"abc"'})


def _own_policy(_request):
    return HTMLResponse(
        "framed", headers={"Content-Security-Policy": "frame-ancestors *", "X-Frame-Options": "ALLOWALL"}
    )


async def _echo(websocket):
    await websocket.accept()
    await websocket.send_text("hi")
    await websocket.close()


@pytest.fixture(autouse=True)
def plain_http(monkeypatch):
    monkeypatch.delenv("SITE_HTTPS", raising=False)


@pytest.fixture
def build(tmp_path):
    return write_build(tmp_path / "client")


@pytest.fixture
def client(build) -> TestClient:
    """A tiny app with a few kinds of response, wrapped in the middleware as the real app is."""
    app = Starlette(
        routes=[
            Route("/page", _page),
            Route("/", _page),
            Route("/admin", _page),
            Route("/admin/", _page),
            Route("/text", _text),
            Route("/json", _json),
            Route("/empty", _empty),
            Route("/not-modified", _not_modified),
            Route("/own-policy", _own_policy),
            WebSocketRoute("/socket", _echo),
        ]
    )
    return TestClient(SecurityHeadersMiddleware(app, PagePolicy(lambda: build, recheck_seconds=0)))


def _script_sources(response) -> set[str]:
    return set(policy_directives(list(response.headers.items()))["script-src"])


@pytest.mark.parametrize("address", ADDRESSES)
def test_every_response_forbids_framing_sniffing_embedding_and_third_parties(client, address):
    response = client.get(address)
    policy = policy_directives(list(response.headers.items()))
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["default-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"}
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert response.headers["cross-origin-resource-policy"] == "same-site"


@pytest.mark.parametrize("address", ADDRESSES)
def test_permissions_policy_turns_off_camera_microphone_and_geolocation(client, address):
    permissions = client.get(address).headers["permissions-policy"]
    features = dict(item.strip().split("=", 1) for item in permissions.split(","))
    for feature in ("camera", "microphone", "geolocation"):
        assert features[feature] == "()"


@pytest.mark.parametrize("address", ADDRESSES)
def test_no_response_allows_inline_or_evaluated_script_wholesale(client, address):
    sources = _script_sources(client.get(address))
    assert "'self'" in sources
    assert not sources & {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "*", "http:", "https:"}


def test_policy_allows_only_this_origin_for_scripts_connections_images_and_forms(client):
    policy = policy_directives(list(client.get("/page").headers.items()))
    for directive in ("script-src", "style-src", "img-src", "font-src", "connect-src"):
        assert "'self'" in policy[directive]
        assert not [source for source in policy[directive] if source.startswith(("http", "*", "ws"))], directive
    assert policy["form-action"] == {"'self'"}
    assert policy["base-uri"] == {"'self'"}


def _hashes_as_written_and_served(*names: str) -> set[str]:
    pages = [page(ROUTES[name]) for name in names]
    return set().union(*(inline_script_hashes(html) | inline_script_hashes(defer_app_scripts(html)) for html in pages))


@pytest.mark.parametrize(
    ("address", "name"), [("/", "index.html"), ("/admin", "admin/index.html"), ("/admin/", "admin/index.html")]
)
def test_a_page_allows_exactly_the_inline_scripts_of_its_own_file_as_written_and_as_served(client, address, name):
    allowed = _script_sources(client.get(address))
    assert allowed == {"'self'"} | _hashes_as_written_and_served(name)
    others = {script_hash(script) for other, script in ROUTES.items() if other != name}
    assert not allowed & others


def test_an_address_without_a_page_file_gets_the_scripts_of_the_shell_it_is_filled_from(client):
    allowed = _script_sources(client.get("/page"))  # as a post or an unknown address
    assert allowed == {"'self'"} | _hashes_as_written_and_served("__spa-fallback.html", "404.html")
    assert script_hash(ROUTES["admin/index.html"]) not in allowed
    assert script_hash(NOT_A_PAGE[1]) not in allowed  # an HTML file among the assets is no page


def test_the_whole_builds_policy_allows_every_pages_inline_scripts_as_written_and_as_served(build):
    allowed = policy_directives([("content-security-policy", PagePolicy(lambda: build).current())])["script-src"]
    written = {script_hash(source) for source in page_scripts()}
    assert allowed == {"'self'"} | written | _hashes_as_written_and_served(*ROUTES)
    assert script_hash(NOT_A_PAGE[1]) not in allowed


def test_a_304_keeps_the_page_policy_because_its_headers_replace_the_cached_pages(client):
    response = client.get("/not-modified")
    assert response.status_code == 304
    assert _script_sources(response) == _script_sources(client.get("/page"))


@pytest.mark.parametrize("address", ["/text", "/json"])
def test_responses_that_are_not_pages_get_the_shorter_policy_with_no_inline_script(client, address):
    response = client.get(address)
    assert response.headers["content-security-policy"] == RESOURCE_POLICY.decode()
    assert _script_sources(response) == {"'self'"}


def test_the_apps_own_weaker_headers_are_replaced_not_duplicated(client):
    response = client.get("/own-policy")
    assert len(response.headers.get_list("content-security-policy")) == 1
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers.get_list("x-frame-options") == ["DENY"]
    assert response.text == "framed"


def test_the_apps_other_headers_and_body_are_kept(client):
    response = client.get("/json")
    assert response.json() == {"ok": True}
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)


def test_no_hsts_over_plain_http(client):
    assert "strict-transport-security" not in client.get("/text").headers


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_hsts_when_the_site_is_served_over_https(monkeypatch, build, value):
    monkeypatch.setenv("SITE_HTTPS", value)
    app = SecurityHeadersMiddleware(Starlette(routes=[Route("/text", _text)]), PagePolicy(lambda: build))
    hsts = TestClient(app).get("/text").headers["strict-transport-security"]
    max_age = int(hsts.split(";")[0].removeprefix("max-age="))
    assert max_age >= 31_536_000
    assert "includeSubDomains" in hsts


def test_sockets_pass_through_untouched(client):
    with client.websocket_connect("/socket") as socket:
        assert socket.receive_text() == "hi"


def test_a_script_hash_is_the_one_browsers_compute():
    # printf '%s' "alert('hi')" | openssl dgst -sha256 -binary | base64
    assert script_hash("alert('hi')") == "'sha256-XTqNqFSUlZHAW7f/OGNYSOEzxKhjdAAGMXoid2VEbJk='"


def test_scripts_loaded_from_files_and_empty_scripts_need_no_hash():
    markup = '<script src="/assets/a.js"></script><script></script><script type="module">go()</script>'
    assert inline_script_hashes(markup) == {script_hash("go()")}


def test_script_text_is_hashed_as_written_entities_and_tags_in_strings_included():
    source = 'const s = "&amp; <b>not a tag</b>"; if (a < b) {}'
    assert inline_script_hashes(f"<script>{source}</script>") == {script_hash(source)}


def test_a_rebuild_changes_the_policy_and_drops_the_old_hashes(build):
    policy = PagePolicy(lambda: build, recheck_seconds=0)
    before = policy.current()
    (build / "index.html").write_text(page("import('/assets/entry.client-new.js');"), encoding="utf-8")
    after = policy.current()
    assert script_hash("import('/assets/entry.client-new.js');") in after
    assert script_hash(ROUTES["index.html"]) not in after
    assert before != after


def test_the_policy_is_looked_up_again_only_after_its_interval(build):
    policy = PagePolicy(lambda: build, recheck_seconds=3600)
    before = policy.current()
    (build / "index.html").write_text(page("changed()"), encoding="utf-8")
    assert policy.current() == before


def test_without_a_build_no_inline_script_is_allowed(tmp_path):
    policy = PagePolicy(lambda: tmp_path / "missing", recheck_seconds=0)
    assert policy_directives([("content-security-policy", policy.current())])["script-src"] == {"'self'"}
