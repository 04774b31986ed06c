"""The periodic purge of signatures never confirmed, run beside the mail sender by `mail-worker`.

Their links have expired (7 days), so nothing can confirm them any more; keeping the address
of someone who never confirmed would keep personal data for no purpose.
"""

import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from vws_app.services.letters import purge_unconfirmed

logger = logging.getLogger(__name__)
PURGE_EVERY_S = 3600.0


def run(open_session: Callable[[], AbstractContextManager[Session]], stop: threading.Event,
        every_s: float = PURGE_EVERY_S) -> None:
    """Purge at once, then every `every_s` seconds, until `stop` is set; a database error waits for the next round."""
    while not stop.is_set():
        try:
            with open_session() as session:
                purged = purge_unconfirmed(session)
            if purged:
                logger.info("Purged %d unconfirmed signatures", purged)
        except SQLAlchemyError:
            logger.exception("Could not purge unconfirmed signatures; trying again later")
        stop.wait(every_s)
