"""Alembic environment: runs our migrations on the connection the app hands over, or on the URL."""

from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import vws_app.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from alembic import context
from vws_app.services.search_schema import include_object
from vws_app.settings import database_url

config = context.config
target_metadata = SQLModel.metadata


def _render_item(type_, obj, autogen_context):
    """Let generated scripts import sqlmodel for its column types."""
    autogen_context.imports.add("import sqlmodel")
    return False


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        render_item=_render_item,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the connection given by `upgrade_to_head`, else connect to the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    section = config.get_section(config.config_ini_section, {})
    section.setdefault("sqlalchemy.url", database_url())
    engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)


run_migrations_online()
