"""Page files for nginx: the app's own bytes per page and language, compressed beside them, rewritten on change."""

import asyncio
import dataclasses
import gzip
import os
import re
import threading
import time
from datetime import UTC, datetime

import brotli
import pytest
from starlette.testclient import TestClient

from tests.nginx_site import PROJECT_ROOT, RECIPE, config_refusal, main_config, site_config, unavailable_reason
from tests.unit.content_builders import add_post
from tests.unit.fake_build import write_build
from vws_app.server import page_shell
from vws_app.server.content_watcher import ContentWatcher
from vws_app.server.csp import PagePolicy
from vws_app.server.headers import SecurityHeadersMiddleware
from vws_app.server.page_file_writer import PageFileWriter, WholeBuildPolicy, _take_lock
from vws_app.server.page_files import INCLUDE_NAME, PageFileStore, nginx_include, page_file
from vws_app.server.routes import backend_routes
from vws_app.services import editorial
from vws_app.services.editorial import PostInput
from vws_app.services.site_routes import FILLED_SECTIONS

LANGUAGES = ("en", "es")
INCLUDE_HEADER = re.compile(r'^add_header (\S+) "(.*)" always;$', re.MULTILINE)
INCLUDE_ROOT = re.compile(r'^set \$vws_page_root "(.*)";$', re.MULTILINE)
HASH = re.compile(r"'sha256-[^']+'")


def _serving_app():
    """What the app answers pages with: its routes and the security headers (the policy read at once)."""
    return SecurityHeadersMiddleware(backend_routes(), PagePolicy(recheck_seconds=0))


@pytest.fixture
def build(app_database, tmp_path, monkeypatch):
    """A stand-in production build whose pages carry inline scripts (so the policy lists hashes)."""
    folder = write_build(tmp_path / "build")
    monkeypatch.setattr(page_shell, "build_dir", lambda: folder)
    return folder


@pytest.fixture
def watcher(build):
    """The worker's content watcher, looking only when a test asks (`refresh`)."""
    found = ContentWatcher()
    yield found
    found.stop()


@pytest.fixture
def writer(build, watcher, tmp_path):
    writer = PageFileWriter(
        tmp_path / "pages",
        SecurityHeadersMiddleware(backend_routes(), WholeBuildPolicy(recheck_seconds=0)),
        watcher=watcher,
    )
    yield writer
    asyncio.run(writer.close())


def _after_a_look(writer: PageFileWriter, watcher: ContentWatcher) -> bool:
    """The watcher looks once, as its thread does; then whether the writer rewrote."""
    watcher.refresh()
    return asyncio.run(writer.refresh_if_changed())


@pytest.fixture
def app_client(build):
    return TestClient(_serving_app(), follow_redirects=False)


def _include(writer_root) -> tuple[str, dict[str, str]]:
    text = (writer_root / INCLUDE_NAME).read_text(encoding="utf-8")
    return INCLUDE_ROOT.search(text)[1], dict(INCLUDE_HEADER.findall(text))


def _page(writer_root, name: str) -> bytes:
    folder, _headers = _include(writer_root)
    return (writer_root.joinpath(folder) / name).read_bytes()


def _published(title: str) -> PostInput:
    published_at = datetime(2024, 5, 1, tzinfo=UTC)
    return PostInput(title=title, body=f"The text of {title}.", status="published", published_at=published_at)


def test_every_section_is_written_in_each_language_with_the_apps_bytes(writer, app_client, tmp_path):
    asyncio.run(writer.refresh())
    root = tmp_path / "pages"
    for path in FILLED_SECTIONS:
        for language in LANGUAGES:
            answer = app_client.get(path, headers={"cookie": f"vws_lang={language}", "accept-encoding": "identity"})
            name = page_file(language, path)
            assert _page(root, name) == answer.content, name
            assert gzip.decompress(_page(root, name + ".gz")) == answer.content
            assert brotli.decompress(_page(root, name + ".br")) == answer.content
    assert _page(root, "es/.html") != _page(root, "en/.html")


