"""`POST /admin/sign-in` and `/admin/sign-out` over real HTTP, and what the event socket is handed of the cookie."""

import hashlib
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from reflex_base.config import get_config
from sqlmodel import select
from starlette.testclient import TestClient

from vws_app.models import EditorSession, SignInFailure
from vws_app.server.admin_auth import DEVICE_COOKIE, SESSION_COOKIE, SessionCookieDigest, form_action
from vws_app.server.routes import backend_routes
from vws_app.services import auth, sign_in_limits
from vws_app.services.database import open_session

EMAIL = "ana@example.org"
PASSWORD = "correct horse battery"
OWN_ORIGIN = "http://localhost:3000"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Real argon2 with cheap parameters: these tests check the routes, not hashing cost."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def client(app_database, session, monkeypatch) -> Iterator[TestClient]:
    """The backend's own routes as in production, with an editor on the test database."""
    monkeypatch.setenv("SITE_URL", OWN_ORIGIN)
    monkeypatch.setenv("REFLEX_ENV_MODE", "prod")
    auth.create_editor(session, EMAIL, PASSWORD)
    session.commit()
    with TestClient(backend_routes(), base_url=OWN_ORIGIN, follow_redirects=False) as test_client:
        yield test_client


def post_sign_in(client: TestClient, password: str = PASSWORD, origin: str | None = OWN_ORIGIN, **kwargs):
    headers = {"origin": origin} if origin else {}
    return client.post("/admin/sign-in", data={"email": EMAIL, "password": password}, headers=headers, **kwargs)


def session_rows() -> list[EditorSession]:
    with open_session() as session:
        return list(session.exec(select(EditorSession)).all())


def set_cookie_headers(response) -> list[str]:
    return response.headers.get_list("set-cookie")


def test_sign_in_sets_an_httponly_strict_session_cookie_and_goes_to_the_admin(client):
    response = post_sign_in(client)
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    session_cookie = next(header for header in set_cookie_headers(response) if header.startswith(f"{SESSION_COOKIE}="))
    assert "httponly" in session_cookie.lower() and "samesite=strict" in session_cookie.lower()
    assert "path=/" in session_cookie.lower() and "secure" not in session_cookie.lower()
    token = client.cookies[SESSION_COOKIE]
    assert [row.token_hash for row in session_rows()] == [hashlib.sha256(token.encode()).hexdigest()]
    with open_session() as session:
        assert auth.editor_for_token(session, token).email == EMAIL
    assert client.cookies.get(DEVICE_COOKIE)


def test_over_https_the_cookies_are_secure(client, monkeypatch):
    monkeypatch.setenv("SITE_HTTPS", "1")
    response = post_sign_in(client)
    assert all("secure" in header.lower() for header in set_cookie_headers(response))


def test_each_sign_in_gives_a_new_session_and_ends_the_one_the_browser_held(client):
    post_sign_in(client)
    first = client.cookies[SESSION_COOKIE]
    post_sign_in(client)
    second = client.cookies[SESSION_COOKIE]
    assert first != second
    with open_session() as session:
        with pytest.raises(auth.NotAuthorised):
            auth.editor_for_token(session, first)
        assert auth.editor_for_token(session, second).email == EMAIL


def test_sign_out_ends_the_session_and_clears_the_cookie(client):
    post_sign_in(client)
    token = client.cookies[SESSION_COOKIE]
    response = client.post("/admin/sign-out", headers={"origin": OWN_ORIGIN})
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    assert any(
        header.startswith(f'{SESSION_COOKIE}=""') or "max-age=0" in header.lower()
        for header in set_cookie_headers(response)
    )
    assert SESSION_COOKIE not in client.cookies
    with open_session() as session, pytest.raises(auth.NotAuthorised):
        auth.editor_for_token(session, token)


@pytest.mark.parametrize("origin", ["http://evil.example", None, "null"])
def test_sign_in_and_sign_out_from_another_origin_are_refused(client, origin):
    response = post_sign_in(client, origin=origin)
    assert response.status_code == 403 and SESSION_COOKIE not in client.cookies
    assert session_rows() == []
    with open_session() as session:
        assert session.exec(select(SignInFailure)).all() == [], "a refused request is no guess"
    post_sign_in(client)
    assert client.post("/admin/sign-out", headers={"origin": origin} if origin else {}).status_code == 403
    assert len(session_rows()) == 1


