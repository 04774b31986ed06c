"""How responses travel: compressed on the way out, and build assets cached by browsers for good.

The frontend's files under `/assets/` carry a content hash in their names (Vite), so a
changed file has a new address and the old one may be kept forever; without a lifetime
every visit asks for ~350 KiB again. Pages the server fills per request (the crawlable
HTML, feeds, sitemap) are compressed here; the build's static files already come
precompressed by Reflex and are passed through untouched.
"""

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HASHED_ASSETS_PREFIX = "/assets/"
IMMUTABLE = b"public, max-age=31536000, immutable"
# Level 6 is nearly as small as 9 for HTML and several times cheaper per request.
COMPRESSION_LEVEL = 6
SMALLEST_COMPRESSED_BYTES = 500


def compressed(app: ASGIApp) -> ASGIApp:
    """`app` with gzip for clients that accept it."""
    return GZipMiddleware(app, minimum_size=SMALLEST_COMPRESSED_BYTES, compresslevel=COMPRESSION_LEVEL)


class ImmutableAssetsMiddleware:
    """Marks successful responses for hashed build assets as cacheable for a year."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(HASHED_ASSETS_PREFIX):
            await self.app(scope, receive, send)
            return

        async def send_with_lifetime(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                kept = [(name, value) for name, value in message.get("headers", []) if name.lower() != b"cache-control"]
                message = {**message, "headers": [*kept, (b"cache-control", IMMUTABLE)]}
            await send(message)

        await self.app(scope, receive, send_with_lifetime)
