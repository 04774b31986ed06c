"""Editors sign in and out over plain HTTP forms; the session lives in an HttpOnly cookie.

`POST /admin/sign-in` checks the password (argon2, in a worker thread), opens a new session
(a new random token every time, so a token fixed before sign-in is worth nothing) and sets
it as the `vws_admin_session` cookie, which page scripts cannot read. The websocket's
handshake carries that cookie; `SessionCookieDigest` replaces its value there by the token's
SHA-256 before Reflex sees it, so the state Reflex keeps on disk or in Redis (which copies the
handshake headers) never holds the secret, and admin handlers check that digest on every event.
A tab's Reflex token copied to another browser therefore carries no session.
"""

import asyncio
import logging
from urllib.parse import parse_qs, urlencode

from reflex_base.config import get_config
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from vws_app.models import utc_now
from vws_app.server.origins import in_development, is_own_origin, origin_of
from vws_app.services import auth, second_step, sign_in_limits, two_factor
from vws_app.services.database import open_session
from vws_app.settings import served_over_https

SESSION_COOKIE = "vws_admin_session"
DEVICE_COOKIE = "vws_admin_device"
CODE_PAGE_SUFFIX = (
    "/code"  # /admin/code: the form for the second step, a page of its own so it works without JavaScript
)
PENDING_COOKIE = "vws_admin_pending"  # a right password waiting for its code (`services/second_step.py`)
DIGEST_PREFIX = "sha256:"  # how the session cookie reads once SessionCookieDigest has replaced it
SOCKET_PATH_PREFIX = "/_event"
ADMIN_PATH = "/admin"
SIGN_IN_PATH = "/admin/sign-in"
SIGN_OUT_PATH = "/admin/sign-out"
FORM_MAX_BYTES = 8 * 1024  # an email and a password; anything larger is not a sign-in
logger = logging.getLogger(__name__)


def parse_cookie_header(header: str) -> list[tuple[str, str]]:
    """The `name=value` pairs of a `Cookie` header, in order (values as sent)."""
    pairs = []
    for part in (header or "").split(";"):
        name, equals, value = part.strip().partition("=")
        if equals and name:
            pairs.append((name, value))
    return pairs


def session_digest_from_cookie_header(header: str) -> str:
    """The session token's digest as the socket's (replaced) `Cookie` header carries it, or ''."""
    for name, value in parse_cookie_header(header):
        if name == SESSION_COOKIE and value.startswith(DIGEST_PREFIX):
            return value.removeprefix(DIGEST_PREFIX)
    return ""


def digest_cookie_header(header: str) -> str:
    """`header` with the session cookie's value replaced by `sha256:<SHA-256 of it>`.

    Whatever a client sends is hashed, a value already starting with the prefix included,
    so a digest read from somewhere can never be presented as one.
    """
    return "; ".join(
        f"{name}={DIGEST_PREFIX}{auth.token_hash(value)}" if name == SESSION_COOKIE else f"{name}={value}"
        for name, value in parse_cookie_header(header)
    )


class SessionCookieDigest:
    """ASGI middleware: on the event socket's requests, the session cookie becomes its digest."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope.get("path", "").startswith(SOCKET_PATH_PREFIX):
            headers = [
                (name, digest_cookie_header(value.decode("latin-1")).encode("latin-1") if name == b"cookie" else value)
                for name, value in scope.get("headers", [])
            ]
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)


def form_action(path: str) -> str:
    """Where a page's admin form posts `path`: the backend. In development Vite serves the pages
    on another port than the backend (`api_url`); cookies ignore ports, so the session still reaches the socket."""
    return f"{get_config().api_url.rstrip('/')}{path}" if in_development() else path


def admin_page(request: Request, query: str = "") -> str:  # query: "?…" or a sub-path
    """The admin's address after a form: on the page's own origin in development (see `form_action`)."""
    prefix = origin_of(request.headers.get("origin", "")) if in_development() else ""
    return f"{prefix}{ADMIN_PATH}{query}"


def client_address(request: Request) -> str:
    """The client's address as Reflex reads it: the peer, or the `X-Forwarded-For` entry written
    by the outermost of `REFLEX_TRUSTED_PROXY_HOPS` trusted proxies."""
    address = request.client.host if request.client else "0.0.0.0"
    hops = get_config().trusted_proxy_hops
    if hops:
        forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    return address


async def small_form(request: Request) -> dict[str, str] | None:
    """The urlencoded form of the request, or None when it is larger than FORM_MAX_BYTES."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_MAX_BYTES:
            return None
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def refused() -> Response:
    return Response("Forbidden", status_code=403, headers={"cache-control": "no-store"})


