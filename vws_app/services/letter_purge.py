"""The periodic purge of signatures never confirmed, one of the jobs `mail-worker` runs between sending rounds.

Their links have expired (7 days), so nothing can confirm them any more; keeping the address
of someone who never confirmed would keep personal data for no purpose.
"""

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from vws_app.services.letters import purge_unconfirmed

logger = logging.getLogger(__name__)
PURGE_EVERY_S = 3600.0


def purge_expired(open_session: Callable[[], AbstractContextManager[Session]]) -> int:
    """One round of the purge (a periodic job of `mail-worker`); how many went. A database error waits for the next round."""
    try:
        with open_session() as session:
            purged = purge_unconfirmed(session)
    except SQLAlchemyError:
        logger.exception("Could not purge unconfirmed signatures; trying again later")
        return 0
    if purged:
        logger.info("Purged %d unconfirmed signatures", purged)
    return purged
