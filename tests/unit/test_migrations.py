"""The Alembic migrations build, on an empty SQLite file and an empty PostgreSQL database, exactly the models' schema."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, inspect
from sqlmodel import Session, SQLModel, select

from alembic import command
from tests.conftest import _create_postgres_database, _drop_postgres_database, _postgres_unavailable_reason
from vws_app import cli
from vws_app.models import Post, PostTableStamp
from vws_app.services.database import alembic_config, engine_for, upgrade_to_head
from vws_app.settings import PROJECT_ROOT

CHECKOUT_FILES = ["vws_app", "alembic", "alembic.ini", "rxconfig.py", "assets", "requirements.txt"]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path) -> Iterator[str]:
    """The URL of a database with no tables at all, on each engine we support."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
        yield url
        engine_for(url).dispose()
        return
    reason = _postgres_unavailable_reason()
    if reason:
        pytest.skip(reason)
    url = _create_postgres_database()
    try:
        yield url
    finally:
        _drop_postgres_database(url)


def schema_differences(url: str) -> list:
    """What Alembic's autogenerate would write for `url`, with the options alembic/env.py configures.

    env.py itself runs, so its `context.configure(...)` (target metadata, `include_object`
    filter for the search index, type comparison, …) is exactly what autogenerate would use.
    """
    config = alembic_config(url)
    script = ScriptDirectory.from_config(config)
    found: list = []

    def compare(_revision, context: MigrationContext) -> list:
        metadata = context.opts.get("target_metadata") or SQLModel.metadata
        found.extend(compare_metadata(context, metadata))
        return []

    with engine_for(url).connect() as connection:
        config.attributes["connection"] = connection
        with EnvironmentContext(config, script, fn=compare):
            script.run_env()
    return found


