"""A production server for the multi-worker tests: scripts/serve.py in a project copy, several workers, Redis, own PostgreSQL."""

import dataclasses
import os
import pickle
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from playwright.sync_api import BrowserContext, Page

from scripts.app_process import (
    AppProcess,
    app_process,
    children,
    copy_project,
    free_port,
    is_alive,
    log_tail,
    remove_node_modules,
)
from tests.conftest import (
    _create_postgres_database,
    _drop_postgres_database,
    _postgres_unavailable_reason,
)
from tests.e2e.conftest import fail_on_errors_since_last_test, start_watched
from tests.e2e.waits import LANGUAGE_COOKIE

REDIS_SERVER = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379")
STOP_GRACE_S = 6  # scripts/serve.py kills what is left after this
STOPPED_WITHIN_S = STOP_GRACE_S + 4  # what "gone within a few seconds" means here
REDIS_DATABASES = range(15, 7, -1)  # the rest of the suite does not use Redis; the app's default is 0
CLAIM_KEY, CLAIM_TTL_S = "vws-e2e-claim", 2 * 3600
SOCKET_RECORD_PREFIX = "token_manager_socket_record_"  # reflex/utils/token_manager.py, RedisTokenManager
# Names test modules import from here.
_children, _alive = children, is_alive


@dataclasses.dataclass
class ProdCluster:
    """`scripts/serve.py` (migrate, then `reflex run --env prod`) with several workers sharing Redis and PostgreSQL."""

    root: Path
    port: int
    database_url: str
    redis_url: str
    workers: int
    log_path: Path
    database_options: str = ""  # libpq options for the server's connections, e.g. a statement timeout
    server: AppProcess | None = dataclasses.field(default=None, init=False, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def process(self) -> subprocess.Popen | None:
        """serve.py's process, once started."""
        return self.server.process if self.server else None

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> None:
        """Start the server and wait until pages and backend answer and every worker is up."""
        database_url = self.database_url + (f"?options={quote(self.database_options)}" if self.database_options else "")
        # The real contact limit (one of these tests checks it), not the browser tests' higher one.
        settings = {"REDIS_URL": self.redis_url, "CONTACT_RATE_LIMIT": None}
        self.server = app_process(
            self.root,
            database_url,
            workers=self.workers,
            stop_grace_s=STOP_GRACE_S,
            settings=settings,
            port=self.port,
            log_name=self.log_path.name,
        )
        start_watched(self.server)
        deadline = time.monotonic() + 60
        while len(self.worker_pids()) < self.workers:
            if time.monotonic() > deadline:
                pytest.fail(f"{len(self.worker_pids())} of {self.workers} workers up:\n{log_tail(self.log_path)}")
            time.sleep(0.5)

    def ensure_running(self) -> None:
        """Start the server again if a test stopped it."""
        if self.server is None or not self.server.is_running():
            self.start()

    def stop(self) -> float:
        """SIGTERM the server's process group as a supervisor would; the seconds until every process is gone."""
        assert self.process is not None, "not started"
        tree = self.all_pids()
        started = time.monotonic()
        os.killpg(self.process.pid, signal.SIGTERM)
        while any(is_alive(pid) for pid in tree) and time.monotonic() - started < 60:
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        self.process.wait(timeout=5)
        return elapsed

    def kill(self) -> None:
        """Teardown: make sure nothing of this server is left running."""
        if self.server is not None:
            self.server.kill()
            self.server = None

    def all_pids(self) -> list[int]:
        """The wrapper, Reflex's supervisor, its workers (and npm while building)."""
        return self.server.process_tree() if self.server else []

    def worker_pids(self) -> set[int]:
        """The backend worker processes: children of Reflex's supervisor that run the same command."""
        if self.process is None:
            return set()
        supervisors = _children(self.process.pid)
        return {child for parent in supervisors for child in _children(parent) if _cmdline(child) == _cmdline(parent)}

    def connection_owners(self) -> set[int]:
        """The worker pids that hold an established TCP connection on the server's port right now."""
        established = _established_sockets(self.port)
        return {pid for pid in self.worker_pids() if _socket_inodes(pid) & established}

    def socket_owner(self, page: Page) -> tuple[str, str | None]:
        """The tab's Reflex token and the id of the worker whose websocket it is connected to (from Redis)."""
        token = page.evaluate("() => window.sessionStorage.getItem('token')")
        raw = redis.Redis.from_url(self.redis_url).get(SOCKET_RECORD_PREFIX + token)
        return token, (pickle.loads(raw).instance_id if raw else None)


def claim_redis_database() -> str:
    """The URL of an empty Redis database (15 down to 8), claimed with a marker key so parallel runs never share one."""
    token = uuid.uuid4().hex
    for number in REDIS_DATABASES:
        client = redis.Redis.from_url(f"{REDIS_SERVER}/{number}", socket_connect_timeout=3)
        if client.set(CLAIM_KEY, token, nx=True, ex=CLAIM_TTL_S):
            if client.dbsize() == 1:
                return f"{REDIS_SERVER}/{number}"
            client.delete(CLAIM_KEY)  # someone else's data is there: leave it alone
    pytest.skip(f"no empty Redis database among {list(REDIS_DATABASES)} at {REDIS_SERVER}")


def project_copy(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A copy of the project for one server: the app's sources and `scripts/` (serve.py and what it runs)."""
    root = tmp_path_factory.mktemp(name)
    copy_project(root, with_scripts=True)
    return root


@contextmanager
def running_cluster(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    workers: int = 3,
    database_options: str = "",
    allowed_errors: tuple[re.Pattern, ...] = (),
) -> Iterator[ProdCluster]:
    """A started cluster with its own project copy, PostgreSQL database and empty Redis database (flushed after).

    `allowed_errors`: what its tests provoke on purpose and the server may still log as they end or while it stops.
    """
    reason = _postgres_unavailable_reason()
    if reason:
        pytest.skip(reason)
    try:
        redis_url = claim_redis_database()
    except redis.RedisError as error:
        pytest.skip(f"Redis at {REDIS_SERVER} is not reachable ({error.__class__.__name__})")
    root = project_copy(tmp_path_factory, name)
    database_url = _create_postgres_database()
    cluster = ProdCluster(root, free_port(), database_url, redis_url, workers, root / "server.log", database_options)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.kill()
        redis.Redis.from_url(redis_url).flushdb()  # also releases the claim
        _drop_postgres_database(database_url)
        remove_node_modules(root)
    fail_on_errors_since_last_test(cluster.log_path, allowed_errors)


def wait_for_language_cookie(context: BrowserContext, language: str | None = None, timeout_s: float = 15) -> None:
    """Wait until the backend's answer has written the language cookie (its value `language`, if given)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        values = [cookie["value"] for cookie in context.cookies() if cookie["name"] == LANGUAGE_COOKIE]
        if values and (language is None or values[0] == language):
            return
        time.sleep(0.1)
    pytest.fail(f"the {LANGUAGE_COOKIE} cookie was not set to {language or 'anything'} within {timeout_s} s")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return inodes
    for descriptor in descriptors:
        try:
            target = os.readlink(descriptor)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _established_sockets(port: int) -> set[str]:
    """Inodes of established TCP connections whose local port is `port` (IPv4 and IPv6)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text(encoding="ascii").splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(fields[9])
    return inodes