def redirect(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers={"cache-control": "no-store"})


def back_to_sign_in(request: Request, **query: str | int) -> RedirectResponse:
    """To the sign-in form with a non-personal error code (never the email) in the address."""
    return redirect(admin_page(request, f"?{urlencode(query)}"))


def set_cookie(response: Response, name: str, value: str, path: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite="strict",
        secure=served_over_https(),
    )


def device_token_for(email: str, device_token: str) -> str:
    """The browser's known-device token for `email`: the one it holds if still valid, else a new one."""
    now, email = utc_now(), auth.normalise_email(email)
    if sign_in_limits.known_device_id(device_token, email, now) is None:
        return sign_in_limits.issue_device_token(email, now)
    return device_token


def _check_credentials(
    form: dict[str, str], address: str, old_token: str, device_token: str, user_agent: str
) -> tuple[str, str, str]:
    """In a worker thread: check the password, end the session the browser held before.

    Returns (where to go next, token, device token): ("admin", a session token) when the
    password is all the account needs; ("enrol", a session token) when the admins require a
    second factor it lacks; ("code", a pending sign-in's token) when a code comes next.

    Raises:
        auth.AccountLocked, auth.InvalidCredentials: as `auth.check_password`.
    """
    email = form.get("email", "")
    with open_session() as session:
        editor = auth.check_password(session, email, form.get("password", ""), address, device_token=device_token)
        if old_token:
            auth.sign_out(session, old_token)
        if two_factor.is_enabled(session, editor.id):
            return "code", second_step.start(session, editor, user_agent=user_agent), device_token
        token = auth.finish_sign_in(session, editor, address, utc_now(), device_token, user_agent)
        step = "enrol" if two_factor.must_enrol(session, editor.id) else "admin"
    return step, token, device_token_for(email, device_token)


def user_agent_of(request: Request) -> str:
    """The browser's name for itself, kept with the session for "Your sessions"."""
    return request.headers.get("user-agent", "")[: auth.USER_AGENT_MAX_LENGTH]


def set_session_cookies(response: Response, token: str, device_token: str) -> None:
    """The new session's cookie, and the known-device cookie for the admin's paths."""
    set_cookie(response, SESSION_COOKIE, token, "/", None)
    set_cookie(response, DEVICE_COOKIE, device_token, ADMIN_PATH, int(sign_in_limits.DEVICE_LIFETIME.total_seconds()))


async def sign_in(request: Request) -> Response:
    """`POST /admin/sign-in` from our own pages: the session cookie and /admin, the code form, or back with an error code."""
    if not is_own_origin(request.headers.get("origin")):
        return refused()
    form = await small_form(request)
    if form is None:
        return back_to_sign_in(request, sign_in="invalid")
    try:
        step, token, device_token = await asyncio.to_thread(
            _check_credentials,
            form,
            client_address(request),
            request.cookies.get(SESSION_COOKIE, ""),
            request.cookies.get(DEVICE_COOKIE, ""),
            user_agent_of(request),
        )
    except auth.AccountLocked as locked:
        return back_to_sign_in(request, sign_in="locked", minutes=locked.retry_after_minutes)
    except auth.InvalidCredentials:
        return back_to_sign_in(request, sign_in="invalid")
    if step == "code":
        response = redirect(admin_page(request, CODE_PAGE_SUFFIX))
        set_cookie(response, PENDING_COOKIE, token, ADMIN_PATH, int(second_step.PENDING_LIFETIME.total_seconds()))
        return response
    logger.info("Editor %s signed in", auth.normalise_email(form.get("email", "")))
    response = redirect(admin_page(request, "/account" if step == "enrol" else ""))
    set_session_cookies(response, token, device_token)
    return response


def _end_session(token: str) -> None:
    with open_session() as session:
        auth.sign_out(session, token)


async def sign_out(request: Request) -> Response:
    """`POST /admin/sign-out` from our own pages: end the session on the server and drop the cookie."""
    if not is_own_origin(request.headers.get("origin")):
        return refused()
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        await asyncio.to_thread(_end_session, token)
    response = redirect(admin_page(request))
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=served_over_https())
    return response
