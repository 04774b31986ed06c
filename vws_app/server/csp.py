"""The Content-Security-Policy: this origin only, and no inline script but those the build wrote, by hash.

Reflex's prerendered pages carry inline bootstrap scripts (the colour-mode preload, React
Router's scroll restoration, route modules and loader data, React's streaming helpers).
Instead of `'unsafe-inline'`, which would also let an injected `<script>` run, the policy
lists the SHA-256 of each script found in the build's HTML files, as written and as the
server sends them (`deferred_scripts.py` rewrites the bootstrap). Those files change only
when the frontend is rebuilt (before serving in production, in place with `--env preview`),
so the hashes are recomputed when a file's size or modification time changes, looked at no
more than once a second: listing the build costs about half a millisecond.

Each page is sent only the hashes of its own file (`PagePolicy.for_path`): all of them on
every page came to ~70 hashes, 4 KB of header on every page view. A page's inline scripts
run only when it is loaded from the server; moving to another page inside the app runs none.
"""

import base64
import hashlib
import os
import time
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path

from vws_app.server import page_shell
from vws_app.server.deferred_scripts import defer_app_scripts

# Radix and Emotion write `<style>` elements and style attributes at run time, hence
# 'unsafe-inline' for styles (the Observatory counts it as a pass, scoring 0).
DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data: blob:"),
    ("font-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("media-src", "'self'"),
    ("object-src", "'none'"),
    ("frame-src", "'none'"),
    ("frame-ancestors", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
SKIPPED_DIRS = {"assets"}  # hashed JS, CSS and images: no HTML to read
RECHECK_SECONDS = 1.0
# What the server fills or answers for any address without a page file of its own (a post,
# an event, an unknown address): the SPA shell, and `404.html`, a copy of it.
SHELL_FILES = ("__spa-fallback.html", "404.html")


def content_security_policy(script_hashes: Iterable[str] = ()) -> str:
    """The policy, with `script_hashes` ('sha256-…' sources) allowed in `script-src`."""
    extra = {"script-src": " ".join(sorted(set(script_hashes)))}
    return "; ".join(" ".join(filter(None, (name, sources, extra.get(name, "")))) for name, sources in DIRECTIVES)


def script_hash(source: str) -> str:
    """The CSP source that allows exactly the inline script `source`."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


class _InlineScripts(HTMLParser):
    """The text of every inline `<script>` in a page (those with `src` load from this origin)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.sources: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not any(name == "src" for name, _value in attrs):
            self._current = []

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._current is not None:
            self.sources.append("".join(self._current))
            self._current = None


def inline_script_hashes(page: str) -> set[str]:
    """The hash of each non-empty inline script of `page` (an empty one never runs, so needs none)."""
    parser = _InlineScripts()
    parser.feed(page)
    parser.close()
    return {script_hash(source) for source in parser.sources if source}


def html_files(build: Path) -> list[Path]:
    """Every page file of the build (prerendered routes, the SPA fallback, 404.html), sorted."""
    found: list[Path] = []
    for folder, subfolders, names in os.walk(build):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_DIRS]
        found += [Path(folder) / name for name in names if name.endswith(".html")]
    return sorted(found)


def page_address(relative_file: str) -> str:
    """The address a build page file is served at: `index.html` → `/`, `admin/texts/index.html` → `/admin/texts`."""
    stem = relative_file.removesuffix(".html")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index").rstrip("/")
    return "/" + stem


class PagePolicy:
    """The policies for pages of the current build, recomputed when one of its page files changes."""

    def __init__(
        self,
        build_dir: Callable[[], Path] = lambda: page_shell.build_dir(),
        recheck_seconds: float = RECHECK_SECONDS,
    ) -> None:
        self._build_dir = build_dir
        self._recheck_seconds = recheck_seconds
        self._checked_at = float("-inf")
        self._stamp: tuple[tuple[str, int, int], ...] | None = None
        self._policy = self._shell_policy = content_security_policy()
        self._by_address: dict[str, str] = {}

    def current(self) -> str:
        """The policy allowing the inline scripts of every page file on disk (none without a build, as in dev)."""
        self._check()
        return self._policy

    def for_path(self, path: str) -> str:
        """The policy for the page at `path`: its own file's inline scripts, else the SPA shell's."""
        self._check()
        return self._by_address.get(path.rstrip("/") or "/", self._shell_policy)

    def _check(self) -> None:
        now = time.monotonic()
        if now - self._checked_at >= self._recheck_seconds:
            self._checked_at = now
            self._refresh()

    def _refresh(self) -> None:
        build = self._build_dir()
        files = html_files(build)
        stamp = tuple(_stamp(path) for path in files)
        if stamp == self._stamp:
            return
        hashes = {path.relative_to(build).as_posix(): _served_script_hashes(_read(path)) for path in files}
        self._policy = content_security_policy(set().union(*hashes.values()))
        self._shell_policy = content_security_policy(set().union(*(hashes.get(name, set()) for name in SHELL_FILES)))
        self._by_address = {
            page_address(name): content_security_policy(found)
            for name, found in hashes.items()
            if name not in SHELL_FILES
        }
        self._stamp = stamp


def _served_script_hashes(page: str) -> set[str]:
    """The inline scripts of a build page as a file and as the server sends it (scripts deferred)."""
    return inline_script_hashes(page) | inline_script_hashes(defer_app_scripts(page))


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        status = path.stat()
    except OSError:  # removed between listing and reading: a rebuild is under way
        return (str(path), -1, -1)
    return (str(path), status.st_mtime_ns, status.st_size)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""
