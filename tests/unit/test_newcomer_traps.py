"""What a newcomer meets on first start: no false "schema changes", no misleading "not up to date",
and `reflex db makemigrations` writes nothing while the models and the migrations agree."""

import logging

from reflex import model as reflex_model

import vws_app.vws_app  # noqa: F401  (what Reflex imports before its check: installs the filters)
from tests.unit.test_migrations import clean_checkout, empty_url, run_reflex  # noqa: F401  (the fixture, on both engines)
from vws_app.services.database import engine_for, upgrade_to_head
from vws_app.startup import NOT_UP_TO_DATE, REFLEX_SCHEMA_CHECK_LOGGER

SCHEMA_CHANGES = "Detected database schema changes"


def test_reflex_start_up_comparison_finds_no_change_on_a_migrated_database(empty_url):
    """The very comparison `reflex run` makes before starting (its `alembic_autogenerate`, without
    env.py) reports nothing, though the search index's tables are not SQLModel tables."""
    upgrade_to_head(empty_url)
    with engine_for(empty_url).connect() as connection:
        assert reflex_model.alembic_autogenerate(connection=connection, write_migration_scripts=False) is False


def test_reflex_db_makemigrations_writes_no_migration_that_would_drop_the_search_tables(empty_url, tmp_path):
    """`reflex db makemigrations` in a clean copy of the project, on a migrated database, writes nothing."""
    upgrade_to_head(empty_url)
    checkout = clean_checkout(tmp_path)
    before = sorted(path.name for path in (checkout / "alembic" / "versions").glob("*.py"))
    result = run_reflex(checkout, empty_url, "db", "makemigrations", "--message", "probe")
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(path.name for path in (checkout / "alembic" / "versions").glob("*.py")) == before, result.stdout
    assert SCHEMA_CHANGES not in result.stdout + result.stderr


def test_not_up_to_date_message_is_dropped_because_the_start_migrates(caplog):
    """Reflex's "Target database is not up to date" comes before the start-up migration and is dropped;
    a real difference between models and migrations is still reported."""
    reflex_logger = logging.getLogger(REFLEX_SCHEMA_CHECK_LOGGER)
    with caplog.at_level(logging.ERROR, logger=REFLEX_SCHEMA_CHECK_LOGGER):
        reflex_logger.error(f"{NOT_UP_TO_DATE}. Run reflex db migrate to update database.")
        reflex_logger.error(f"{SCHEMA_CHANGES}. Run reflex db makemigrations to generate migration scripts.")
    messages = [record.getMessage() for record in caplog.records]
    assert not any(NOT_UP_TO_DATE in message for message in messages)
    assert any(SCHEMA_CHANGES in message for message in messages)
