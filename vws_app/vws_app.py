"""The Reflex app: theme, head tags, start-up tasks and the pages; nothing else."""

import reflex as rx

from vws_app.pages import ADMIN_ROUTES, PUBLIC_ROUTES, load_events
from vws_app.server.delivery import ImmutableAssetsMiddleware, compressed
from vws_app.server.fast_pages import FastPages
from vws_app.server.headers import SecurityHeadersMiddleware
from vws_app.server.origin_guard import OriginGuardMiddleware
from vws_app.server.page_file_writer import keep_page_files
from vws_app.server.routes import backend_routes
from vws_app.server.socket_limits import install_socket_limits
from vws_app.server.state_files import install_streamed_expiry
from vws_app.server.upload_guard import UploadGuardMiddleware
from vws_app.services.search_schema import ignore_search_index_everywhere
from vws_app.startup import log_records_with_level, prepare_database, quiet_premature_schema_warning
from vws_app.state.admin_session import TabHandoverGuard
from vws_app.state.off_loop import writes_finish_before_exit
from vws_app.styles import GLOBAL_STYLE

app = rx.App(
    style=GLOBAL_STYLE,
    html_lang="en",
    # How the site reads (type, colours, post bodies, print): bundled into the one stylesheet.
    stylesheets=["/reading.css"],
    head_components=[
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.el.link(rel="icon", href="/favicon-32.png", type="image/png", sizes="32x32"),
        rx.el.link(rel="apple-touch-icon", href="/apple-touch-icon.png"),
    ],
    # Our routes (crawlable pages, feeds, health) first; uploads refused before their body is
    # read, and other sites' sockets and forms refused; then asset lifetimes, compression and
    # security headers on everything. Outermost, public pages already answered are sent again
    # as they were, while the content is unchanged (`server/fast_pages.py`).
    api_transformer=[
        backend_routes(),
        UploadGuardMiddleware,
        OriginGuardMiddleware,
        ImmutableAssetsMiddleware,
        compressed,
        SecurityHeadersMiddleware,
        FastPages,
    ],
)
install_socket_limits(app)
install_streamed_expiry()  # tabs' state files expire without listing them all at once
# Reflex's own schema check (at start, and `reflex db makemigrations`) agrees with alembic/env.py.
ignore_search_index_everywhere()
quiet_premature_schema_warning()
log_records_with_level()
app.register_lifespan_task(prepare_database)
app.register_lifespan_task(writes_finish_before_exit)
app.register_lifespan_task(keep_page_files)  # with PAGE_FILES_DIR: pages as files for nginx
# Before anything else runs for an event: a tab's admin data never reaches a socket without its session.
app.add_middleware(TabHandoverGuard(), index=0)

for route in [*PUBLIC_ROUTES, *ADMIN_ROUTES]:
    app.add_page(
        route.page,
        route=route.path,
        title=route.page_title(),
        # No description here: the server writes each page's own into the HTML it serves,
        # and a second one added by React would contradict it.
        image="/og-image.png",
        on_load=load_events(route),
    )
