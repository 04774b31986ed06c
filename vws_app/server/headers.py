"""Security headers on every response: the policy, no framing, no sniffing, no leaked URLs, HSTS only over HTTPS."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vws_app.server.csp import PagePolicy, content_security_policy
from vws_app.settings import served_over_https

BASE_HEADERS: dict[str, str] = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
    # Other sites' pages may not embed our responses; `same-site`, not `same-origin`, so the
    # dev server's pages (:3000) still show images from the backend (:8000).
    "cross-origin-resource-policy": "same-site",
}
HSTS_VALUE = "max-age=63072000; includeSubDomains"
POLICY_HEADER = b"content-security-policy"
# Scripts, styles, images and feeds are never documents with inline scripts of ours.
RESOURCE_POLICY = content_security_policy().encode()


def fixed_headers() -> list[tuple[bytes, bytes]]:
    """The headers every response gets besides the policy, as ASGI byte pairs."""
    headers = dict(BASE_HEADERS)
    if served_over_https():
        headers["strict-transport-security"] = HSTS_VALUE
    return [(name.encode(), value.encode()) for name, value in headers.items()]


def may_be_a_page(content_type: bytes | None) -> bool:
    """HTML, or no type at all: a 304 revalidating a cached page has none, and its headers replace the cached ones."""
    return content_type is None or content_type.split(b";")[0].strip().lower() == b"text/html"


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response, replacing any the app set itself.

    A page gets the policy that allows its own file's inline scripts by hash; every other
    response gets the same policy without them, which is shorter and stricter.
    """

    def __init__(self, app: ASGIApp, page_policy: PagePolicy | None = None) -> None:
        self.app = app
        self.page_policy = page_policy or PagePolicy()
        self.headers = fixed_headers()
        self.names = {name for name, _value in self.headers} | {POLICY_HEADER}

    def policy_for(self, content_type: bytes | None, path: str = "/") -> bytes:
        """The Content-Security-Policy for a response of `content_type` to a request for `path`."""
        return self.page_policy.for_path(path).encode() if may_be_a_page(content_type) else RESOURCE_POLICY

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                content_type = next((value for name, value in headers if name.lower() == b"content-type"), None)
                kept = [(name, value) for name, value in headers if name.lower() not in self.names]
                message = {
                    **message,
                    "headers": [*kept, *self.headers, (POLICY_HEADER, self.policy_for(content_type, scope["path"]))],
                }
            await send(message)

        await self.app(scope, receive, send_with_headers)
