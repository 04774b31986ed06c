"""Mozilla's HTTP Observatory tests as plain functions over one fetched page, for the unit and browser tests.

Each function follows the scanner's rule for one test (mdn/mdn-http-observatory,
`src/analyzer/tests/*.js`, algorithm of 2025) and returns the Observatory's result name;
`PASSING` holds the results the Observatory counts as a pass. Redirection and HSTS need
HTTPS, so over plain HTTP they cannot pass; `HTTPS_ONLY` says why, and the README repeats it.
"""

import dataclasses
from collections.abc import Iterable
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

Headers = list[tuple[str, str]]
HTML_TYPES = {"text/html", "application/xhtml+xml"}
BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
HASH_OR_NONCE = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")
REFERRER_GOOD = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]
REFERRER_BAD = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"]
SIX_MONTHS_S = 15_552_000
SCANNER_ORIGIN = "https://http-observatory.security.mozilla.org"  # the Origin of its CORS preflight
# Cookie results from least to most serious, as the scanner ranks them.
COOKIE_FAULTS = [
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
]
PASSING = {
    "csp-implemented-with-no-unsafe",
    "csp-implemented-with-no-unsafe-default-src-none",
    "csp-implemented-with-unsafe-inline-in-style-src-only",
    "cookies-not-found",
    "cookies-secure-with-httponly-sessions",
    "cookies-secure-with-httponly-sessions-and-samesite",
    "cross-origin-resource-sharing-not-implemented",
    "cross-origin-resource-sharing-implemented-with-public-access",
    "cross-origin-resource-sharing-implemented-with-restricted-access",
    "referrer-policy-private",
    "referrer-policy-not-implemented",
    "hsts-implemented-max-age-at-least-six-months",
    "hsts-preloaded",
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
    "sri-not-implemented-but-no-scripts-loaded",
    "sri-not-implemented-response-not-html",
    "sri-implemented-and-all-scripts-loaded-securely",
    "sri-implemented-and-external-scripts-loaded-securely",
    "x-content-type-options-nosniff",
    "x-frame-options-implemented-via-csp",
    "x-frame-options-sameorigin-or-deny",
    "x-frame-options-allow-from-origin",
    "corp-not-implemented",
    "corp-implemented-with-same-site",
    "corp-implemented-with-same-origin",
    "corp-implemented-with-cross-origin",
}
ALL_TESTS = {
    "content-security-policy",
    "cookies",
    "cross-origin-resource-sharing",
    "redirection",
    "referrer-policy",
    "strict-transport-security",
    "subresource-integrity",
    "x-content-type-options",
    "x-frame-options",
    "cross-origin-resource-policy",
}
# This site's results over plain HTTP: the best each test gives, but for CSP, where Radix's
# run-time styles keep 'unsafe-inline' in style-src (a pass scoring 0 instead of +5).
SITE_RESULTS = {
    "content-security-policy": "csp-implemented-with-unsafe-inline-in-style-src-only",
    "cookies": "cookies-not-found",
    "cross-origin-resource-sharing": "cross-origin-resource-sharing-not-implemented",
    "referrer-policy": "referrer-policy-private",
    "subresource-integrity": "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
    "x-content-type-options": "x-content-type-options-nosniff",
    "x-frame-options": "x-frame-options-implemented-via-csp",
    "cross-origin-resource-policy": "corp-implemented-with-same-site",
}
HTTPS_ONLY = {
    "redirection": "it asks that http:// redirect to https:// on the same host; a local server has no HTTPS "
    "(in production the reverse proxy's port-80 server does it)",
    "strict-transport-security": "browsers ignore HSTS over plain HTTP; the app sends it when SITE_HTTPS=1",
}


@dataclasses.dataclass(frozen=True)
class Exchange:
    """What the scanner collects: the page's response and body, `/robots.txt` (for cookies), a CORS preflight."""

    url: str
    headers: Headers
    body: str
    robots_headers: Headers
    preflight_headers: Headers
    preflight_origin: str


def values(headers: Headers, name: str) -> list[str]:
    """Every value of header `name` (case-insensitive), in order."""
    return [value for key, value in headers if key.lower() == name]


def first(headers: Headers, name: str) -> str | None:
    found = values(headers, name)
    return found[0].strip() if found else None


