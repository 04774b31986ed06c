"""Waiting for a page to be live: the prerendered shell shows English defaults until the backend answers."""

from playwright.sync_api import Page, expect

LANGUAGE_COOKIE = "vws_lang"


def expect_language_saved(page: Page, language: str | None = None) -> None:
    """Wait until the backend's answer has written the language cookie (`language`, if given)."""
    prefix = f"{LANGUAGE_COOKIE}={language or ''}"
    # A function, not a bare expression: Playwright evaluates strings with eval, which the
    # site's Content-Security-Policy (no 'unsafe-eval') forbids.
    page.wait_for_function(f"() => document.cookie.split('; ').some(c => c.startsWith({prefix!r}))")


def expect_hydrated(page: Page, text: str, where: str = "main") -> None:
    """Wait until `text` shows in `where` and the page's on-load events have run (they set the language)."""
    expect(page.locator(where)).to_contain_text(text)
    expect_language_saved(page)
