"""Screenshots of the home page and a post at 1280 and 375 px in both languages, for the README.

Start the site first (e.g. `reflex run --env prod`), then:

    .venv/bin/python scripts/take_screenshots.py http://127.0.0.1:3000 /posts/<slug>

Writes docs/screenshot-<page>-<language>-<width>.png (the first screen of each, reduced to
a small palette so the repository stays light). Uses Debian's Chromium (`E2E_CHROMIUM` to change).
"""

import io
import os
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parents[1] / "docs"
VIEWPORTS = {1280: {"width": 1280, "height": 800}, 375: {"width": 375, "height": 812}}
LOCALES = {"en": "en-US", "es": "es-VE"}


def _small_png(png: bytes, target: Path) -> None:
    """`png` saved with at most 128 colours: text and flat colours survive, the file shrinks."""
    Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128).save(target, optimize=True)


def _wait_until_live(page) -> None:
    """Until the live page has replaced the server's text with its own content."""
    page.wait_for_function("() => !document.getElementById('server-rendered-text')")
    page.wait_for_function("() => document.cookie.includes('vws_lang=')")


def main(base_url: str, post_path: str) -> None:
    pages = {"home": "/", "post": post_path}
    DOCS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
        for language, locale in LOCALES.items():
            for width, viewport in VIEWPORTS.items():
                context = browser.new_context(base_url=base_url, locale=locale, viewport=viewport)
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(f"{path}?lang={language}")
                    _wait_until_live(page)
                    translation = page.locator("#translation-link")
                    if name == "post" and translation.count() and translation.get_attribute("lang") == language:
                        page.goto(translation.get_attribute("href"))  # the post in the visitor's language
                        _wait_until_live(page)
                    target = DOCS / f"screenshot-{name}-{language}-{width}.png"
                    _small_png(page.screenshot(), target)
                    print(f"wrote {target.relative_to(DOCS.parent)}")
                context.close()
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