def clean_checkout(tmp_path: Path) -> Path:
    """A copy of the project as a fresh clone has it (no .web, no database), under `tmp_path`."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in CHECKOUT_FILES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, checkout / name)
    return checkout


def run_reflex(checkout: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    """`reflex ARGS` in `checkout` on the database `url`, with this venv's tools; its output captured."""
    venv_bin = Path(sys.executable).parent
    return subprocess.run(
        [str(venv_bin / "reflex"), *args],
        cwd=checkout,
        env={**os.environ, "DATABASE_URL": url, "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def current_revisions(url: str) -> set[str]:
    with engine_for(url).connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def test_upgrade_builds_every_model_table_and_reaches_head(empty_url):
    """From nothing, `upgrade_to_head` creates every SQLModel table and records the newest revision."""
    assert inspect(engine_for(empty_url)).get_table_names() == []
    upgrade_to_head(empty_url)
    tables = set(inspect(engine_for(empty_url)).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert current_revisions(empty_url) == set(ScriptDirectory.from_config(alembic_config(empty_url)).get_heads())


def test_migrated_schema_matches_the_models_exactly(empty_url):
    """Autogenerate, configured like alembic/env.py, finds nothing to add, drop or change after the migrations."""
    upgrade_to_head(empty_url)
    differences = schema_differences(empty_url)
    assert differences == [], "the migrations and the models disagree; run `reflex db makemigrations`:\n" + "\n".join(
        map(str, differences)
    )


def test_comparison_notices_a_table_the_migrations_lack(empty_url):
    """The check has teeth: a model table dropped from the database is reported as missing."""
    upgrade_to_head(empty_url)
    with engine_for(empty_url).begin() as connection:
        SQLModel.metadata.tables["signinfailure"].drop(connection)
    differences = schema_differences(empty_url)
    assert [(change[0], change[1].name) for change in differences if change[0] == "add_table"] == [
        ("add_table", "signinfailure")
    ]


def test_upgrading_again_changes_nothing(empty_url):
    """A second start on a migrated database (every worker runs the upgrade) is a no-op."""
    upgrade_to_head(empty_url)
    before = current_revisions(empty_url)
    upgrade_to_head(empty_url)
    assert current_revisions(empty_url) == before
    assert schema_differences(empty_url) == []


def test_reflex_db_migrate_builds_the_schema_from_a_fresh_checkout(empty_url, tmp_path):
    """`reflex db migrate`, run in a clean copy of the project (no .web, no database), reaches head with the models' schema."""
    result = run_reflex(clean_checkout(tmp_path), empty_url, "db", "migrate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert current_revisions(empty_url) == set(ScriptDirectory.from_config(alembic_config(empty_url)).get_heads())
    assert schema_differences(empty_url) == []


def test_cli_migrate_prepares_an_empty_database_once(empty_url, monkeypatch, capsys):
    """`python -m vws_app.cli migrate` (run before starting several workers) migrates and seeds; again, it adds nothing."""
    monkeypatch.setenv("DATABASE_URL", empty_url)
    assert cli.main(["migrate"]) == 0
    assert "is migrated and seeded" in capsys.readouterr().out
    with Session(engine_for(empty_url)) as session:
        posts = len(session.exec(select(Post.id)).all())
    assert posts > 0
    assert cli.main(["migrate"]) == 0
    with Session(engine_for(empty_url)) as session:
        assert len(session.exec(select(Post.id)).all()) == posts
    assert schema_differences(empty_url) == []


def _post_stamp(url: str) -> int | None:
    with Session(engine_for(url)) as session:
        return session.exec(select(PostTableStamp.stamp)).first()


def downgrade_to(url: str, revision: str) -> None:
    """Run the migrations down to `revision` on `url`, as one transaction."""
    config = alembic_config(url)
    with engine_for(url).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_post_list_migration_undoes_itself_and_applies_again(empty_url):
    """0003 down removes the list index, the stamp table and its triggers; up again restores them, working."""
    upgrade_to_head(empty_url)
    downgrade_to(empty_url, "0002")
    inspector = inspect(engine_for(empty_url))
    assert "posttablestamp" not in inspector.get_table_names()
    assert "ix_post_published" not in {index["name"] for index in inspector.get_indexes("post")}
    _insert_post_with_the_columns_it_has_now(empty_url, "between")  # no trigger left behind to fail a write
    upgrade_to_head(empty_url)
    assert schema_differences(empty_url) == []
    before = _post_stamp(empty_url)
    with Session(engine_for(empty_url)) as session:
        session.add(Post(slug="after", title="After migrations"))
        session.commit()
    assert None not in (before, _post_stamp(empty_url)) and _post_stamp(empty_url) != before


def _insert_post_with_the_columns_it_has_now(url: str, slug: str) -> None:
    """A post written with only the columns `post` has at the current revision (the model may have later ones)."""
    engine = engine_for(url)
    table = Table("post", MetaData(), autoload_with=engine)
    values = {
        name: value
        for name, value in Post(slug=slug, title=slug.title()).model_dump().items()
        if name in table.c and name != "id"
    }
    with engine.begin() as connection:
        connection.execute(table.insert().values(values))


def test_media_library_migration_undoes_itself_keeping_posts_their_triggers_and_history(empty_url):
    """0016 down drops the photo table and column in place: posts, their revisions and the post-count
    trigger survive (a table copy on SQLite would lose the triggers and cascade into revisions)."""
    from vws_app.models import MediaImage, PostRevision

    upgrade_to_head(empty_url)
    with Session(engine_for(empty_url)) as session:
        photo = MediaImage(file_stem="abc", width=960, height=640)
        session.add(photo)
        session.commit()
        post = Post(slug="with-photo", title="With photo", media_image_id=photo.id)
        session.add(post)
        session.commit()
        post_id = post.id
        session.add(PostRevision(post_id=post_id, title="With photo", editor_email="system"))
        session.commit()
    downgrade_to(empty_url, "0015")
    inspector = inspect(engine_for(empty_url))
    assert "mediaimage" not in inspector.get_table_names()
    assert "media_image_id" not in {column["name"] for column in inspector.get_columns("post")}
    with Session(engine_for(empty_url)) as session:
        assert session.exec(select(PostRevision.post_id)).all() == [post_id]
    before = _post_stamp(empty_url)
    _insert_post_with_the_columns_it_has_now(empty_url, "after-downgrade")
    assert _post_stamp(empty_url) != before  # the stamp trigger still fires
    upgrade_to_head(empty_url)
    assert schema_differences(empty_url) == []
