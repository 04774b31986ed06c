"""Settings read from the environment, with safe defaults for a laptop."""

import os
from pathlib import Path
from urllib.parse import urlsplit

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


# --- Mail (the outbox and its sender) ---


def _whole_number(name: str, default: int) -> int:
    """An integer setting that must be 0 or more; junk or a negative value gives `default`."""
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() else default


def _seconds(name: str, default: float) -> float:
    """A number of seconds from the environment; junk or a negative value gives `default`."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value >= 0 else default


def smtp_url() -> str | None:
    """`smtp://user:password@host:port` (`smtps://` for TLS at once, `smtp+starttls://`); unset = mail waits."""
    return os.environ.get("SMTP_URL", "").strip() or None


def contact_notify_recipients() -> list[str]:
    """The editors who get the contact notice (`CONTACT_NOTIFY_TO`, comma-separated)."""
    return [part.strip() for part in os.environ.get("CONTACT_NOTIFY_TO", "").split(",") if part.strip()]


def editors_language() -> str:
    """The language of mail to editors (`EDITORS_LANGUAGE`: en or es; English by default)."""
    value = os.environ.get("EDITORS_LANGUAGE", "").strip().lower()
    return value if value in {"en", "es"} else "en"


def mail_from() -> str:
    """The sender address: `MAIL_FROM`, else `CONTACT_NOTIFY_FROM`, else the first editor, else no-reply at the site's host."""
    configured = os.environ.get("MAIL_FROM", "").strip() or os.environ.get("CONTACT_NOTIFY_FROM", "").strip()
    if configured:
        return configured
    recipients = contact_notify_recipients()
    return recipients[0] if recipients else f"no-reply@{urlsplit(site_url()).hostname or 'localhost'}"


def site_postal_address() -> str:
    """The postal address shown in mail footers (`SITE_POSTAL_ADDRESS`, optional)."""
    return os.environ.get("SITE_POSTAL_ADDRESS", "").strip()


def mail_rate_per_minute() -> int:
    """How many e-mails all senders together send per minute at most (`MAIL_RATE_PER_MINUTE`, 0 = no limit)."""
    return _whole_number("MAIL_RATE_PER_MINUTE", 60)


def mail_max_attempts() -> int:
    """After this many failed tries a row is marked failed (`MAIL_MAX_ATTEMPTS`, default 8)."""
    return max(1, _whole_number("MAIL_MAX_ATTEMPTS", 8))


def mail_backoff_seconds() -> float:
    """The first retry's delay; each further retry waits twice as long (`MAIL_BACKOFF_SECONDS`, 60)."""
    return _seconds("MAIL_BACKOFF_SECONDS", 60.0)


def mail_backoff_max_seconds() -> float:
    """The longest wait between two tries (`MAIL_BACKOFF_MAX_SECONDS`, 6 hours)."""
    return _seconds("MAIL_BACKOFF_MAX_SECONDS", 6 * 3600.0)


def mail_lease_seconds() -> float:
    """How long a claimed row is the claiming sender's (`MAIL_LEASE_SECONDS`, 300); then it is due again."""
    return _seconds("MAIL_LEASE_SECONDS", 300.0)


def mail_poll_seconds() -> float:
    """How often the sender looks for due rows when it found none (`MAIL_POLL_SECONDS`, 5)."""
    return _seconds("MAIL_POLL_SECONDS", 5.0)


def smtp_timeout_seconds() -> float:
    """How long one SMTP conversation step may take (`SMTP_TIMEOUT_SECONDS`, 30)."""
    return _seconds("SMTP_TIMEOUT_SECONDS", 30.0)


# --- Mailing list ---


def secret_key() -> str:
    """`VWS_SECRET_KEY`: salts client hashes and signs unsubscribe links (a fixed value on a laptop)."""
    return os.environ.get("VWS_SECRET_KEY", "vws-default-salt")


# --- Meetings ---


def events_timezone() -> str:
    """`EVENTS_TIMEZONE`: the zone a new event's times are read in (America/New_York by default)."""
    return os.environ.get("EVENTS_TIMEZONE", "").strip() or "America/New_York"


# --- The organisation's clock (scheduled posts) ---


def organisation_timezone() -> str:
    """`ORGANISATION_TIMEZONE`: the zone editors enter and read publish times in; stored times stay UTC.

    Unset, it follows `EVENTS_TIMEZONE` (the organisation meets where it works), then America/New_York.
    A name the system does not know is ignored rather than silently read as UTC.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    for name in (os.environ.get("ORGANISATION_TIMEZONE", "").strip(), events_timezone()):
        if not name:
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "America/New_York"


# --- Photos ---


def keep_original_images() -> bool:
    """`KEEP_ORIGINAL_IMAGES=1`: also keep each uploaded photo at full size (metadata stripped all the same).

    Off by default: the renditions are all a page needs, and a full-size photo of a protest is
    one more thing that could identify the people in it.
    """
    return os.environ.get("KEEP_ORIGINAL_IMAGES", "").strip().lower() in {"1", "true", "yes"}


# --- Page files (pages a reverse proxy serves itself) ---


def page_files_dir() -> Path | None:
    """`PAGE_FILES_DIR`: where the site writes its public pages as files for nginx (README "Reverse proxy"); unset = off."""
    value = os.environ.get("PAGE_FILES_DIR", "").strip()
    return Path(value) if value else None
