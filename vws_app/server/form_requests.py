"""What the site's plain HTML forms share: the posted fields, the Origin check, the visitor's language.

The sender's address comes from `form_post.client_address`, as the app takes it for its websocket.
"""

from starlette.requests import Request

from vws_app.server.origins import is_own_origin

MAX_FIELD_LENGTH = 1000  # longer than any field we take; more is junk, cut before validating


def visitor_language(request: Request) -> str:
    """The visitor's language, as for every page the server writes (`routes.request_language`)."""
    # Imported here, not at the top: routes.py imports the form modules for its route list.
    from vws_app.server.routes import request_language

    return request_language(request)


async def posted_fields(request: Request) -> dict[str, str]:
    """The posted fields as short strings (files and repeats ignored)."""
    form = await request.form(max_files=0, max_fields=20)
    return {name: str(value)[:MAX_FIELD_LENGTH] for name, value in form.items() if isinstance(value, str)}


def is_foreign_post(request: Request) -> bool:
    """A POST that another site's page made (an `Origin` header that is not ours)."""
    origin = request.headers.get("origin")
    return origin is not None and not is_own_origin(origin)
