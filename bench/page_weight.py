"""What a visitor downloads: bytes on the wire per type for `/`, a post and `/contact`, then a second view.

Each page is loaded in a fresh browser context (empty cache) in Debian's Chromium and summed
from the DevTools protocol's own count of bytes received (headers included, as Lighthouse's
"transferred"); then, in the same context, a hard load of another public page shows what a
second page view costs with the first one's files cached. Websocket frames are counted apart
(Lighthouse does not count them). Bytes do not depend on the machine's load, so this gives
steady numbers on a busy machine where timings do not.

Run: .venv/bin/python bench/page_weight.py [--keep-build DIR]   (builds the production app, ~3-6 min)
     .venv/bin/python bench/page_weight.py --url http://127.0.0.1:PORT   (an app already serving)
     --reader phone | save-data   (a touch screen, or Lite mode: no app on the reading pages)
"""

import argparse
import collections
import functools
import json
import sys
import time
from urllib.parse import urlsplit

from app_server import CHROMIUM, PROJECT_ROOT, SEEDED_POST_SLUG, running_app, save_results
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(PROJECT_ROOT))
from vws_app.services.seo import FALLBACK_ID  # noqa: E402  (the server's text, removed once the page's content is in)

PAGES = {"/": "/", "post": f"/posts/{SEEDED_POST_SLUG}", "/contact": "/contact"}
# The page opened second in the same context: another public page, as a reader moves on.
SECOND_VIEW = {"/": f"/posts/{SEEDED_POST_SLUG}", "post": "/", "/contact": "/"}
MOBILE = {"width": 412, "height": 823}
QUIET_MS = 3000  # no request finished for this long: the page has all it loads
LIVE_TIMEOUT_MS = 120_000  # scripts load after the first paint; a busy machine paints late


class WireCount:
    """Bytes received per resource type for one page load, from the DevTools protocol."""

    def __init__(self, client) -> None:
        self.types: dict[str, str] = {}
        self.urls: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        self.from_cache: set[str] = set()
        self.socket_bytes = 0
        client.on("Network.responseReceived", self._response)
        client.on("Network.requestServedFromCache", lambda event: self.from_cache.add(event["requestId"]))
        client.on("Network.loadingFinished", self._finished)
        client.on("Network.webSocketFrameReceived", self._frame)
        client.on("Network.webSocketFrameSent", self._frame)
        client.send("Network.enable")

    def _response(self, event: dict) -> None:
        self.types[event["requestId"]] = event["type"]
        self.urls[event["requestId"]] = event["response"]["url"]
        if event["response"].get("fromDiskCache") or event["response"].get("fromMemoryCache"):
            self.from_cache.add(event["requestId"])

    def _finished(self, event: dict) -> None:
        self.bytes[event["requestId"]] = int(event["encodedDataLength"])

    def _frame(self, event: dict) -> None:
        self.socket_bytes += len(event["response"].get("payloadData", "").encode())

    def summary(self) -> dict:
        by_type: dict[str, int] = collections.Counter()
        files = []
        for request_id, size in self.bytes.items():
            kind = self.types.get(request_id, "Other")
            by_type[kind] += size
            files.append((size, kind, urlsplit(self.urls.get(request_id, "?")).path))
        over_network = [request_id for request_id, size in self.bytes.items() if size > 0]
        return {
            "total_bytes": sum(self.bytes.values()),
            "script_bytes": by_type.get("Script", 0),
            "stylesheet_bytes": by_type.get("Stylesheet", 0),
            "document_bytes": by_type.get("Document", 0),
            "by_type": dict(by_type),
            "requests": len(self.bytes),
            "requests_over_network": len(over_network),
            "socket_frame_bytes": self.socket_bytes,
            "files": [{"bytes": size, "type": kind, "path": path} for size, kind, path in sorted(files, reverse=True)],
        }


def _load(page, client_factory, url: str) -> dict:
    """Open `url` and count until the app is live, the page's own content is in, and the network is quiet."""
    count = WireCount(client_factory())
    with page.expect_websocket(lambda socket: "/_event" in socket.url, timeout=LIVE_TIMEOUT_MS):
        page.goto(url)
    page.wait_for_selector(f"#{FALLBACK_ID}", state="detached", timeout=LIVE_TIMEOUT_MS)
    _wait_until_quiet(page, count)
    return count.summary()


def _load_without_waiting_for_the_app(page, client_factory, url: str) -> dict:
    """Open `url` as a phone or a browser saving data: reading pages never start the app, so count until quiet."""
    count = WireCount(client_factory())
    page.goto(url)
    _wait_until_quiet(page, count)
    return count.summary()


def _wait_until_quiet(page, count: "WireCount") -> None:
    """Until no request has finished for `QUIET_MS` (route chunks load after the app is live)."""
    deadline = time.monotonic() + LIVE_TIMEOUT_MS / 1000
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        if len(count.bytes) != seen:
            seen, quiet_since = len(count.bytes), time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_MS / 1000:
            return
        page.wait_for_timeout(200)


# Who reads: a computer (mouse) with a phone-sized window, as the first measurements here; a phone
# (touch as its main pointer, which does not load the app on reading pages); a browser saving data.
READERS = ("computer", "phone", "save-data")


def measure(base_url: str, reader: str = "computer") -> dict:
    """First and second view of each page, each page in its own fresh context, as `reader` (`READERS`)."""
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for label, path in PAGES.items():
            touch = {"is_mobile": True, "has_touch": True} if reader == "phone" else {}
            context = browser.new_context(viewport=MOBILE, **touch)
            page = context.new_page()
            open_cdp = functools.partial(context.new_cdp_session, page)
            load = _load if reader == "computer" else _load_without_waiting_for_the_app
            if reader == "save-data":
                open_cdp().send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
            first = load(page, open_cdp, base_url + path)
            second = load(page, open_cdp, base_url + SECOND_VIEW[label])
            results[label] = {"path": path, "first_view": first, "second_view": {"path": SECOND_VIEW[label], **second}}
            context.close()
            print(
                f"{label}: {first['total_bytes']:,} B ({first['script_bytes']:,} script, "
                f"{first['stylesheet_bytes']:,} css, {first['document_bytes']:,} html), {first['requests']} requests; "
                f"second view {second['total_bytes']:,} B in {second['requests_over_network']} requests",
                flush=True,
            )
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="measure an app that is already serving instead of building one")
    parser.add_argument("--keep-build", action="store_true", help="keep the temporary build directory")
    parser.add_argument("--files", action="store_true", help="print every file of each first view")
    parser.add_argument("--reader", choices=READERS, default="computer", help="who reads (default: computer)")
    args = parser.parse_args()
    if args.url:
        results = measure(args.url.rstrip("/"), args.reader)
    else:
        with running_app("page_weight", keep=args.keep_build) as app:
            results = measure(app.base_url, args.reader)
    if args.files:
        for label, result in results.items():
            print(f"--- {label}")
            for item in result["first_view"]["files"]:
                print(f"{item['bytes']:>8,} {item['type']:<11} {item['path']}")
    save_results("page_weight" if args.reader == "computer" else f"page_weight_{args.reader}", {"pages": results})
    json.dump(
        {label: {k: v for k, v in r["first_view"].items() if k != "files"} for label, r in results.items()},
        sys.stdout,
        indent=1,
    )
    print()


if __name__ == "__main__":
    main()
