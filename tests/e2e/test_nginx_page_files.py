"""The README's nginx recipe before the production app with PAGE_FILES_DIR: pages from files, the rest from the app.

Debian's real nginx runs `docs/nginx-site.conf` (the README's block). A response nginx made
from a file carries an `ETag`, which the app never sends; that is how a test knows which
answered. How fast an edit reaches nginx is measured in `bench/page_files.py`; here a test
only waits for it.
"""

import dataclasses
import gzip
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import brotli
import pytest
from sqlmodel import Session

from tests.e2e.conftest import LiveApp, _free_port, running_reflex
from tests.nginx_site import running_nginx, site_config, unavailable_reason
from vws_app.models import Editor, utc_now
from vws_app.server.page_file_writer import PAGE_HEADER_NAMES
from vws_app.server.page_files import INCLUDE_NAME
from vws_app.services import editorial
from vws_app.services.database import engine_for
from vws_app.services.editorial import PostInput
from vws_app.services.seeding import load_seed_content
from vws_app.services.slugs import slug_from_title

SEED = load_seed_content()
SEEDED_POST = "/posts/" + slug_from_title(
    next(post["title"] for post in SEED["posts"] if (post["translation_group"], post["language"]) == ("myanmar", "es"))
)
FIRST_FILES_WITHIN_S = 120
WAIT_S = 15  # a generous bound for a shared machine; the real delay is measured in bench/page_files.py


@dataclasses.dataclass(frozen=True)
class ProxiedSite:
    app: LiveApp
    nginx_url: str
    page_files: Path


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def from_file(self) -> bool:
        return "etag" in self.headers


HASH = re.compile(r"'sha256-[^']+'")


def script_hashes_in(policy: str) -> set[str]:
    return set(HASH.findall(policy))


def without_hashes(policy: str) -> str:
    return " ".join(HASH.sub("", policy).split())


