"""What the backend does once at start: bring the schema up to date and add first-run content."""

import logging

from vws_app.services.database import open_session, upgrade_to_head
from vws_app.services.seeding import seed_database

logger = logging.getLogger(__name__)


def prepare_database() -> None:
    """Migrate the configured database to the newest schema and seed the original site's texts."""
    upgrade_to_head()
    with open_session() as session:
        added = seed_database(session)
    if added:
        logger.info("Seeded %d rows of first-run content", added)
