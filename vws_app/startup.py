"""What the backend does once at start: bring the schema up to date and add first-run content."""

import logging

from vws_app.services.database import open_session, upgrade_to_head
from vws_app.services.seeding import seed_database

logger = logging.getLogger(__name__)
# Where Reflex logs the result of the schema check it makes while compiling, before the app starts.
REFLEX_SCHEMA_CHECK_LOGGER = "reflex.utils.prerequisites"
NOT_UP_TO_DATE = "Target database is not up to date"


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
