"""Old addresses answered with a permanent redirect before any page is built.

A post's former slug (`/posts/<old>`), an imported or editor-made redirect, and the original
WordPress site's `/YYYY/MM/DD/slug/` and `/category/<name>/` addresses (`services/redirects.py`
decides where each leads). 301, so search engines and link previews move to the new address.
"""

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from sqlmodel import Session

from vws_app.server.page_shell import ShellCache
from vws_app.services import redirects
from vws_app.services.database import open_session


_shells = ShellCache()


def redirect_for(session: Session, request: Request) -> Response | None:
    """The 301 for this request's path when it is an old address, else None (the caller goes on)."""
    target = redirects.resolve(session, request.url.path)
    if target is None or redirects.normalise_path(target.split("?", 1)[0]) == redirects.normalise_path(request.url.path):
        return None
    return RedirectResponse(target, status_code=301)


def _old_address(request: Request) -> Response:
    """A WordPress-era address: redirected when known, else the site's "not found"."""
    with open_session() as session:
        answer = redirect_for(session, request)
    if answer is not None:
        return answer
    return HTMLResponse(_shells.read("404.html") or "", status_code=404)


ROUTES = [
    Route("/{year:int}/{month:int}/{day:int}/{slug}", _old_address),
    Route("/{year:int}/{month:int}/{day:int}/{slug}/", _old_address),
    Route("/category/{name}", _old_address),
    Route("/category/{name}/", _old_address),
]