def test_the_include_adds_exactly_the_security_headers_the_app_sends(writer, app_client, tmp_path):
    asyncio.run(writer.refresh())
    _folder, headers = _include(tmp_path / "pages")
    sent = app_client.get("/").headers
    assert "sha256-" in headers["content-security-policy"]
    # One include for every file: the whole build's policy, not the page's own (which it contains).
    assert headers.pop("content-security-policy") == PagePolicy(recheck_seconds=0).current()
    assert set(HASH.findall(sent["content-security-policy"])) <= set(
        HASH.findall(PagePolicy(recheck_seconds=0).current())
    )
    assert set(headers) == {
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
        "permissions-policy",
        "cross-origin-opener-policy",
        "cross-origin-resource-policy",
    }
    assert headers == {name: sent[name] for name in headers}


def test_a_published_post_has_its_file_and_a_draft_none(writer, app_client, session, tmp_path):
    add_post(session, "Out now", slug="out-now")
    add_post(session, "Not yet", slug="not-yet", status="draft")
    asyncio.run(writer.refresh())
    root = tmp_path / "pages"
    assert _page(root, "any/posts/out-now.html") == app_client.get("/posts/out-now").content
    folder, _headers = _include(root)
    assert not (root / folder / "any/posts/not-yet.html").exists()


def test_an_edit_rewrites_what_it_touched_and_nothing_else(writer, watcher, session, editor, tmp_path):
    post = editorial.create_post(session, _published("First words"), editor)
    other = editorial.create_post(session, _published("Untouched"), editor)
    _after_a_look(writer, watcher)
    root = tmp_path / "pages"
    folder, _headers = _include(root)
    untouched = [root / folder / page_file(*where) for where in (("any", f"/posts/{other.slug}"), ("en", "/contact"))]
    inodes = [os.stat(path).st_ino for path in untouched]
    assert not _after_a_look(writer, watcher), "rewrote with nothing changed"

    corrected = dataclasses.replace(_published("First words"), body="Corrected text.")
    editorial.update_post(session, post.id, corrected, editor)
    assert _after_a_look(writer, watcher)
    assert b"Corrected text." in _page(root, page_file("any", f"/posts/{post.slug}"))
    assert [os.stat(path).st_ino for path in untouched] == inodes


def test_an_unpublished_post_loses_its_file_and_a_renamed_one_moves(writer, watcher, session, editor, tmp_path):
    leaving = editorial.create_post(session, _published("Leaving soon"), editor)
    moving = editorial.create_post(session, _published("Old name"), editor)
    _after_a_look(writer, watcher)
    root = tmp_path / "pages"
    folder, _headers = _include(root)
    assert (root / folder / page_file("any", f"/posts/{leaving.slug}")).exists()

    editorial.set_post_status(session, leaving.id, "draft", editor)
    renamed = editorial.update_post(
        session, moving.id, dataclasses.replace(_published("Old name"), slug="new-name"), editor
    )
    _after_a_look(writer, watcher)
    pages = {path.relative_to(root / folder).as_posix() for path in (root / folder).rglob("*")}
    assert f"any/posts/{leaving.slug}.html" not in pages and f"any/posts/{leaving.slug}.html.gz" not in pages
    assert "any/posts/old-name.html" not in pages  # the old address reaches the app, which redirects it
    assert f"any/posts/{renamed.slug}.html" in pages


def test_a_running_writer_rewrites_when_the_watcher_tells_it(build, session, editor, tmp_path):
    """The writer asks the database nothing about changes: the worker's watcher tells it (`subscribe`)."""
    watcher = ContentWatcher(interval_s=3600)  # its thread looks once; the test asks for the next look
    root = tmp_path / "pages"
    writer = PageFileWriter(
        root, SecurityHeadersMiddleware(backend_routes(), WholeBuildPolicy(recheck_seconds=0)), watcher=watcher
    )
    post = editorial.create_post(session, _published("First words"), editor)
    name = page_file("any", f"/posts/{post.slug}")
    stop = threading.Event()
    thread = threading.Thread(target=lambda: asyncio.run(writer.run(stop)), daemon=True)
    thread.start()
    try:
        _wait_until(lambda: (root / INCLUDE_NAME).exists() and b"First words" in _page(root, name))
        editorial.update_post(
            session, post.id, dataclasses.replace(_published("First words"), body="Corrected."), editor
        )
        watcher.refresh()
        _wait_until(lambda: b"Corrected." in _page(root, name))
    finally:
        stop.set()
        thread.join(10)
        watcher.stop()
    assert not thread.is_alive()


