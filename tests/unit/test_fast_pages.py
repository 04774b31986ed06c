"""Public pages sent again from memory: the same bytes and headers as the app's, and never older than the watcher's last look."""

import os
import time
from datetime import timedelta

import pytest
from starlette.middleware.cors import CORSMiddleware
from starlette.testclient import TestClient

from tests.unit.conftest import SHELL
from tests.unit.content_builders import add_post
from tests.unit.test_letters import sign_and_confirm
from tests.unit.test_redirects import published, rename
from vws_app.models import utc_now
from vws_app.server import page_shell
from vws_app.server.content_watcher import ContentWatcher, watched_version
from vws_app.server.delivery import compressed
from vws_app.server.fast_pages import FastPages
from vws_app.server.headers import SecurityHeadersMiddleware
from vws_app.server.routes import backend_routes
from vws_app.services import letters_admin
from vws_app.services.editorial import update_site_text

IDENTITY = {"accept-encoding": "identity"}
SITE = "https://vws.example"
DEADLINE_S = 1.0  # what issue 20 asks: an editor's change on every worker within a second


@pytest.fixture
def watcher(app_database, tmp_path, monkeypatch):
    """A started watcher that looks again only when a test asks (`refresh`), on a build with a shell and a home file."""
    (tmp_path / "404.html").write_text(SHELL)
    (tmp_path / "index.html").write_text(SHELL)
    monkeypatch.setattr(page_shell, "build_dir", lambda: tmp_path)
    found = ContentWatcher(interval_s=3600)
    found.ensure_started()
    wait_until(lambda: found.current is not None, 10)
    yield found
    found.stop()


@pytest.fixture
def fast(watcher) -> FastPages:
    """The outer layers as `vws_app.py` stacks them, with the fast path outermost."""
    return FastPages(SecurityHeadersMiddleware(compressed(backend_routes())), watcher=watcher)


@pytest.fixture
def client(fast) -> TestClient:
    """With Starlette's CORS layer outside, as Reflex wraps the whole app: it edits response headers in place."""
    return TestClient(CORSMiddleware(fast, allow_origins=[SITE]), follow_redirects=False)


