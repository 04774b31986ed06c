"""Refuses uploads to `/_upload` before their body is read, unless they come from a signed-in editor and fit the limit.

Reflex's upload endpoint parses (and spools to disk) the whole multipart body before the
state's handler can check who sent it; this middleware answers first: 401 without the editor's
session cookie, 403 when its session is not valid, 413 when `Content-Length` is over the
limit, and 413 as soon as a body without one (chunked) passes the limit.
"""

import asyncio
import os
from http.cookies import CookieError, SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vws_app.server.origin_guard import header
from vws_app.services import auth
from vws_app.services.database import open_session
from vws_app.services.uploads import MAX_IMAGE_BYTES

UPLOAD_PATH = "/_upload"  # Reflex's upload endpoint (reflex_base/constants, Endpoint.UPLOAD)
SESSION_COOKIE = "vws_admin_session"  # set by the editors' sign-in route
MULTIPART_ALLOWANCE = 64 * 1024  # form boundaries, part headers and the handler's arguments around the image


def max_upload_bytes() -> int:
    """The largest upload request accepted: `UPLOAD_MAX_BYTES`, else one image plus its multipart wrapping."""
    configured = os.environ.get("UPLOAD_MAX_BYTES", "").strip()
    return int(configured) if configured.isdigit() else MAX_IMAGE_BYTES + MULTIPART_ALLOWANCE


def session_token(scope: Scope) -> str | None:
    """The editor's session token from the request's cookies, or None."""
    raw = header(scope, b"cookie")
    if not raw:
        return None
    cookies = SimpleCookie()
    try:
        cookies.load(raw)
    except CookieError:
        return None
    morsel = cookies.get(SESSION_COOKIE)
    return morsel.value if morsel and morsel.value else None


def is_editor_session(token: str) -> bool:
    """Whether `token` is a live editor session (a database call: run it in a thread)."""
    with open_session() as session:
        try:
            auth.editor_for_token(session, token)
        except auth.NotAuthorised:
            return False
    return True


def declared_length(scope: Scope) -> int | None:
    value = header(scope, b"content-length")
    return int(value) if value and value.strip().isdigit() else None


async def answer(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class UploadGuardMiddleware:
    """ASGI middleware in front of Reflex's upload endpoint; every other request passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or scope.get("path", "").rstrip("/") != UPLOAD_PATH:
            await self.app(scope, receive, send)
            return
        token = session_token(scope)
        if token is None:
            await answer(send, 401, "Sign in to upload.")
            return
        if not await asyncio.to_thread(is_editor_session, token):
            await answer(send, 403, "Your session is not valid; sign in again.")
            return
        limit = max_upload_bytes()
        length = declared_length(scope)
        if length is not None and length > limit:
            await answer(send, 413, "The upload is too large.")
            return
        await self.within_limit(scope, receive, send, limit)

    async def within_limit(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Pass the request on, counting body bytes; past `limit` the app sees a disconnect and the client a 413."""
        received = 0
        over_limit = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, over_limit
            if over_limit:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over_limit = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if over_limit:
                return  # the app's answer to the cut-off body is replaced by the 413 below
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not over_limit:
                raise
        if over_limit and not response_started:
            await answer(send, 413, "The upload is too large.")
