"""`/healthz`: whether the database and (when configured) Redis answer."""

import redis
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse

from vws_app.services.database import engine_for
from vws_app.settings import database_url, redis_url

REDIS_TIMEOUT_SECONDS = 2


def _database_status() -> str:
    try:
        with engine_for(database_url()).connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return "error"
    return "ok"


def _redis_status() -> str:
    url = redis_url()
    if not url:
        return "not configured"
    try:
        redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS).ping()
    except (redis.RedisError, OSError):
        return "error"
    return "ok"


def health(_request: Request) -> JSONResponse:
    """200 when every configured dependency answers, else 503 naming the one that does not."""
    status = {"database": _database_status(), "redis": _redis_status()}
    healthy = all(value != "error" for value in status.values())
    return JSONResponse(status, status_code=200 if healthy else 503)