def wait_until(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the deadline"
        time.sleep(0.02)


def answered(fast: FastPages, client: TestClient, path: str, **options) -> tuple[object, bool]:
    """The response to a GET of `path` and whether it came from memory."""
    before = fast.served
    response = client.get(path, **options)
    return response, fast.served > before


@pytest.mark.parametrize("headers", [{}, IDENTITY], ids=["gzip", "identity"])
def test_a_page_sent_again_is_the_apps_answer_byte_for_byte(fast, client, session, headers):
    post = add_post(session, "Wages now")
    for path in ("/", f"/posts/{post.slug}"):
        first, from_memory = answered(fast, client, path, headers=headers)
        assert first.status_code == 200 and not from_memory
        for _time in range(3):
            again, from_memory = answered(fast, client, path, headers=headers)
            assert from_memory
            assert again.headers.raw == first.headers.raw  # every security header, the CSP, Vary, encoding
            assert again.content == first.content
        assert "content-security-policy" in again.headers and "x-frame-options" in again.headers


def test_head_is_answered_like_the_app_answers_it(fast, client):
    first = client.head("/")
    before = fast.served
    again = client.head("/")
    assert fast.served == before + 1
    assert (again.status_code, again.headers.raw) == (first.status_code, first.headers.raw)


def test_an_editors_change_shows_once_the_watcher_has_looked(fast, client, watcher, session, editor):
    client.get("/")
    update_site_text(session, "mission", "en", "Bread, work and freedom for every worker", editor)
    watcher.refresh()
    page, from_memory = answered(fast, client, "/")
    assert not from_memory and "Bread, work and freedom for every worker" in page.text


def test_each_language_choice_gets_its_own_copy(fast, client):
    ways_to_ask_for_spanish = [
        {"params": {"lang": "es"}},
        {"headers": {"cookie": "vws_lang=es"}},
        {"headers": {"accept-language": "es-VE,es;q=0.9"}},
    ]
    for options in [{}, *ways_to_ask_for_spanish]:
        client.get("/", **options)
        page, from_memory = answered(fast, client, "/", **options)
        assert from_memory
        expected = "es" if options else "en"
        assert f'<html lang="{expected}"' in page.text


@pytest.mark.parametrize(
    "options",
    [
        {"headers": {"cookie": "vws_lang=es; vws_admin_session=anything"}},
        {"params": {"page": "2"}},
        {"params": {"lang": "es", "utm_source": "mail"}},
        {"headers": {"origin": "https://elsewhere.example"}},
    ],
    ids=["editor", "list-filter", "other-query", "cross-origin"],
)
def test_editors_other_queries_and_cross_origin_requests_go_through_the_app(fast, client, options):
    client.get("/")
    client.get("/", **options)
    _page, from_memory = answered(fast, client, "/", **options)
    assert not from_memory


def test_a_renamed_post_answers_its_redirect_and_not_the_kept_page(fast, client, watcher, session, editor):
    post = published(session, editor, slug="march-for-wages")
    client.get("/posts/march-for-wages")
    assert answered(fast, client, "/posts/march-for-wages")[1]
    rename(session, editor, post, "wage-march-2024")
    watcher.refresh()
    moved = client.get("/posts/march-for-wages")
    assert (moved.status_code, moved.headers["location"]) == (301, "/posts/wage-march-2024")


def test_a_new_signature_shows_in_the_letters_count(fast, client, watcher, session, editor):
    letter = add_post(session, "Letter to the union", category="open_letter")
    letters_admin.save_settings(session, letter.translation_key, editor, is_open=True, moderated=False)
    watcher.refresh()
    path = f"/posts/{letter.slug}"
    client.get(path)
    assert "1 person" not in client.get(path).text
    sign_and_confirm(session, letter, "Ana Díaz", "ana@example.org")  # a reader's write: no audit entry
    watcher.refresh()
    page, from_memory = answered(fast, client, path)
    assert not from_memory and "1 person" in page.text


def test_a_scheduled_post_appears_when_its_time_comes(fast, client, watcher, session):
    add_post(session, "Strike called for Monday", published_at=utc_now() + timedelta(seconds=1.5))
    watcher.refresh()
    client.get("/")
    assert "Strike called for Monday" not in client.get("/").text

    def shows_the_post() -> bool:
        watcher.refresh()
        return "Strike called for Monday" in client.get("/").text

    wait_until(shows_the_post, 10)


def test_the_watching_thread_sees_a_change_within_a_second(app_database, session, editor):
    watcher = ContentWatcher()
    watcher.ensure_started()
    try:
        wait_until(lambda: watcher.current is not None, 10)
        before = watcher.current
        update_site_text(session, "goal", "es", "Salarios dignos", editor)
        wait_until(lambda: watcher.current is not before, DEADLINE_S)
        assert watcher.current == watched_version()
    finally:
        watcher.stop()


def test_nothing_is_sent_from_memory_while_the_database_does_not_answer(fast, client, watcher, monkeypatch, tmp_path):
    client.get("/")
    working = os.environ["DATABASE_URL"]
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/missing/folder/site.db")
    assert watcher.refresh() is None
    monkeypatch.setenv("DATABASE_URL", working)
    _page, from_memory = answered(fast, client, "/")
    assert not from_memory


def test_a_rebuild_of_the_page_files_is_a_new_version(watcher, tmp_path):
    before = watcher.refresh()
    (tmp_path / "index.html").write_text(SHELL.replace("<title>x</title>", "<title>A rebuilt page</title>"))
    assert watcher.refresh() != before


def test_kept_pages_never_exceed_the_memory_bound(watcher):
    tiny = FastPages(SecurityHeadersMiddleware(compressed(backend_routes())), watcher=watcher, max_bytes=1)
    client = TestClient(tiny)
    client.get("/")
    _page, from_memory = answered(tiny, client, "/")
    assert not from_memory
