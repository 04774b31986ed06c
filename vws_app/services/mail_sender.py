"""The sender: claims due outbox rows and delivers them over SMTP, in its own process beside the app.

It never runs inside a visitor's request: the app only writes outbox rows. Several senders
may run at once (the claim is exclusive); each respects the shared per-minute limit.
"""

import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from vws_app import settings
from vws_app.models import utc_now
from vws_app.services.mailer import SmtpConnection, build_email
from vws_app.services.outbox_queue import (
    FAILED,
    backoff,
    claim_due,
    mark_attempt_failed,
    mark_sent,
    release,
    sends_in_last_minute,
)
from vws_app.services.periodic_jobs import PeriodicJob, run_due
from vws_app.services.row_ids import id_of
from vws_app.services.rsvp_mail import enqueue_due_reminders

logger = logging.getLogger(__name__)
BATCH_SIZE = 20
REMINDER_CHECK_SECONDS = 60  # how often a sender queues the meetings' day-before reminders


@dataclass(frozen=True)
class SenderSettings:
    """What the sender reads from the environment (see `vws_app/settings.py` and the README)."""

    smtp_url: str | None
    sender: str
    rate_per_minute: int
    max_attempts: int
    backoff_seconds: float
    backoff_max_seconds: float
    lease_seconds: float
    poll_seconds: float
    smtp_timeout: float

    @classmethod
    def from_environment(cls) -> "SenderSettings":
        return cls(
            smtp_url=settings.smtp_url(),
            sender=settings.mail_from(),
            rate_per_minute=settings.mail_rate_per_minute(),
            max_attempts=settings.mail_max_attempts(),
            backoff_seconds=settings.mail_backoff_seconds(),
            backoff_max_seconds=settings.mail_backoff_max_seconds(),
            lease_seconds=settings.mail_lease_seconds(),
            poll_seconds=settings.mail_poll_seconds(),
            smtp_timeout=settings.smtp_timeout_seconds(),
        )


def describe(error: BaseException) -> str:
    """A short, single-line account of a delivery failure, for `last_error` and the log."""
    return " ".join(f"{error.__class__.__name__}: {error}".split())[:500]


def send_due(
    open_session: Callable[[], AbstractContextManager[Session]],
    config: SenderSettings,
    stop: threading.Event | None = None,
) -> int:
    """One round: claim what the rate limit allows, deliver it, record each outcome; how many were tried.

    A row is only started while at least half of the claim's lease is left, so a lease never
    runs out under a live sender; untried rows (also when `stop` is set) are given back.
    """
    if config.smtp_url is None:
        return 0
    with open_session() as session:
        allowance = BATCH_SIZE
        if config.rate_per_minute:
            allowance = min(allowance, config.rate_per_minute - sends_in_last_minute(session))
        if allowance <= 0:
            return 0
        claim = claim_due(session, limit=allowance, lease_seconds=config.lease_seconds)
        tried = 0
        with SmtpConnection(config.smtp_url, config.smtp_timeout) as smtp:
            for index, row in enumerate(claim.rows):
                lease_left = (claim.lease_until - utc_now()).total_seconds()
                if (stop is not None and stop.is_set()) or lease_left < config.lease_seconds / 2:
                    release(session, [id_of(untried) for untried in claim.rows[index:]], claim.lease_until)
                    break
                _deliver(session, smtp, row, config)
                tried += 1
        return tried


def _deliver(session: Session, smtp: SmtpConnection, row, config: SenderSettings) -> None:
    """Send one claimed row and record the outcome (sent, retry later, or failed for good)."""
    try:
        smtp.send(build_email(row, config.sender))
    except Exception as error:  # noqa: BLE001 - whatever stops this row is its failed try, never the sender's end
        wait = backoff(row.attempts, base_seconds=config.backoff_seconds, max_seconds=config.backoff_max_seconds)
        status = mark_attempt_failed(session, row, describe(error), max_attempts=config.max_attempts, retry_after=wait)
        log = logger.error if status == FAILED else logger.warning
        log("Mail %s to %s, try %d: %s (%s)", row.id, row.recipient, row.attempts, describe(error), status)
        return
    mark_sent(session, row.id)


def queue_reminders(open_session: Callable[[], AbstractContextManager[Session]]) -> int:
    """The periodic step: queue due meeting reminders (deduplicated, so every sender may run it); how many."""
    try:
        with open_session() as session:
            return enqueue_due_reminders(session)
    except SQLAlchemyError:
        logger.exception("Could not queue meeting reminders; trying again next round")
        return 0


def run(
    open_session: Callable[[], AbstractContextManager[Session]], stop: threading.Event, jobs: Sequence[PeriodicJob] = ()
) -> None:
    """Send due mail until `stop` is set, running the due `jobs` before each round.

    Settings are read again each round (a new SMTP_URL applies at once).
    """
    logger.info("Mail sender started")
    while not stop.is_set():
        run_due(jobs)
        config = SenderSettings.from_environment()
        try:
            tried = send_due(open_session, config, stop)
        except SQLAlchemyError:
            logger.exception("Mail sender could not reach the database; trying again")
            tried = 0
        if tried == 0:
            stop.wait(config.poll_seconds)
    logger.info("Mail sender stopped")
