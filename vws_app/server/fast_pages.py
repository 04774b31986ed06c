"""Public pages answered from memory, ahead of every other layer, while the content is unchanged.

A filled page (`/`, a section, a post) is the same bytes for every reader with the same
language and compression, until an editor changes something. The first request for it goes
through the whole app as before (routes, redirects, compression, security headers); this
layer keeps exactly what was sent, headers included, and answers later identical requests
with it: no database, no thread, no header rewriting. Whether a response may be kept is the
route's decision (`fast_page_mark.mark_cacheable`); whether a kept one is still good is the watcher's
(`content_watcher.py`), compared by identity on each request. A kept post never hides a
redirect: redirects change only through an audited write or a write to the posts, and either
moves the version. The watcher is the worker's one (`shared_watcher`); it starts on a worker's
first request (or with its page-file writer), never in the process that forks the workers.

Anything that could make the answer differ falls through unchanged: other methods, query
parameters besides `lang`, an editor's session cookie, an `Origin` header (CORS adds
headers then), a response that sets a cookie or is not a 200.
"""

import dataclasses
import time
from collections import OrderedDict
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vws_app.server.content_watcher import ContentWatcher, WatchedVersion, shared_watcher
from vws_app.server.fast_page_mark import MARK, Mark
from vws_app.server.page_cache import MAX_AGE_S
from vws_app.server.routes import request_language
from vws_app.server.upload_guard import SESSION_COOKIE
from vws_app.services.site_routes import FILLED_SECTIONS, POST

MAX_BYTES = 16 * 1024 * 1024  # kept bodies per worker (about 2,500 gzipped posts); the oldest go first
MAX_REQUEST_SHAPES = 4096  # remembered (query, cookie, Accept-Language) -> language answers
SECTION_PATHS = frozenset(FILLED_SECTIONS)
POST_PREFIX = POST.server_path.split("{", 1)[0]  # "/posts/"
_ADMIN_COOKIE = SESSION_COOKIE.encode() + b"="
_NOT_KEPT = object()  # the request shape may not be answered from memory


@dataclasses.dataclass(frozen=True)
class _Kept:
    version: WatchedVersion
    expires_at: float
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


def could_be_a_page(path: str) -> bool:
    """Whether a route may mark `path` cacheable: a filled section or `/posts/<slug>`."""
    if path in SECTION_PATHS:
        return True
    slug = path[len(POST_PREFIX) :] if path.startswith(POST_PREFIX) else ""
    return bool(slug) and "/" not in slug


class FastPages:
    """ASGI middleware: kept public pages sent straight back; everything else passes untouched."""

    def __init__(self, app: ASGIApp, watcher: ContentWatcher | None = None, max_bytes: int = MAX_BYTES) -> None:
        self.app = app
        self.watcher = watcher or shared_watcher()  # the worker's one, which the page-file writer follows too
        self.served = 0  # answers from memory, for tests and curious operators
        self._kept: OrderedDict[tuple, _Kept] = OrderedDict()
        self._bytes = 0
        self._max_bytes = max_bytes
        self._languages: dict[tuple[bytes, bytes, bytes], object] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not could_be_a_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        self.watcher.ensure_started()
        shape = self._request_shape(scope)
        version = self.watcher.current
        if shape is None or version is None:
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        language, gzip = shape
        kept = self._kept.get((method, path, language, gzip)) or self._kept.get((method, path, None, gzip))
        if kept is not None and kept.version is version and kept.expires_at > time.monotonic():
            self.served += 1
            # New messages each time: layers outside this one (Starlette's CORS adds `Vary: Origin`) edit them in place.
            await send({"type": "http.response.start", "status": 200, "headers": list(kept.headers)})
            await send({"type": "http.response.body", "body": kept.body})
            return
        await self._answer_and_keep(scope, receive, send, version, (method, path, language, gzip))

    def _request_shape(self, scope: Scope) -> tuple[str, bool] | None:
        """(language, accepts gzip) for a request that may be answered from memory, else None."""
        cookie = accept_language = accept_encoding = b""
        for name, value in scope["headers"]:
            if name == b"cookie":
                cookie = cookie + b"; " + value if cookie else value
            elif name == b"accept-language":
                accept_language = value
            elif name == b"accept-encoding":
                accept_encoding = value
            elif name == b"origin":
                return None
        if _ADMIN_COOKIE in cookie:
            return None
        language = self._language(scope, scope.get("query_string", b""), cookie, accept_language)
        if language is _NOT_KEPT:
            return None
        return language, b"gzip" in accept_encoding  # the same test as `FilledPage.response` and GZipMiddleware

    def _language(self, scope: Scope, query: bytes, cookie: bytes, accept_language: bytes) -> object:
        """The reader's language as the routes choose it (`request_language`), remembered per request shape."""
        key = (query, cookie, accept_language)
        found = self._languages.get(key)
        if found is None:
            if query and any(
                name != "lang" for name, _value in parse_qsl(query.decode("latin-1"), keep_blank_values=True)
            ):
                found = _NOT_KEPT
            else:
                found = request_language(Request(scope))
            if len(self._languages) >= MAX_REQUEST_SHAPES:
                self._languages.clear()
            self._languages[key] = found
        return found

    async def _answer_and_keep(
        self, scope: Scope, receive: Receive, send: Send, version: WatchedVersion, key: tuple
    ) -> None:
        """Let the app answer, keeping a copy of what it sent when its route marked it cacheable."""
        mark = Mark()
        scope[MARK] = mark
        sent: list[Message] = []

        async def send_and_copy(message: Message) -> None:
            # A copy taken before the outer layers see it: they may add to its headers in place.
            sent.append({**message, "headers": list(message.get("headers", []))} if "headers" in message else message)
            await send(message)

        await self.app(scope, receive, send_and_copy)
        if mark.cacheable:
            self._keep(key if mark.by_language else (*key[:2], None, key[3]), version, sent)

    def _keep(self, key: tuple, version: WatchedVersion, sent: list[Message]) -> None:
        if len(sent) < 2 or sent[0]["type"] != "http.response.start" or sent[0]["status"] != 200:
            return
        if any(name.lower() == b"set-cookie" for name, _value in sent[0].get("headers", [])):
            return
        bodies = sent[1:]
        if any(message["type"] != "http.response.body" for message in bodies) or bodies[-1].get("more_body", False):
            return
        body = b"".join(message.get("body", b"") for message in bodies)
        self._forget(key)
        self._kept[key] = _Kept(version, time.monotonic() + MAX_AGE_S, tuple(sent[0].get("headers", [])), body)
        self._bytes += len(body)
        while self._bytes > self._max_bytes and self._kept:
            self._forget(next(iter(self._kept)))

    def _forget(self, key: tuple) -> None:
        old = self._kept.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
