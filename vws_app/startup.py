"""What the backend does once at start: bring the schema up to date and add first-run content."""

import logging
import sys

from vws_app.services.database import open_session, upgrade_to_head
from vws_app.services.seeding import seed_database

logger = logging.getLogger(__name__)
# Where Reflex logs the result of the schema check it makes while compiling, before the app starts.
REFLEX_SCHEMA_CHECK_LOGGER = "reflex.utils.prerequisites"
NOT_UP_TO_DATE = "Target database is not up to date"
# How the server's and the mail worker's own records read: time, level, logger, message.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class MigratedAtStart(logging.Filter):
    """Drops Reflex's "Target database is not up to date … Run reflex db migrate" message.

    Reflex compares the schema before the app's start-up tasks run; `prepare_database` (a
    lifespan task) migrates to the newest schema a moment later, so on a new or older database
    that message told the operator to do what the start itself does. A real difference between
    the models and the migrations is still reported ("Detected database schema changes").
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return NOT_UP_TO_DATE not in record.getMessage()


def quiet_premature_schema_warning() -> None:
    """Install `MigratedAtStart` on Reflex's logger (once)."""
    target = logging.getLogger(REFLEX_SCHEMA_CHECK_LOGGER)
    if not any(isinstance(existing, MigratedAtStart) for existing in target.filters):
        target.addFilter(MigratedAtStart())


def prepare_database() -> None:
    """Migrate the configured database to the newest schema and seed the original site's texts."""
    upgrade_to_head()
    with open_session() as session:
        added = seed_database(session)
    if added:
        logger.info("Seeded %d rows of first-run content", added)


class CurrentStderr(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a record comes, as Python's own last-resort handler does."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def log_records_with_level() -> None:
    """Give the records that reach the root logger (the app's own, socket.io's, asyncio's) a time, a level
    and a logger name, in `LOG_FORMAT`.

    Nothing configures the root logger in the server: Python's last-resort handler printed only the
    message of a warning or an error, so the log could not tell one from the other (and the browser
    tests, which fail on an ERROR in it, could not see the app's errors). Levels stay as they were
    (WARNING and above); a handler someone configured already is left alone.
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = CurrentStderr()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
