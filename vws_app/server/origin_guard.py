"""Refuses what another site's page could make a visitor's browser do here: open the event socket, send a form.

Pages, feeds and assets stay readable by anyone (GET and HEAD pass); what changes something
(`POST`, `PUT`, `PATCH`, `DELETE`) is refused when its `Origin` names another site, and the
event socket (`/_event`, polling and websocket alike) accepts only our own origins. Browsers
send `Origin` on every cross-site `POST` and every websocket handshake, and a page cannot
forge it, so checking it stops cross-site request forgery and websocket hijacking in one place.
"""

from starlette.types import ASGIApp, Receive, Scope, Send

from vws_app.server.origins import is_own_origin, may_open_event_socket

EVENT_PATH = "/_event"  # Reflex's socket.io endpoint (reflex_base/constants, Endpoint.EVENT)
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # OPTIONS: CORS preflight, answered by Reflex's CORS layer
REFUSAL = b"Requests from other sites are not accepted."


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of header `name` (lower-case bytes) in an ASGI scope, decoded as Latin-1."""
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def is_event_socket_path(path: str) -> bool:
    return path == EVENT_PATH or path.startswith(EVENT_PATH + "/")


def is_allowed(scope: Scope) -> bool:
    """Whether this request (HTTP or websocket) may reach the app, judged by its `Origin` alone."""
    origin = header(scope, b"origin")
    if is_event_socket_path(scope.get("path", "")):
        return may_open_event_socket(origin)
    if scope["type"] == "http" and scope.get("method", "GET").upper() not in READ_ONLY_METHODS:
        # No Origin at all: not a browser acting for a visitor (curl, a monitor); nothing to forge.
        return origin is None or is_own_origin(origin)
    return True


async def refuse_http(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(REFUSAL)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": REFUSAL})


async def refuse_websocket(receive: Receive, send: Send) -> None:
    """Close the handshake before accepting it: the server answers it with HTTP 403."""
    message = await receive()
    if message["type"] == "websocket.connect":
        await send({"type": "websocket.close", "code": 1008, "reason": "origin not allowed"})


class OriginGuardMiddleware:
    """ASGI middleware: requests from other sites' pages stop here, before routing or reading a body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or is_allowed(scope):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await refuse_websocket(receive, send)
        else:
            await refuse_http(send)
