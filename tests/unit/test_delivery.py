"""Compression of what the server builds, and a year's lifetime for hashed build assets only."""

import gzip

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from vws_app.server.delivery import FilledPage, ImmutableAssetsMiddleware, compressed

PAGE = "<!doctype html><p>" + "Solidaridad con los trabajadores. " * 200 + "</p>"


def _page(_request):
    return HTMLResponse(PAGE)


def _asset(_request):
    return PlainTextResponse("console.log(1)", headers={"cache-control": "no-cache"})


def _precompressed_asset(_request):
    return Response(gzip.compress(b"body{}" * 200), headers={"content-encoding": "br", "content-type": "text/css"})


def _filled(request):
    return FilledPage.of(PAGE).response(request, vary=("Cookie",))


def _client() -> TestClient:
    """The two middlewares wrapped in the order the app uses."""
    app = Starlette(
        routes=[
            Route("/", _page),
            Route("/filled", _filled),
            Route("/assets/entry-abc123.js", _asset),
            Route("/assets/styles-def456.css", _precompressed_asset),
            Route("/favicon.svg", _asset),
        ]
    )
    return TestClient(compressed(ImmutableAssetsMiddleware(app)))


def test_pages_are_gzipped_for_browsers_that_accept_it():
    response = _client().get("/", headers={"accept-encoding": "gzip, deflate, br"})
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers["vary"].lower()
    assert response.text == PAGE  # the client decompresses: nothing lost on the way
    assert int(response.headers["content-length"]) < len(PAGE) / 5


def test_clients_without_gzip_get_the_plain_page():
    response = _client().get("/", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert response.text == PAGE


def test_precompressed_build_files_pass_through_untouched():
    # Streamed and never read: the stand-in bytes are not real Brotli, which httpx would decode
    # (and refuse) when the `brotli` package is installed.
    with _client().stream("GET", "/assets/styles-def456.css", headers={"accept-encoding": "gzip, br"}) as response:
        assert response.headers["content-encoding"] == "br"


def test_hashed_assets_are_cached_for_a_year_and_never_revalidated():
    response = _client().get("/assets/entry-abc123.js")
    assert response.headers.get_list("cache-control") == ["public, max-age=31536000, immutable"]


def test_files_outside_assets_keep_their_own_cache_rules():
    assert _client().get("/favicon.svg").headers["cache-control"] == "no-cache"
    assert "cache-control" not in _client().get("/").headers


def test_a_missing_asset_is_not_cached():
    response = _client().get("/assets/gone-000.js")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("cache-control", "")


def test_a_filled_page_is_sent_in_the_gzip_kept_with_it():
    page = FilledPage.of(PAGE)
    response = _client().get("/filled", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) == len(page.gzipped)  # not compressed a second time
    assert response.text == PAGE
    assert response.headers["vary"] == "Cookie, Accept-Encoding"
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_a_filled_page_goes_plain_to_clients_without_gzip():
    response = _client().get("/filled", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert response.content == PAGE.encode()
