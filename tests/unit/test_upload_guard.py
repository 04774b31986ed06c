"""Uploads are refused before their body is read unless a signed-in editor sends them, and never past the size limit."""

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from vws_app.server.upload_guard import SESSION_COOKIE, UploadGuardMiddleware, max_upload_bytes
from vws_app.services import auth

PASSWORD = "correct horse battery"
LIMIT = 1000


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    monkeypatch.setenv("UPLOAD_MAX_BYTES", str(LIMIT))
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def spool(tmp_path) -> Path:
    return tmp_path / "spooled"


@pytest.fixture
def client(app_database, spool) -> TestClient:
    """A stand-in for Reflex's upload endpoint that writes the whole body it reads to `spool`."""

    async def upload(request: Request):
        spool.mkdir(exist_ok=True)
        with (spool / "body").open("wb") as file:
            async for chunk in request.stream():
                file.write(chunk)
        return PlainTextResponse("stored")

    async def other(_request):
        return PlainTextResponse("other")

    app = Starlette(routes=[Route("/_upload", upload, methods=["POST"]), Route("/contact", other, methods=["POST"])])
    return TestClient(UploadGuardMiddleware(app))


@pytest.fixture
def editor_token(session) -> str:
    """A real editor session, opened by signing in."""
    auth.create_editor(session, "ana@example.org", PASSWORD, display_name="Ana")
    session.commit()
    return auth.sign_in(session, "ana@example.org", PASSWORD, "203.0.113.7")


def test_the_limit_defaults_to_one_image_plus_its_form(monkeypatch):
    monkeypatch.delenv("UPLOAD_MAX_BYTES")
    assert 5 * 1024 * 1024 < max_upload_bytes() < 6 * 1024 * 1024


def test_an_upload_without_a_session_is_refused_unread(client, spool):
    response = client.post("/_upload", content=b"x" * 500)
    assert response.status_code == 401
    assert not spool.exists()


def test_an_upload_with_an_unknown_session_is_refused_unread(client, spool):
    client.cookies.set(SESSION_COOKIE, "not-a-session")
    assert client.post("/_upload", content=b"x" * 500).status_code == 403
    assert not spool.exists()


def test_a_large_unauthenticated_upload_is_refused_unread(client, spool):
    response = client.post("/_upload", content=b"x" * (LIMIT * 100))
    assert response.status_code == 401
    assert not spool.exists()


def test_a_signed_in_editor_uploads_within_the_limit(client, spool, editor_token):
    client.cookies.set(SESSION_COOKIE, editor_token)
    response = client.post("/_upload", content=b"x" * LIMIT)
    assert (response.status_code, response.text) == (200, "stored")
    assert (spool / "body").read_bytes() == b"x" * LIMIT


def test_a_declared_length_over_the_limit_is_refused_unread(client, spool, editor_token):
    client.cookies.set(SESSION_COOKIE, editor_token)
    assert client.post("/_upload", content=b"x" * (LIMIT + 1)).status_code == 413
    assert not spool.exists()


def test_a_chunked_body_is_cut_once_over_the_limit(client, spool, editor_token):
    client.cookies.set(SESSION_COOKIE, editor_token)
    chunks = (b"y" * 300 for _ in range(10))  # no Content-Length: sent chunked
    response = client.post("/_upload", content=chunks)
    assert response.status_code == 413
    assert len((spool / "body").read_bytes()) <= LIMIT


def test_a_signed_out_session_no_longer_uploads(client, spool, editor_token, session):
    auth.sign_out(session, editor_token)
    client.cookies.set(SESSION_COOKIE, editor_token)
    assert client.post("/_upload", content=b"x").status_code == 403
    assert not spool.exists()


def test_other_routes_are_untouched(client):
    assert client.post("/contact", content=b"x" * (LIMIT * 10)).text == "other"