def policy_directives(headers: Headers) -> dict[str, set[str]] | None:
    """The one Content-Security-Policy as directive → sources (the first of a repeated directive counts)."""
    raw = values(headers, "content-security-policy")
    policies = [part for value in raw for part in value.split(",") if part.strip()]
    if not policies:
        return None
    assert len(policies) == 1, f"several policies, which this does not model: {policies}"
    directives: dict[str, set[str]] = {}
    for directive in filter(str.split, policies[0].split(";")):
        name, *sources = directive.split()
        directives.setdefault(name.lower(), set(sources))
    return directives


def content_security_policy(exchange: Exchange) -> str:
    csp = policy_directives(exchange.headers)
    if csp is None:
        return "csp-not-implemented"
    script = set(csp.get("script-src") or csp.get("default-src") or {"*"})
    style = set(csp.get("style-src") or csp.get("default-src") or {"*"})
    objects = csp.get("object-src") or csp.get("default-src") or {"*"}
    for sources in (script, style):
        if any(source.startswith(HASH_OR_NONCE) for source in sources):
            sources.discard("'unsafe-inline'")  # browsers ignore it next to a hash or nonce
    if script & (BROAD | UNSAFE_INLINE) or objects & BROAD:
        return "csp-implemented-with-unsafe-inline"
    if "'unsafe-eval'" in script | style:
        return "csp-implemented-with-unsafe-eval"
    if style & (BROAD | UNSAFE_INLINE):
        return "csp-implemented-with-unsafe-inline-in-style-src-only"
    if csp.get("default-src") == {"'none'"}:
        return "csp-implemented-with-no-unsafe-default-src-none"
    return "csp-implemented-with-no-unsafe"


def policy_weaknesses(exchange: Exchange) -> list[str]:
    """What the scanner reports beside the CSP score: framing, base URI, form targets, plugins."""
    csp = policy_directives(exchange.headers) or {}
    weak = {
        "frame-ancestors allows framing": csp.get("frame-ancestors", {"*"}) & BROAD,
        "base-uri is open": csp.get("base-uri", {"*"}) & (BROAD | UNSAFE_INLINE),
        "form-action is open": csp.get("form-action", {"*"}) & BROAD,
        "object-src is open": (csp.get("object-src") or csp.get("default-src") or {"*"}) & BROAD,
    }
    return [name for name, found in weak.items() if found]


@dataclasses.dataclass(frozen=True)
class CookieFacts:
    """The attributes of one cookie that the scanner judges."""

    name: str
    secure: bool
    http_only: bool
    same_site: str  # "" when absent


def cookies_from_headers(headers: Headers) -> list[CookieFacts]:
    """The cookies a response sets with `Set-Cookie`."""
    found = []
    for raw in values(headers, "set-cookie"):
        for name, morsel in SimpleCookie(raw).items():
            found.append(CookieFacts(name, bool(morsel["secure"]), bool(morsel["httponly"]), morsel["samesite"]))
    return found


def cookies(jar: Iterable[CookieFacts], hsts: bool) -> str:
    jar = list(jar)
    if not jar:
        return "cookies-not-found"
    faults = []
    hsts_suffix = "-but-protected-by-hsts" if hsts else ""
    for cookie in jar:
        session = any(part in cookie.name.lower() for part in ("login", "sess"))
        if not cookie.secure and cookie.same_site.lower() == "none":
            faults.append("cookies-samesite-flag-invalid")
        if not cookie.secure:
            faults.append("cookies-without-secure-flag" + hsts_suffix)
        if "csrf" in cookie.name.lower() and not cookie.same_site:
            faults.append("cookies-anticsrf-without-samesite-flag")
        if session and not cookie.secure:
            faults.append("cookies-session-without-secure-flag" + hsts_suffix)
        if session and not cookie.http_only:
            faults.append("cookies-session-without-httponly-flag")
    if faults:
        return max(faults, key=COOKIE_FAULTS.index)
    if all(cookie.same_site for cookie in jar):
        return "cookies-secure-with-httponly-sessions-and-samesite"
    return "cookies-secure-with-httponly-sessions"


def cross_origin_resource_sharing(headers: Headers, origin: str) -> str:
    allowed = first(headers, "access-control-allow-origin")
    if not allowed:
        return "cross-origin-resource-sharing-not-implemented"
    if allowed.lower() == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access"
    if allowed == origin and (first(headers, "access-control-allow-credentials") or "").lower() == "true":
        return "cross-origin-resource-sharing-implemented-with-universal-access"
    return "cross-origin-resource-sharing-implemented-with-restricted-access"


