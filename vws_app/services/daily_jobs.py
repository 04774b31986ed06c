"""Jobs that run once per UTC day across every worker: the day is claimed by inserting a row.

The unique key on (job, day) decides: the worker whose insert commits runs the job, every
other one's insert fails and it skips. No clock agreement or lock server is needed, only the
database all workers share. The mail-worker checks every `CHECK_EVERY_S` seconds.
"""

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, select

from vws_app.models import DailyJobRun, as_utc, utc_now
from vws_app.services import retention
from vws_app.services.retention_policy import load_retention_policy

logger = logging.getLogger(__name__)
CHECK_EVERY_S = 600.0
RETENTION_JOB = "retention purge"


def claim_day(session: Session, job_name: str, day: date, *, now: datetime | None = None) -> DailyJobRun | None:
    """The claim on `day` for `job_name` if this caller got it (committed), else None (another has it)."""
    if session.exec(select(DailyJobRun.id).where(DailyJobRun.job_name == job_name, DailyJobRun.day == day)).first():
        session.rollback()
        return None
    claim = DailyJobRun(job_name=job_name, day=day, claimed_at=as_utc(now) if now else utc_now())
    session.add(claim)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # another worker inserted the same day a moment ago: it runs the job
        return None
    return claim


def run_once_today(
    open_session: Callable[[], AbstractContextManager[Session]],
    job_name: str,
    job: Callable[[Session, datetime], object],
    *,
    now: datetime | None = None,
) -> bool:
    """Run `job(session, now)` if no worker has run `job_name` on today's UTC date yet; whether this call ran it.

    A job that fails keeps its claim (the next day runs it again): a broken purge must not be
    retried by every worker every few minutes.
    """
    now = as_utc(now) if now else utc_now()
    with open_session() as session:
        claim = claim_day(session, job_name, now.date(), now=now)
        if claim is None:
            return False
        job(session, now)
        session.rollback()  # whatever the job left open
        claim = session.get(DailyJobRun, claim.id)
        if claim is not None:
            claim.finished_at = utc_now()
            session.add(claim)
            session.commit()
    return True


def purge_with_policy(session: Session, now: datetime) -> dict[str, int]:
    """The retention purge with the policy in force now."""
    return retention.purge_due(session, load_retention_policy(session), now)


def run_retention(open_session: Callable[[], AbstractContextManager[Session]], *, now: datetime | None = None) -> bool:
    """The mail-worker's periodic check: the retention purge, once per UTC day across workers.

    A database error is logged and waits for the next check (a claim it left stands).
    """
    try:
        ran = run_once_today(open_session, RETENTION_JOB, purge_with_policy, now=now)
    except SQLAlchemyError:
        logger.exception("The retention purge failed; it runs again tomorrow")
        return False
    if ran:
        logger.info("Retention purge done")
    return ran
