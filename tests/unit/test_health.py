"""The `/healthz` endpoint: 200 when the database (and Redis, if configured) answer, 503 naming what does not."""

import os
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator

import pytest
import redis
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from vws_app.server.health import health

REAL_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def closed_port() -> int:
    """A local port nothing listens on (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_health() -> tuple[int, dict]:
    """GET /healthz on an app that mounts the endpoint the way the site will."""
    with TestClient(Starlette(routes=[Route("/healthz", health)])) as client:
        response = client.get("/healthz")
    assert response.headers["cache-control"] == "no-store"
    return response.status_code, response.json()


@pytest.fixture
def real_redis() -> str:
    """The local Redis's URL, or a skip saying it is not running."""
    try:
        redis.Redis.from_url(REAL_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis at {REAL_REDIS_URL} is not reachable ({error.__class__.__name__}); CI runs these")
    return REAL_REDIS_URL


def test_healthy_database_without_redis_is_200(app_database, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert get_health() == (200, {"database": "ok", "redis": "not configured"})


def test_unreachable_database_is_503_and_says_so(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{closed_port()}/nowhere")
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert get_health() == (503, {"database": "failed", "redis": "not configured"})


def test_malformed_database_url_is_503_not_a_crash(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "not a database url")
    monkeypatch.delenv("REDIS_URL", raising=False)
    status, body = get_health()
    assert (status, body["database"]) == (503, "failed")


def test_reachable_redis_is_200(app_database, monkeypatch, real_redis):
    monkeypatch.setenv("REDIS_URL", real_redis)
    assert get_health() == (200, {"database": "ok", "redis": "ok"})


def test_redis_on_a_closed_port_is_503_and_says_so(app_database, monkeypatch):
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{closed_port()}/0")
    assert get_health() == (503, {"database": "ok", "redis": "failed"})


def test_body_names_no_url_or_secret(monkeypatch):
    """A failing check tells the prober which part failed, never the address or password it used."""
    monkeypatch.setenv("DATABASE_URL", f"postgresql://vws:s3cret@127.0.0.1:{closed_port()}/site")
    monkeypatch.setenv("REDIS_URL", f"redis://:s3cret@127.0.0.1:{closed_port()}/0")
    with TestClient(Starlette(routes=[Route("/healthz", health)])) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "s3cret" not in response.text and "127.0.0.1" not in response.text


@pytest.fixture
def locked_sqlite(tmp_path, monkeypatch) -> Iterator[sqlite3.Connection]:
    """The site's database, a SQLite file in rollback-journal mode that another connection holds locked.

    Opening it the site's way (which switches it to write-ahead logging) then waits for the
    lock: the database check hangs for the engine's whole busy timeout.
    """
    path = tmp_path / "locked.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("CREATE TABLE marker (id INTEGER)")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO marker VALUES (1)")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("REDIS_URL", raising=False)
    yield holder
    holder.close()


def health_threads() -> list[threading.Thread]:
    """The threads the health checks run in."""
    return [thread for thread in threading.enumerate() if thread.name.startswith("vws-health")]


def test_a_locked_database_is_reported_failed_while_still_locked_and_recovers(locked_sqlite):
    """The probe answers (503) before the lock is released, twice, with one hung check between them."""
    assert get_health() == (503, {"database": "failed", "redis": "not configured"})
    assert get_health() == (503, {"database": "failed", "redis": "not configured"})
    locked_sqlite.execute("INSERT INTO marker VALUES (2)")  # the lock was held throughout: the write still goes in
    assert len(health_threads()) <= 2  # later probes waited on the running check instead of adding threads
    locked_sqlite.execute("COMMIT")
    deadline = time.monotonic() + 30
    while get_health()[0] != 200:  # the hung check ends with the engine's busy timeout; the next one succeeds
        assert time.monotonic() < deadline, "the database check did not recover after the lock was released"
        time.sleep(0.2)
