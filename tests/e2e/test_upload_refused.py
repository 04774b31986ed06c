"""Uploads to the production build are refused before their body is read, unless a signed-in editor sends them.

Each request declares (or streams) a body far larger than the server could hold, sends only
as much as it must until the answer comes, and the answer must come while it is still sending.
"""

import select
import socket
import uuid
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlmodel import Session

from tests.e2e.conftest import LiveApp
from vws_app.server.upload_guard import SESSION_COOKIE, max_upload_bytes
from vws_app.services import auth
from vws_app.services.database import engine_for
from vws_app.state.admin_posts import AdminPostsState

HUGE = 100 * 1024**3  # 100 GiB: far more than this machine's memory or disk
CHUNK = 64 * 1024
SEND_AT_MOST = 64 * 1024 * 1024  # if no answer came after this much, the server is reading the body
BOUNDARY = "vwsboundary"


def upload_request(live_app: LiveApp, *, cookie: str | None, length: int | None) -> bytes:
    """The head of a multipart upload as the admin page sends it, declared `length` long (None: chunked)."""
    host = live_app.base_url.removeprefix("http://")
    lines = [
        "POST /_upload HTTP/1.1",
        f"Host: {host}",
        f"Origin: {live_app.base_url}",
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
        f"Reflex-Client-Token: {uuid.uuid4()}",
        f"Reflex-Event-Handler: {AdminPostsState.get_full_name()}.upload_image",
        f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked",
    ]
    if cookie is not None:
        lines.append(f"Cookie: {SESSION_COOKIE}={cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def send_until_answered(live_app: LiveApp, head: bytes, *, chunked: bool) -> tuple[int, int]:
    """Send `head`, then body bytes until the server answers; (status, body bytes sent by then)."""
    part = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="big.jpg"\r\n\r\n'.encode()
    filler = b"\xff\xd8\xff" + b"\0" * (CHUNK - 3)
    sent = 0
    with socket.create_connection(("127.0.0.1", int(live_app.base_url.rsplit(":", 1)[1])), timeout=30) as conn:
        conn.sendall(head)
        body = part
        while sent < SEND_AT_MOST:
            readable, _, _ = select.select([conn], [], [], 0)
            if readable:
                break
            data = (f"{len(body):x}\r\n".encode() + body + b"\r\n") if chunked else body
            try:
                conn.sendall(data)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                break  # the server answered and stopped reading (or closed): read its answer
            sent += len(body)
            body = filler
        answer = b""
        while b"\r\n" not in answer:
            data = conn.recv(4096)
            if not data:
                break
            answer += data
    assert answer.startswith(b"HTTP/1.1 "), f"no answer after sending {sent} bytes: {answer!r}"
    return int(answer.split()[1]), sent


def stored_uploads(live_app: LiveApp) -> list[Path]:
    folder = live_app.root / "uploads"
    return sorted(folder.rglob("*")) if folder.exists() else []


@pytest.fixture
def editor_token(live_app: LiveApp, monkeypatch) -> str:
    """A real editor session in the running app's database, opened by signing in."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    email, password = f"uploader-{uuid.uuid4().hex[:8]}@example.org", "correct horse battery"
    with Session(engine_for(live_app.database_url)) as session:
        auth.create_editor(session, email, password, display_name="Uploader")
        session.commit()
        return auth.sign_in(session, email, password, "203.0.113.50")


def test_an_unauthenticated_huge_upload_is_refused_before_its_body(live_app: LiveApp):
    before = stored_uploads(live_app)
    status, sent = send_until_answered(live_app, upload_request(live_app, cookie=None, length=HUGE), chunked=False)
    assert status == 401
    assert sent < SEND_AT_MOST
    assert stored_uploads(live_app) == before


def test_an_unauthenticated_chunked_upload_is_refused_before_its_body(live_app: LiveApp):
    before = stored_uploads(live_app)
    status, sent = send_until_answered(live_app, upload_request(live_app, cookie=None, length=None), chunked=True)
    assert status == 401 and sent < SEND_AT_MOST
    assert stored_uploads(live_app) == before


def test_a_made_up_session_is_refused_before_its_body(live_app: LiveApp):
    status, sent = send_until_answered(live_app, upload_request(live_app, cookie="made-up", length=HUGE), chunked=False)
    assert status == 403 and sent < SEND_AT_MOST


def test_an_editors_oversized_upload_is_refused_by_its_declared_length(live_app: LiveApp, editor_token: str):
    before = stored_uploads(live_app)
    status, sent = send_until_answered(
        live_app, upload_request(live_app, cookie=editor_token, length=HUGE), chunked=False
    )
    assert status == 413 and sent < SEND_AT_MOST
    assert stored_uploads(live_app) == before


def test_an_editors_chunked_upload_is_cut_once_over_the_limit(live_app: LiveApp, editor_token: str):
    before = stored_uploads(live_app)
    status, sent = send_until_answered(
        live_app, upload_request(live_app, cookie=editor_token, length=None), chunked=True
    )
    assert status == 413
    assert max_upload_bytes() < sent < SEND_AT_MOST  # read up to the limit, not a byte further than needed
    assert stored_uploads(live_app) == before