def _wait_until(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the deadline"
        time.sleep(0.05)


def test_a_new_build_moves_the_pages_to_a_new_folder_and_removes_the_old(writer, build, tmp_path):
    asyncio.run(writer.refresh())
    root = tmp_path / "pages"
    old_folder, old_headers = _include(root)
    page = (build / "index.html").read_text()
    (build / "index.html").write_text(page.replace("</body>", "<script>go()</script></body>"))
    asyncio.run(writer.refresh())
    new_folder, new_headers = _include(root)
    assert new_folder != old_folder and not (root / old_folder).exists()
    assert new_headers["content-security-policy"] != old_headers["content-security-policy"]
    assert (root / new_folder / "en/.html").exists()


def test_a_page_is_replaced_whole_and_leaves_no_temporary_file(tmp_path):
    store = PageFileStore(tmp_path, {"x-frame-options": "DENY"})
    assert store.write("en/.html", b"<p>one</p>")
    target = store.path_of("en/.html")
    first = os.stat(target).st_ino
    assert not store.write("en/.html", b"<p>one</p>")
    assert store.write("en/.html", b"<p>two</p>")
    assert target.read_bytes() == b"<p>two</p>" and os.stat(target).st_ino != first
    assert oct(os.stat(target).st_mode & 0o777) == "0o644"
    assert sorted(path.name for path in target.parent.iterdir()) == [".html", ".html.br", ".html.gz"]


def test_a_restarted_writer_keeps_files_that_are_already_right(tmp_path):
    PageFileStore(tmp_path, {"x-frame-options": "DENY"}).write("en/posts.html", b"<p>list</p>")
    again = PageFileStore(tmp_path, {"x-frame-options": "DENY"})
    inode = os.stat(again.path_of("en/posts.html")).st_ino
    assert not again.write("en/posts.html", b"<p>list</p>")
    assert os.stat(again.path_of("en/posts.html")).st_ino == inode


def test_names_that_would_leave_the_folder_are_refused(tmp_path):
    store = PageFileStore(tmp_path, {})
    for name in ("../escape.html", "en/../../escape.html", "en/page.txt"):
        with pytest.raises(ValueError):
            store.path_of(name)


def test_header_values_nginx_would_misread_are_refused(tmp_path):
    with pytest.raises(ValueError):
        nginx_include(tmp_path, {"content-security-policy": "script-src $evil"})
    with pytest.raises(ValueError):
        nginx_include(tmp_path, {"x-test": 'a"b'})


def test_one_process_at_a_time_writes(tmp_path):
    first = _take_lock(tmp_path)
    assert first is not None
    assert _take_lock(tmp_path) is None
    first.close()
    second = _take_lock(tmp_path)
    assert second is not None
    second.close()


def test_the_readme_shows_the_nginx_recipe_the_tests_run():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Reverse proxy (nginx)") :]
    start = section.index("```nginx\n") + len("```nginx\n")
    block = section[start : section.index("```\n", start)]
    assert block == RECIPE.read_text(encoding="utf-8")


def test_nginx_accepts_the_recipe(tmp_path):
    if reason := unavailable_reason():
        pytest.skip(reason)
    site = site_config(port=1, redirect_port=2, app_url="http://127.0.0.1:3", page_files=tmp_path / "pages")
    (tmp_path / "nginx.conf").write_text(main_config(tmp_path, site), encoding="utf-8")
    assert config_refusal(tmp_path) == ""
