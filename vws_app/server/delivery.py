"""How responses travel: compressed on the way out, and build assets cached by browsers for good.

The frontend's files under `/assets/` carry a content hash in their names (Vite), so a
changed file has a new address and the old one may be kept forever; without a lifetime
every visit asks for ~350 KiB again. The pages the server fills are kept compressed with
them (`FilledPage`); other responses it makes (feeds, sitemap) are compressed on the way
out; the build's static files already come precompressed by Reflex and pass untouched.
"""

import dataclasses
import gzip

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HASHED_ASSETS_PREFIX = "/assets/"
IMMUTABLE = b"public, max-age=31536000, immutable"
# Level 6 is nearly as small as 9 for HTML and several times cheaper per request.
COMPRESSION_LEVEL = 6
SMALLEST_COMPRESSED_BYTES = 500


@dataclasses.dataclass(frozen=True)
class FilledPage:
    """A page the server built, as bytes and as gzip bytes, so neither is redone per request."""

    body: bytes
    gzipped: bytes

    @classmethod
    def of(cls, html: str) -> "FilledPage":
        body = html.encode("utf-8")
        return cls(body, gzip.compress(body, COMPRESSION_LEVEL))

    def response(self, request: Request, vary: tuple[str, ...] = ()) -> Response:
        """The page, gzipped for clients that accept it."""
        headers = {"vary": ", ".join([*vary, "Accept-Encoding"])}
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(self.gzipped, headers={**headers, "content-encoding": "gzip"}, media_type="text/html")
        return Response(self.body, headers=headers, media_type="text/html")


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
