"""Migration 0002: it indexes what exists, comes off cleanly, and autogenerate leaves it alone."""

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, Table, inspect, text
from sqlmodel import Session, SQLModel

from alembic import command
from vws_app.models import Post, as_utc
from vws_app.services.database import alembic_config, engine_for
from vws_app.services.search import search
from vws_app.services.search_schema import include_object
from vws_app.services.seeding import load_seed_content


def _migrate(url: str, revision: str, *, down: bool = False) -> None:
    """Upgrade (or downgrade) the database at `url` to `revision`, as the app does at start."""
    config = alembic_config(url)
    with engine_for(url).begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _add_event_at_0001(session: Session, title: str, starts_at: datetime, description_es: str = "") -> None:
    """An event written with only 0001's columns (the model has grown since: meetings' columns are not there yet)."""
    session.exec(
        text(
            "INSERT INTO event (title_en, title_es, description_en, description_es, starts_at, timezone, place,"
            " online_url, created_at, updated_at) VALUES (:title, '', '', :description_es, :starts, 'UTC', '', '',"
            " :starts, :starts)"
        ).bindparams(title=title, description_es=description_es, starts=starts_at)
    )
    session.commit()


def _add_seed_posts_at_0001(url: str) -> None:
    """The original site's posts, written with only the columns `post` has at 0001 (the model has grown since)."""
    engine = engine_for(url)
    table = Table("post", MetaData(), autoload_with=engine)
    rows = []
    for number, item in enumerate(load_seed_content()["posts"]):
        published_at = as_utc(datetime.fromisoformat(item["published_at"]))
        post = Post(
            slug=f"seed-{number}",
            language=item["language"],
            translation_key=item["translation_group"],
            title=item["title"],
            excerpt=item["excerpt"],
            body=item["excerpt"],
            status="published",
            published_at=published_at,
            created_at=published_at,
            updated_at=published_at,
        )
        rows.append({name: value for name, value in post.model_dump().items() if name in table.c and name != "id"})
    with engine.begin() as connection:
        connection.execute(table.insert(), rows)


def _search_tables(url: str) -> list[str]:
    return sorted(name for name in inspect(engine_for(url)).get_table_names() if name.startswith("search_index"))


def test_downgrade_removes_the_index_and_leaves_writes_working(fresh_database_url):
    assert _search_tables(fresh_database_url)
    _migrate(fresh_database_url, "0001", down=True)
    assert _search_tables(fresh_database_url) == []
    _add_seed_posts_at_0001(fresh_database_url)  # no trigger is left pointing at a missing table
    with Session(engine_for(fresh_database_url)) as session:
        _add_event_at_0001(session, "Vigil", datetime(2024, 3, 1, tzinfo=UTC))
        session.exec(text("UPDATE post SET title = title || '!'"))
        session.exec(text("DELETE FROM event"))
        session.commit()


def test_upgrade_indexes_the_posts_and_events_already_there(fresh_database_url):
    _migrate(fresh_database_url, "0001", down=True)
    _add_seed_posts_at_0001(fresh_database_url)
    with Session(engine_for(fresh_database_url)) as session:
        _add_event_at_0001(session, "Teach-in", datetime(2024, 3, 1, tzinfo=UTC), description_es="Charla sobre Myanmar")
    _migrate(fresh_database_url, "head")
    with Session(engine_for(fresh_database_url)) as session:
        result = search(session, "myanmar", "en")
    assert sorted((item.kind, item.language) for item in result.items) == [
        ("event", "es"),
        ("post", "en"),
        ("post", "es"),
    ]


def test_autogenerate_ignores_the_search_index_and_only_it(engine):
    with engine.connect() as connection:
        filtered = compare_metadata(
            MigrationContext.configure(connection, opts={"include_object": include_object}), SQLModel.metadata
        )
    assert not any("search_index" in repr(change) for change in filtered)
    # Once the app is imported every comparison is filtered (`ignore_search_index_everywhere`), so the filter
    # itself is what shows the index would otherwise be seen: it refuses the index's tables and only them.
    assert not include_object(None, "search_index", "table", True, None)
    assert include_object(None, "post", "table", True, None) and include_object(None, "post", "table", False, None)