def test_a_wrong_password_goes_back_with_an_error_code_and_never_the_email(client):
    response = post_sign_in(client, password="not the password")
    assert response.status_code == 303 and response.headers["location"] == "/admin?sign_in=invalid"
    assert "ana" not in response.headers["location"] and SESSION_COOKIE not in client.cookies


def test_a_locked_account_goes_back_with_the_minutes_to_wait(client):
    for _attempt in range(sign_in_limits.MAX_FAILED_SIGN_INS):
        post_sign_in(client, password="not the password")
    response = post_sign_in(client)
    assert response.headers["location"].startswith("/admin?sign_in=locked&minutes=")
    assert session_rows() == []


def test_the_owners_known_device_gets_in_though_a_stranger_locked_the_shared_address(client):
    post_sign_in(client)
    device = client.cookies[DEVICE_COOKIE]
    client.cookies.clear()
    for _attempt in range(sign_in_limits.MAX_FAILED_SIGN_INS):  # a stranger at the same address
        post_sign_in(client, password="not the password")
    assert "locked" in post_sign_in(client).headers["location"]
    client.cookies.set(DEVICE_COOKIE, device, path="/admin")
    response = post_sign_in(client)
    assert response.headers["location"] == "/admin" and client.cookies.get(SESSION_COOKIE)


def test_an_oversized_form_is_not_a_sign_in(client):
    response = client.post(
        "/admin/sign-in",
        content=b"email=a&password=" + b"x" * 20_000,
        headers={"origin": OWN_ORIGIN, "content-type": "application/x-www-form-urlencoded"},
    )
    assert response.headers["location"] == "/admin?sign_in=invalid" and session_rows() == []


def test_in_development_the_forms_post_to_the_backends_port_and_return_to_the_pages(client, monkeypatch):
    """`reflex run` serves pages from Vite and the backend on another port: the forms go to the
    backend, and the answer sends the browser back to the page's own origin."""
    assert form_action("/admin/sign-in") == "/admin/sign-in"
    monkeypatch.setenv("REFLEX_ENV_MODE", "dev")
    assert form_action("/admin/sign-in") == f"{get_config().api_url.rstrip('/')}/admin/sign-in"
    dev_page = "http://127.0.0.1:3000"
    assert post_sign_in(client, origin=dev_page).headers["location"] == f"{dev_page}/admin"
    assert post_sign_in(client, "wrong one", origin=dev_page).headers["location"] == f"{dev_page}/admin?sign_in=invalid"


async def _echo_cookie(scope, receive, send):
    """A stand-in for Reflex's socket endpoint: answers with the Cookie header it was handed."""
    cookie = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": cookie})
        await send({"type": "websocket.close"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": cookie.encode("latin-1")})


def test_the_event_socket_is_handed_only_the_digest_of_the_session_cookie():
    token = "the-secret-session-token"
    digest = hashlib.sha256(token.encode()).hexdigest()
    forged = f"sha256:{digest}"
    test_client = TestClient(SessionCookieDigest(_echo_cookie))  # no lifespan: the stand-in has none
    cookies = f"vws_lang=es; {SESSION_COOKIE}={token}"
    with test_client.websocket_connect("/_event/?token=tab", headers={"cookie": cookies}) as socket:
        handed = socket.receive_text()
    assert handed == f"vws_lang=es; {SESSION_COOKIE}=sha256:{digest}" and token not in handed
    # Someone who read the digest cannot present it: it is hashed again.
    with test_client.websocket_connect("/_event/", headers={"cookie": f"{SESSION_COOKIE}={forged}"}) as socket:
        assert digest not in socket.receive_text()
    assert test_client.get("/_event/", headers={"cookie": cookies}).text.endswith(f"sha256:{digest}")
    # Elsewhere (uploads, sign-out) the cookie is left as the browser sent it.
    assert test_client.get("/_upload/x", headers={"cookie": cookies}).text == cookies
