"""Settings read from the environment, with safe defaults for a laptop."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_FILE = PROJECT_ROOT / "vws.db"


def database_url() -> str:
    """The SQLAlchemy URL of the database: `DATABASE_URL`, else a SQLite file.

    `postgresql://` URLs are given the psycopg 3 driver, the one we install.
    """
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_FILE}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def redis_url() -> str | None:
    """Redis for Reflex's shared state when several workers run; unset = one process."""
    return os.environ.get("REDIS_URL") or None


def site_url() -> str:
    """The public address of the site, for canonical links and feeds."""
    return os.environ.get("SITE_URL", "http://localhost:3000").rstrip("/")


def check_email_deliverability() -> bool:
    """Whether the contact form asks DNS if an email domain accepts mail (off by default)."""
    return os.environ.get("EMAIL_CHECK_DELIVERABILITY", "").lower() in {"1", "true", "yes"}


def served_over_https() -> bool:
    """Whether the site is public over HTTPS (`SITE_HTTPS=1`): HSTS, and the language cookie marked `Secure`.

    The cookie is written by the compiled page, so the frontend must be built with it set too.
    """
    return os.environ.get("SITE_HTTPS", "").lower() in {"1", "true", "yes"}
