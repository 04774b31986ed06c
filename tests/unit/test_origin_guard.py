"""Other sites' pages cannot open the event socket or send a state-changing request; anyone may still read."""

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from vws_app.server.origin_guard import OriginGuardMiddleware
from vws_app.server.origins import is_own_origin, may_open_event_socket, own_origins

SITE = "https://vws.example.org"
FOREIGN = "https://attacker.example"


async def _ok(request):
    body = await request.body()
    return PlainTextResponse(f"ok {request.method} {len(body)}")


async def _socket(websocket):
    await websocket.accept()
    await websocket.send_text("welcome")
    await websocket.close()


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("SITE_URL", SITE + "/")
    monkeypatch.setenv("REFLEX_ENV_MODE", "prod")
    monkeypatch.delenv("EXTRA_ORIGINS", raising=False)
    monkeypatch.delenv("REFLEX_FRONTEND_PORT", raising=False)


@pytest.fixture
def client(production) -> TestClient:
    """A tiny app with a form route, a page and an `/_event` socket, wrapped as the real app is."""
    app = Starlette(
        routes=[
            Route("/contact", _ok, methods=["GET", "POST", "PUT", "DELETE"]),
            Route("/_event/", _ok, methods=["GET", "POST"]),
            WebSocketRoute("/_event/", _socket),
        ]
    )
    return TestClient(OriginGuardMiddleware(app), base_url=SITE)


def test_own_origins_come_from_site_url_and_extra_origins(production, monkeypatch):
    monkeypatch.setenv("EXTRA_ORIGINS", "https://www.vws.example.org, http://Example.net:80")
    assert own_origins() == {SITE, "https://www.vws.example.org", "http://example.net"}
    assert is_own_origin("https://VWS.example.org:443")
    assert not is_own_origin(FOREIGN)
    assert not is_own_origin("null")
    assert not is_own_origin(None)


def test_development_also_trusts_the_dev_server_on_its_chosen_port(monkeypatch):
    monkeypatch.setenv("REFLEX_ENV_MODE", "dev")
    monkeypatch.setenv("REFLEX_FRONTEND_PORT", "4321")
    assert {"http://localhost:3000", "http://127.0.0.1:4321"} <= own_origins()
    assert may_open_event_socket(None)
    assert not may_open_event_socket(FOREIGN)


def test_production_refuses_a_socket_without_origin(production):
    assert not may_open_event_socket(None)
    assert may_open_event_socket(SITE)


def test_pages_stay_readable_from_anywhere(client):
    for origin in (None, FOREIGN, SITE):
        headers = {"origin": origin} if origin else {}
        assert client.get("/contact", headers=headers).text == "ok GET 0"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_a_form_from_another_site_is_refused_before_the_app_reads_it(client, method):
    response = client.request(method, "/contact", headers={"origin": FOREIGN}, content=b"name=x")
    assert response.status_code == 403
    assert "other sites" in response.text


def test_a_null_origin_post_is_refused(client):
    assert client.post("/contact", headers={"origin": "null"}, content=b"x").status_code == 403


def test_own_site_and_non_browser_posts_pass(client):
    assert client.post("/contact", headers={"origin": SITE}, content=b"abc").text == "ok POST 3"
    assert client.post("/contact", content=b"abc").text == "ok POST 3"


def test_event_polling_needs_our_origin(client):
    assert client.get("/_event/?EIO=4&transport=polling", headers={"origin": FOREIGN}).status_code == 403
    assert client.get("/_event/?EIO=4&transport=polling").status_code == 403
    assert client.get("/_event/?EIO=4&transport=polling", headers={"origin": SITE}).status_code == 200


@pytest.mark.parametrize("origin", [FOREIGN, None, "null"])
def test_event_websocket_from_another_or_no_origin_is_closed_before_accept(client, origin):
    headers = {"origin": origin} if origin else {}
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect("/_event/?EIO=4&transport=websocket", headers=headers),
    ):
        pass
    assert refused.value.code == 1008


def test_event_websocket_from_our_site_is_accepted(client):
    with client.websocket_connect("/_event/?EIO=4&transport=websocket", headers={"origin": SITE}) as socket:
        assert socket.receive_text() == "welcome"
