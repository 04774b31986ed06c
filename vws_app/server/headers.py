"""Security headers on every response: no third-party content, no framing, no leaked URLs."""

import os

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Reflex's compiled pages carry inline bootstrap scripts and Radix sets inline styles,
# hence 'unsafe-inline' for those two; everything else is limited to this origin.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])
BASE_HEADERS: dict[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
}
HSTS_VALUE = "max-age=63072000; includeSubDomains"


def served_over_https() -> bool:
    """Whether the site is public over HTTPS (`SITE_HTTPS=1`), so browsers may be told to insist on it."""
    return os.environ.get("SITE_HTTPS", "").lower() in {"1", "true", "yes"}


def security_headers() -> list[tuple[bytes, bytes]]:
    """The headers every response gets, as ASGI byte pairs."""
    headers = dict(BASE_HEADERS)
    if served_over_https():
        headers["strict-transport-security"] = HSTS_VALUE
    return [(name.encode(), value.encode()) for name, value in headers.items()]


class SecurityHeadersMiddleware:
    """Adds `security_headers()` to every HTTP response, replacing any the app set itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = security_headers()
        self.names = {name for name, _value in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(name, value) for name, value in message.get("headers", []) if name.lower() not in self.names]
                message = {**message, "headers": kept + self.headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
