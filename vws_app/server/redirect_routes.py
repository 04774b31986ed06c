"""Old addresses answered with a permanent redirect before any page is built.

A post's former slug (`/posts/<old>`), an imported or editor-made redirect, and the original
WordPress site's `/YYYY/MM/DD/slug/` and `/category/<name>/` addresses (`services/redirects.py`
decides where each leads). 301, so search engines and link previews move to the new address.
Any other imported path (`/about-us/`) is looked up only when nothing else answered it
(`OldAddressRedirects`), so the site's own pages never pay for a lookup.
"""

import asyncio

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vws_app.server.page_shell import ShellCache
from vws_app.services import redirects
from vws_app.services.database import open_session

_shells = ShellCache()


def redirect_for(session: Session, request: Request) -> Response | None:
    """The 301 for this request's path when it is an old address, else None (the caller goes on)."""
    target = redirects.resolve(session, request.url.path)
    if target is None or redirects.normalise_path(target.split("?", 1)[0]) == redirects.normalise_path(
        request.url.path
    ):
        return None
    return RedirectResponse(target, status_code=301)


def _old_address(request: Request) -> Response:
    """A WordPress-era address: redirected when known, else the site's "not found"."""
    with open_session() as session:
        answer = redirect_for(session, request)
    if answer is not None:
        return answer
    return HTMLResponse(_shells.read("404.html") or "", status_code=404)


def _target_of_path(path: str) -> str | None:
    with open_session() as session:
        target = redirects.resolve(session, path)
    same = target is not None and redirects.normalise_path(target.split("?", 1)[0]) == redirects.normalise_path(path)
    return None if same else target


class OldAddressRedirects:
    """ASGI middleware: a GET or HEAD that the app answers 404 becomes a 301 when its path is an old address."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        redirected = False

        async def send_or_redirect(message: Message) -> None:
            nonlocal redirected
            if redirected:
                return  # the 404's body: the redirect replaced it
            if message["type"] == "http.response.start" and message["status"] == 404:
                target = await asyncio.to_thread(_target_of_path, scope["path"])  # the database, off the loop
                if target is not None:
                    redirected = True
                    await RedirectResponse(target, status_code=301)(scope, receive, send)
                    return
            await send(message)

        await self.app(scope, receive, send_or_redirect)


ROUTES = [
    Route("/{year:int}/{month:int}/{day:int}/{slug}", _old_address),
    Route("/{year:int}/{month:int}/{day:int}/{slug}/", _old_address),
    Route("/category/{name}", _old_address),
    Route("/category/{name}/", _old_address),
]