def referrer_policy(exchange: Exchange) -> str:
    found = values(exchange.headers, "referrer-policy")
    if not found:
        return "referrer-policy-not-implemented"
    tokens = [token.strip().lower() for value in found for token in value.split(",")]
    known = [token for token in tokens if token in REFERRER_GOOD + REFERRER_BAD]
    if not known:
        return "referrer-policy-header-invalid"
    return "referrer-policy-private" if known[-1] in REFERRER_GOOD else "referrer-policy-unsafe"


def strict_transport_security(headers: Headers) -> str:
    value = first(headers, "strict-transport-security")
    if value is None:
        return "hsts-not-implemented"
    ages = [part.strip()[len("max-age=") :] for part in value.lower().split(";") if part.strip().startswith("max-age=")]
    if "," in value or not ages or not ages[0].isdigit():
        return "hsts-header-invalid"
    long_enough = int(ages[0]) >= SIX_MONTHS_S
    return f"hsts-implemented-max-age-{'at-least' if long_enough else 'less-than'}-six-months"


class _Scripts(HTMLParser):
    """Each `<script>` of a page as its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append({name: value or "" for name, value in attrs})


def page_scripts(body: str) -> list[dict[str, str]]:
    parser = _Scripts()
    parser.feed(body)
    return parser.scripts


def subresource_integrity(exchange: Exchange) -> str:
    content_type = (first(exchange.headers, "content-type") or "").split(";")[0].strip().lower()
    if content_type and content_type not in HTML_TYPES:
        return "sri-not-implemented-response-not-html"
    scripts = page_scripts(exchange.body)
    if not scripts:
        return "sri-not-implemented-but-no-scripts-loaded"
    host = urlsplit(exchange.url).hostname
    foreign = [
        script
        for script in scripts
        if script.get("src", "").startswith("//")
        or (urlsplit(script.get("src", "")).scheme and urlsplit(script["src"]).hostname != host)
    ]
    if not foreign:
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    if all(script.get("integrity") and script["src"].startswith("https://") for script in foreign):
        return "sri-implemented-and-external-scripts-loaded-securely"
    if all(script["src"].startswith("https://") for script in foreign):
        return "sri-not-implemented-but-external-scripts-loaded-securely"
    return "sri-not-implemented-and-external-scripts-not-loaded-securely"


def x_content_type_options(exchange: Exchange) -> str:
    value = first(exchange.headers, "x-content-type-options")
    if value is None:
        return "x-content-type-options-not-implemented"
    return "x-content-type-options-nosniff" if value.lower() == "nosniff" else "x-content-type-options-header-invalid"


def x_frame_options(exchange: Exchange) -> str:
    if "frame-ancestors" in (policy_directives(exchange.headers) or {}):
        return "x-frame-options-implemented-via-csp"
    value = (first(exchange.headers, "x-frame-options") or "").lower()
    if value in ("deny", "sameorigin"):
        return "x-frame-options-sameorigin-or-deny"
    if value.startswith("allow-from"):
        return "x-frame-options-allow-from-origin"
    return "x-frame-options-header-invalid" if value else "x-frame-options-not-implemented"


def cross_origin_resource_policy(exchange: Exchange) -> str:
    value = first(exchange.headers, "cross-origin-resource-policy")
    if value is None:
        return "corp-not-implemented"
    known = {
        "same-site": "corp-implemented-with-same-site",
        "same-origin": "corp-implemented-with-same-origin",
        "cross-origin": "corp-implemented-with-cross-origin",
    }
    return known.get(value.lower(), "corp-header-invalid")


def results_over_plain_http(exchange: Exchange) -> dict[str, str]:
    """The result of every Observatory test that can apply to a site served over plain HTTP."""
    return {
        "content-security-policy": content_security_policy(exchange),
        "cookies": cookies(cookies_from_headers(exchange.headers + exchange.robots_headers), hsts=False),
        "cross-origin-resource-sharing": cross_origin_resource_sharing(
            exchange.preflight_headers, exchange.preflight_origin
        ),
        "referrer-policy": referrer_policy(exchange),
        "subresource-integrity": subresource_integrity(exchange),
        "x-content-type-options": x_content_type_options(exchange),
        "x-frame-options": x_frame_options(exchange),
        "cross-origin-resource-policy": cross_origin_resource_policy(exchange),
    }