def _get(url: str, method: str = "GET", data: bytes | None = None, **headers: str) -> Answer:
    request = urllib.request.Request(url, method=method, data=data, headers={"accept-encoding": "identity", **headers})
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=15) as response:
            return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxiedSite]:
    """The production app writing page files, and nginx running the README's recipe in front of it."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("nginx_page_files")
    pages = root / "page-files"
    (root / "app").mkdir()
    with running_reflex(root / "app", "prod", extra_env=lambda _base: {"PAGE_FILES_DIR": str(pages)}) as app:
        deadline = time.monotonic() + FIRST_FILES_WITHIN_S
        while not (pages / INCLUDE_NAME).exists():
            assert time.monotonic() < deadline, f"no page files after {FIRST_FILES_WITHIN_S} s"
            time.sleep(0.2)
        port = _free_port()
        config = site_config(port=port, redirect_port=_free_port(), app_url=app.base_url, page_files=pages)
        with running_nginx(root / "nginx", config, port):
            yield ProxiedSite(app, f"http://127.0.0.1:{port}", pages)


@pytest.fixture(scope="module")
def editor(site: ProxiedSite) -> Editor:
    with Session(engine_for(site.app.database_url)) as session:
        row = Editor(email="pages@example.org", display_name="Pages", password_hash="not-a-real-hash")
        session.add(row)
        session.commit()
        session.refresh(row)
        return row


def _published(title: str, body: str) -> PostInput:
    return PostInput(title=title, body=body, status="published", published_at=utc_now() - timedelta(minutes=1))


def _wait_for(check, what: str):
    deadline = time.monotonic() + WAIT_S
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"{what} not seen through nginx within {WAIT_S} s"
        time.sleep(0.05)


@pytest.mark.parametrize("path", ["/", "/posts", "/contact", SEEDED_POST])
def test_public_pages_come_from_files_with_the_apps_bytes(site: ProxiedSite, path: str):
    proxied = _get(site.nginx_url + path)
    assert proxied.status == 200 and proxied.from_file
    assert proxied.headers["content-type"] == "text/html; charset=utf-8"
    assert proxied.body == _get(site.app.url(path)).body


@pytest.mark.parametrize(
    "query, headers, language",
    [
        ("", {}, "en"),
        ("?lang=es", {}, "es"),
        ("?lang=en", {"cookie": "vws_lang=es"}, "en"),
        ("", {"cookie": "vws_lang=es"}, "es"),
        ("", {"accept-language": "es-VE,es;q=0.9,en;q=0.8"}, "es"),
        ("", {"accept-language": "fr-FR,fr;q=0.9,en;q=0.8,es;q=0.7"}, "en"),
        ("", {"accept-language": "fr-FR,fr;q=0.9,es;q=0.8", "cookie": "vws_lang=en"}, "en"),
    ],
)
def test_the_language_is_chosen_as_the_app_chooses_it(site: ProxiedSite, query: str, headers: dict, language: str):
    proxied = _get(site.nginx_url + "/" + query, **headers)
    assert proxied.from_file
    assert f'<html lang="{language}"'.encode() in proxied.body
    assert proxied.body == _get(site.app.url("/" + query), **headers).body


@pytest.mark.parametrize("encoding, decompress", [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_compressed_copies_are_sent_to_browsers_that_accept_them(site: ProxiedSite, encoding: str, decompress):
    proxied = _get(site.nginx_url + "/?lang=es", **{"accept-encoding": f"{encoding}, deflate"})
    assert proxied.from_file and proxied.headers["content-encoding"] == encoding
    assert decompress(proxied.body) == _get(site.app.url("/?lang=es")).body


@pytest.mark.parametrize("path", ["/", SEEDED_POST])
def test_pages_from_files_carry_the_security_headers_the_app_sends(site: ProxiedSite, path: str):
    proxied, direct = _get(site.nginx_url + path), _get(site.app.url(path))
    assert proxied.from_file
    assert "sha256-" in direct.headers["content-security-policy"]
    others = PAGE_HEADER_NAMES - {"content-security-policy"}
    assert {name: proxied.headers.get(name) for name in others} == {name: direct.headers.get(name) for name in others}
    # The app sends a page only its own scripts' hashes; the files share the whole build's policy
    # (one include for every file): the same directives, allowing at least what the app allows.
    file_policy, page_policy = proxied.headers["content-security-policy"], direct.headers["content-security-policy"]
    assert without_hashes(file_policy) == without_hashes(page_policy)
    assert script_hashes_in(page_policy) <= script_hashes_in(file_policy)


def test_an_edit_reaches_nginx_and_an_unpublished_post_goes_back_to_the_app(site: ProxiedSite, editor: Editor):
    engine = engine_for(site.app.database_url)
    with Session(engine) as session:
        post = editorial.create_post(session, _published("Through the proxy", "First version."), editor)
    url = f"{site.nginx_url}/posts/{post.slug}"
    _wait_for(lambda: (answer := _get(url)).from_file and b"First version." in answer.body, "the new post")

    with Session(engine) as session:
        editorial.update_post(session, post.id, _published("Through the proxy", "Second version."), editor)
    _wait_for(lambda: b"Second version." in _get(url).body, "the edit")
    assert _get(url).from_file

    with Session(engine) as session:
        editorial.set_post_status(session, post.id, "draft", editor)
    gone = _wait_for(lambda: (answer := _get(url)).status == 404 and answer, "the unpublished post's 404")
    assert not gone.from_file
    assert not list(site.page_files.rglob(f"{post.slug}.html*"))


def test_a_renamed_posts_old_address_still_redirects(site: ProxiedSite, editor: Editor):
    with Session(engine_for(site.app.database_url)) as session:
        post = editorial.create_post(session, _published("Before the rename", "Text."), editor)
        old = post.slug
        _wait_for(lambda: _get(f"{site.nginx_url}/posts/{old}").from_file, "the post")
        renaming = dataclasses.replace(_published("Before the rename", "Text."), slug="after-the-rename")
        renamed = editorial.update_post(session, post.id, renaming, editor)
    old_url = f"{site.nginx_url}/posts/{old}"
    moved = _wait_for(lambda: (answer := _get(old_url)).status == 301 and answer, "the redirect")
    assert moved.headers["location"].endswith(f"/posts/{renamed.slug}")


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/no-such-page"),
        ("GET", "/posts?page=2"),
        ("GET", "/?lang=es&utm_source=feed"),
        ("GET", "/healthz"),
        ("POST", "/contact"),
    ],
)
def test_everything_else_reaches_the_app(site: ProxiedSite, method: str, path: str):
    data = b"name=&email=&message=" if method == "POST" else None
    headers = {"content-type": "application/x-www-form-urlencoded", "origin": site.app.base_url} if data else {}
    proxied = _get(site.nginx_url + path, method, data, **headers)
    direct = _get(site.app.url(path), method, data, **headers)
    # The app's own ETag or none (Reflex's 404 page is a static file with one); a page file's would differ.
    assert proxied.headers.get("etag") == direct.headers.get("etag")
    assert proxied.status == direct.status != 405
    if method == "GET":
        assert proxied.body == direct.body  # nginx's own error pages would differ
