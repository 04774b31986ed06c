"""Which origins may talk to the backend: the site's own (from `SITE_URL`), and the dev server's in development.

A browser always sends `Origin` on a websocket handshake and on a cross-site `POST`; a page of
another site opened in a visitor's browser must not be able to act as that visitor here.
"""

import os
from urllib.parse import urlsplit

from vws_app.settings import site_url

# `reflex run` serves pages from Vite on :3000 and the backend on :8000, so in development
# the pages' origin differs from the backend's.
DEV_FRONTEND_PORTS = ("3000",)


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of `url`, lower-cased, default ports dropped (as browsers send `Origin`)."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if not scheme or not host:
        return ""
    if ":" in host:
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}.get(scheme)
    port = parts.port
    return f"{scheme}://{host}" if port in (None, default_port) else f"{scheme}://{host}:{port}"


def in_development() -> bool:
    """Whether this process runs `reflex run` in dev mode (Reflex sets `REFLEX_ENV_MODE`)."""
    return os.environ.get("REFLEX_ENV_MODE", "dev") == "dev"


def dev_frontend_ports() -> set[str]:
    """Vite's default port, and the one `reflex run --frontend-port` chose (Reflex passes it on as `REFLEX_FRONTEND_PORT`)."""
    ports = set(DEV_FRONTEND_PORTS)
    chosen = os.environ.get("REFLEX_FRONTEND_PORT", "").strip()
    if chosen.isdigit():
        ports.add(chosen)
    return ports


def own_origins() -> frozenset[str]:
    """The origins whose pages may open the websocket and post forms.

    `SITE_URL`'s origin, any listed in `EXTRA_ORIGINS` (comma-separated, e.g. the `www.` name),
    and in development the dev server's pages on localhost.
    """
    origins = {origin_of(site_url())}
    origins.update(origin_of(part) for part in os.environ.get("EXTRA_ORIGINS", "").split(",") if part.strip())
    if in_development():
        for port in dev_frontend_ports():
            origins.update({f"http://localhost:{port}", f"http://127.0.0.1:{port}"})
    return frozenset(origin for origin in origins if origin)


def is_own_origin(origin: str | None) -> bool:
    """Whether a request's `Origin` header names one of our own origins (absent or `null` is not)."""
    return bool(origin) and origin_of(origin) in own_origins()


def may_open_event_socket(origin: str | None) -> bool:
    """Whether a handshake on the event socket with this `Origin` is accepted.

    Browsers always send `Origin` on a websocket handshake, so a missing one is a script, not
    a visitor: refused in production, let through in development for tools on the laptop.
    """
    return is_own_origin(origin) or (origin is None and in_development())
