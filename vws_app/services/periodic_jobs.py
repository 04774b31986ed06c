"""Jobs the mail-worker runs between its sending rounds, each once per its own period (reminders, purges).

One loop for all of them (the sender's), rather than a thread or a timer per job: a job is a
name, a period and a function, and a new one is a line in `cli.mail_worker_command`.
"""

import dataclasses
import logging
import time
from collections.abc import Callable, Iterable

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class PeriodicJob:
    """`run` is called at once, then again whenever `every_s` seconds have passed since its last call."""

    name: str
    every_s: float
    run: Callable[[], object]
    last_run: float | None = None


def run_due(jobs: Iterable[PeriodicJob], now: float | None = None) -> list[str]:
    """Run every job whose period has passed; the names of those run.

    A job that raises is logged and tried again in its next period: one broken job never stops
    the sender or the other jobs.
    """
    now = time.monotonic() if now is None else now
    ran = []
    for job in jobs:
        if job.last_run is not None and now - job.last_run < job.every_s:
            continue
        job.last_run = now
        ran.append(job.name)
        try:
            job.run()
        except Exception:  # noqa: BLE001 - whatever breaks one job waits for its next period
            logger.exception("Periodic job %s failed; it runs again in %.0f s", job.name, job.every_s)
    return ran
