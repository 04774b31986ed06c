"""The two-step sign-in over real HTTP: password, then `POST /admin/sign-in/code` with the pending cookie."""

import time
from collections.abc import Iterator

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlmodel import select
from starlette.testclient import TestClient

from vws_app.models import EditorSession, PendingSignIn, SignInFailure
from vws_app.server.admin_auth import PENDING_COOKIE, SESSION_COOKIE
from vws_app.server.routes import backend_routes
from vws_app.services import auth, sign_in_limits, two_factor
from vws_app.services.database import open_session

EMAIL = "ana@example.org"
PASSWORD = "correct horse battery"
OWN_ORIGIN = "http://localhost:3000"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Real argon2 with cheap parameters: these tests check the routes, not hashing cost."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def secret(app_database, session) -> str:
    """An editor with two-factor sign-in on; the authenticator's secret."""
    editor = auth.create_editor(session, EMAIL, PASSWORD)
    session.commit()
    started = two_factor.start_enrolment(session, editor)
    # Enrolled with the previous step's code (still accepted): the current code stays unused.
    two_factor.confirm_enrolment(session, editor, pyotp.TOTP(started).at(time.time() - 30))
    return started


@pytest.fixture
def client(secret, monkeypatch) -> Iterator[TestClient]:
    monkeypatch.setenv("SITE_URL", OWN_ORIGIN)
    monkeypatch.setenv("REFLEX_ENV_MODE", "prod")
    with TestClient(backend_routes(), base_url=OWN_ORIGIN, follow_redirects=False) as test_client:
        yield test_client


def post_password(client, origin=OWN_ORIGIN):
    return client.post(
        "/admin/sign-in",
        data={"email": EMAIL, "password": PASSWORD},
        headers={"origin": origin, "user-agent": "Test browser"},
    )


def post_code(client, code, origin: str | None = OWN_ORIGIN):
    return client.post("/admin/sign-in/code", data={"code": code}, headers={"origin": origin} if origin else {})


def sessions() -> list[EditorSession]:
    with open_session() as session:
        return list(session.exec(select(EditorSession)).all())


def a_wrong_code(secret: str) -> str:
    return "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"


def test_the_right_password_asks_for_a_code_through_an_httponly_pending_cookie(client):
    response = post_password(client)
    assert response.status_code == 303 and response.headers["location"] == "/admin/code"
    pending = next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{PENDING_COOKIE}="))
    assert "httponly" in pending.lower() and "samesite=strict" in pending.lower() and "path=/admin" in pending.lower()
    assert SESSION_COOKIE not in client.cookies and sessions() == []
    with open_session() as session:
        stored = session.exec(select(PendingSignIn)).one()
    assert stored.token_hash == auth.token_hash(client.cookies[PENDING_COOKIE])


def test_the_code_opens_the_session_without_any_script(client, secret):
    post_password(client)
    response = post_code(client, pyotp.TOTP(secret).now())
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    token = client.cookies[SESSION_COOKIE]
    assert [row.user_agent for row in sessions()] == ["Test browser"]
    with open_session() as session:
        assert auth.editor_for_token(session, token).email == EMAIL
        assert session.exec(select(PendingSignIn)).all() == []
    assert PENDING_COOKIE not in client.cookies


def test_a_wrong_code_asks_again_and_guessing_locks_out(client, secret):
    post_password(client)
    response = post_code(client, a_wrong_code(secret))
    assert response.headers["location"] == "/admin/code?sign_in=code_invalid" and sessions() == []
    for _attempt in range(sign_in_limits.MAX_FAILED_SIGN_INS - 1):
        post_code(client, a_wrong_code(secret))
    response = post_code(client, pyotp.TOTP(secret).now())
    assert response.headers["location"].startswith("/admin?sign_in=locked&minutes=") and sessions() == []
    assert "locked" in post_password(client).headers["location"]


@pytest.mark.parametrize("origin", ["http://evil.example", None, "null"])
def test_a_code_from_another_origin_is_refused_and_not_counted(client, secret, origin):
    post_password(client)
    assert post_code(client, a_wrong_code(secret), origin=origin).status_code == 403
    assert post_code(client, pyotp.TOTP(secret).now(), origin=origin).status_code == 403
    assert sessions() == []
    with open_session() as session:
        assert session.exec(select(SignInFailure)).all() == []


def test_a_code_without_the_pending_cookie_goes_back_to_the_password(client, secret):
    response = post_code(client, pyotp.TOTP(secret).now())
    assert response.headers["location"] == "/admin?sign_in=expired" and sessions() == []
