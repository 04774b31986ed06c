"""`/healthz`: whether this worker reaches its database and, when configured, Redis (200 or 503, JSON)."""

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import redis
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from vws_app.services.database import engine_for
from vws_app.settings import database_url, redis_url

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 2.0  # how long a probe waits for an answer; a locked database or Redis makes it fail, not hang
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="vws-health")
_running: dict[str, Future] = {}
_running_lock = threading.Lock()
OK = "ok"
FAILED = "failed"
NOT_CONFIGURED = "not configured"


def database_status() -> str:
    """`ok` when the configured database answers `SELECT 1`, else `failed` (the reason is logged)."""
    try:
        with engine_for(database_url()).connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any failure, even a malformed URL, is "not healthy", never a 500
        logger.warning("Health check: the database does not answer", exc_info=True)
        return FAILED
    return OK


def redis_status() -> str:
    """`ok` when Redis answers PING, `not configured` without REDIS_URL, else `failed`."""
    url = redis_url()
    if url is None:
        return NOT_CONFIGURED
    try:
        client = redis.Redis.from_url(url, socket_timeout=CHECK_TIMEOUT_S, socket_connect_timeout=CHECK_TIMEOUT_S)
        try:
            client.ping()
        finally:
            client.close()
    except Exception:  # connection refused, timeout, bad URL, auth: all mean "not healthy"
        logger.warning("Health check: Redis does not answer", exc_info=True)
        return FAILED
    return OK


async def _checked(check: Callable[[], str]) -> str:
    """Run a blocking check in this module's own threads; one still running after the bound counts as failed.

    A check that hangs (a database that does not answer) keeps its thread until it ends, so
    while it runs, later probes wait on that same run instead of starting another: a prober
    calling every second cannot fill a thread pool, and never the one Starlette serves pages from.
    """
    with _running_lock:
        running = _running.get(check.__name__)
        if running is None or running.done():
            running = _running[check.__name__] = _checks.submit(check)
    answer = asyncio.wrap_future(running)
    done, _ = await asyncio.wait({answer}, timeout=CHECK_TIMEOUT_S)
    if not done:
        answer.cancel()  # stops waiting here; the running check itself cannot be cancelled and ends on its own
        logger.warning("Health check: %s did not answer within %s s", check.__name__, CHECK_TIMEOUT_S)
        return FAILED
    return answer.result()


async def health(request: Request) -> JSONResponse:
    """200 `{"database": "ok", "redis": "ok" | "not configured"}`, or 503 naming what failed.

    The body never carries URLs or error texts: the reasons go to the log.
    """
    database, redis_state = await asyncio.gather(_checked(database_status), _checked(redis_status))
    body = {"database": database, "redis": redis_state}
    healthy = database == OK and redis_state in {OK, NOT_CONFIGURED}
    return JSONResponse(body, status_code=200 if healthy else 503, headers={"Cache-Control": "no-store"})
