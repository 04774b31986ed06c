"""Collects what a browser context logs as broken (console errors, uncaught exceptions) so a test can fail on it."""

import dataclasses
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Response

# Known app errors a functional test may tolerate (page path, text); none today.
KNOWN_APP_ERRORS: list[tuple[str, str]] = []
FAILED_RESOURCE = "Failed to load resource: the server responded with a status of 404"


@dataclasses.dataclass(frozen=True)
class BrowserError:
    """One thing a page reported as broken."""

    kind: str
    text: str
    page_url: str
    source_url: str = ""

    def __str__(self) -> str:
        return f"[{self.kind}] on {self.page_url}: {self.text}" + (f" ({self.source_url})" if self.source_url else "")


@dataclasses.dataclass
class BrowserErrors:
    """The errors of every page in one context, and the documents the server answered 404 on purpose."""

    errors: list[BrowserError] = dataclasses.field(default_factory=list)
    not_found_documents: set[str] = dataclasses.field(default_factory=set)

    @classmethod
    def watch(cls, context: BrowserContext) -> "BrowserErrors":
        """Start recording errors from every page (tab) opened in `context`."""
        log = cls()
        context.on("page", log._attach)
        return log

    def _attach(self, page: Page) -> None:
        page.on("console", lambda message: self._on_console(page, message))
        page.on("pageerror", lambda error: self.errors.append(BrowserError("pageerror", str(error), page.url)))
        page.on("response", lambda response: self._on_response(page, response))

    def _on_console(self, page: Page, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(BrowserError("console", message.text, page.url, message.location.get("url", "")))

    def _on_response(self, page: Page, response: Response) -> None:
        """A 404 page is the server's right answer to an unknown address, not a broken page."""
        if response.status == 404 and response.request.is_navigation_request() and response.frame == page.main_frame:
            self.not_found_documents.add(response.url)

    def unexpected(self, *, strict: bool = False) -> list[BrowserError]:
        """Errors not explained by a deliberate 404 visit (nor, unless `strict`, by a known app bug)."""
        return [error for error in self.errors if not self._explained(error, strict)]

    def _explained(self, error: BrowserError, strict: bool) -> bool:
        if error.text.startswith(FAILED_RESOURCE) and error.source_url in self.not_found_documents:
            return True
        path = urlsplit(error.page_url).path or "/"
        return not strict and any(path == known_path and text in error.text for known_path, text in KNOWN_APP_ERRORS)

    def assert_none(self, *, strict: bool = False) -> None:
        """Fail listing every unexpected error."""
        found = self.unexpected(strict=strict)
        assert not found, "the browser reported errors:\n" + "\n".join(str(error) for error in found)
