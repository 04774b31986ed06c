"""Security headers on every HTTP response: the policy, no framing, no sniffing, no leaked URLs, HSTS only over HTTPS."""

import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient

from vws_app.server.headers import SecurityHeadersMiddleware, security_headers

ADDRESSES = ["/text", "/json", "/empty", "/own-policy", "/missing"]


def _text(_request):
    return PlainTextResponse("hello")


def _json(_request):
    return JSONResponse({"ok": True})


def _empty(_request):
    return Response(status_code=204)


def _own_policy(_request):
    return PlainTextResponse("framed", headers={"Content-Security-Policy": "frame-ancestors *", "X-Frame-Options": "ALLOWALL"})


async def _echo(websocket):
    await websocket.accept()
    await websocket.send_text("hi")
    await websocket.close()


def _client() -> TestClient:
    """A tiny app with a few kinds of response, wrapped in the middleware as the real app is."""
    app = Starlette(routes=[
        Route("/text", _text),
        Route("/json", _json),
        Route("/empty", _empty),
        Route("/own-policy", _own_policy),
        WebSocketRoute("/socket", _echo),
    ])
    return TestClient(SecurityHeadersMiddleware(app))


@pytest.fixture(autouse=True)
def plain_http(monkeypatch):
    monkeypatch.delenv("SITE_HTTPS", raising=False)


def _directives(policy: str) -> dict[str, str]:
    """A Content-Security-Policy as directive → sources."""
    parts = [part.strip().split(None, 1) for part in policy.split(";") if part.strip()]
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.parametrize("address", ADDRESSES)
def test_every_response_forbids_framing_sniffing_and_third_parties(address):
    response = _client().get(address)
    policy = _directives(response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == "'none'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["cross-origin-opener-policy"] == "same-origin"


@pytest.mark.parametrize("address", ADDRESSES)
def test_permissions_policy_turns_off_camera_microphone_and_geolocation(address):
    permissions = _client().get(address).headers["permissions-policy"]
    features = dict(item.strip().split("=", 1) for item in permissions.split(","))
    for feature in ("camera", "microphone", "geolocation"):
        assert features[feature] == "()"


def test_policy_allows_only_this_origin_for_scripts_connections_images_and_forms():
    policy = _directives(_client().get("/text").headers["content-security-policy"])
    for directive in ("script-src", "style-src", "img-src", "font-src", "connect-src"):
        sources = policy[directive].split()
        assert "'self'" in sources
        assert not [source for source in sources if source.startswith(("http", "*", "ws"))], directive
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"


def test_the_apps_own_weaker_headers_are_replaced_not_duplicated():
    response = _client().get("/own-policy")
    assert response.headers.get_list("content-security-policy") == [dict(security_headers())[b"content-security-policy"].decode()]
    assert response.headers.get_list("x-frame-options") == ["DENY"]
    assert response.text == "framed"


def test_the_apps_other_headers_and_body_are_kept():
    response = _client().get("/json")
    assert response.json() == {"ok": True}
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)


def test_no_hsts_over_plain_http():
    assert "strict-transport-security" not in _client().get("/text").headers
    assert b"strict-transport-security" not in dict(security_headers())


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_hsts_when_the_site_is_served_over_https(monkeypatch, value):
    monkeypatch.setenv("SITE_HTTPS", value)
    hsts = _client().get("/text").headers["strict-transport-security"]
    max_age = int(hsts.split(";")[0].removeprefix("max-age="))
    assert max_age >= 31_536_000
    assert "includeSubDomains" in hsts


def test_sockets_pass_through_untouched():
    with _client().websocket_connect("/socket") as socket:
        assert socket.receive_text() == "hi"
