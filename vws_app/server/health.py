"""`/healthz`: whether this worker reaches its database and, when configured, Redis (200 or 503, JSON)."""

import asyncio
import logging

import redis
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from vws_app.services.database import engine_for
from vws_app.settings import database_url, redis_url

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 3.0
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


async def _checked(check) -> str:
    """Run a blocking check off the event loop; one that hangs past the timeout counts as failed."""
    try:
        return await asyncio.wait_for(run_in_threadpool(check), timeout=CHECK_TIMEOUT_S + 1)
    except TimeoutError:
        logger.warning("Health check: %s timed out", check.__name__)
        return FAILED


async def health(request: Request) -> JSONResponse:
    """200 `{"database": "ok", "redis": "ok" | "not configured"}`, or 503 naming what failed.

    The body never carries URLs or error texts: the reasons go to the log.
    """
    database, redis_state = await asyncio.gather(_checked(database_status), _checked(redis_status))
    body = {"database": database, "redis": redis_state}
    healthy = database == OK and redis_state in {OK, NOT_CONFIGURED}
    return JSONResponse(body, status_code=200 if healthy else 503, headers={"Cache-Control": "no-store"})
