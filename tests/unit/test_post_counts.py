"""Remembered counts of visible posts: reused between requests, exact again after any write or publish time."""

import shutil
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, select

from tests.unit.content_builders import add_post
from tests.unit.test_content import statements_run
from vws_app.models import PostTableStamp, utc_now
from vws_app.services import content, editorial, post_counts
from vws_app.services.archive import archive
from vws_app.services.database import engine_for
from vws_app.services.editorial import PostInput

APRIL = datetime(2021, 4, 12, 16, tzinfo=UTC)


def _counts(session, language: str = "en") -> tuple[int, int]:
    """What a reader of `/posts` sees counted: the list's total and the archive's sum."""
    return content.list_posts(session, language).total, sum(year.count for year in archive(session, language))


def _stamp(engine) -> int | None:
    with Session(engine) as other:
        return other.exec(select(PostTableStamp.stamp)).first()


def test_counts_follow_every_editorial_write(session, editor):
    published = PostInput(title="Solidaridad", language="es", status="published", published_at=APRIL)
    post = editorial.create_post(session, published, editor)
    assert _counts(session) == (1, 1)
    editorial.create_post(session, PostInput(title="Draft"), editor)
    assert _counts(session) == (1, 1)
    translation = PostInput(title="Solidarity", translation_of_id=post.id, status="published", published_at=APRIL)
    editorial.create_post(session, translation, editor)
    assert _counts(session) == (1, 1) and content.list_posts(session, "en").cards[0].title == "Solidarity"
    editorial.set_post_status(session, post.id, "draft", editor)
    assert _counts(session, "es") == (1, 1) and content.list_posts(session, "es").cards[0].title == "Solidarity"
    editorial.delete_post(session, post.id, editor)
    editorial.create_post(session, PostInput(title="Second", status="published", published_at=APRIL), editor)
    assert _counts(session) == (2, 2)


def test_a_write_through_another_connection_is_counted_at_once(session, engine):
    add_post(session, "One", published_at=APRIL)
    assert _counts(session) == (1, 1)
    with engine.begin() as connection:  # another worker, the CLI, a hand-typed statement
        connection.execute(text("UPDATE post SET status = 'draft'"))
    assert _counts(session) == (0, 0)


def test_counts_are_remembered_between_requests(session, engine):
    add_post(session, "One", published_at=APRIL)
    _counts(session)
    again = [sql.lower() for sql, _parameters in statements_run(engine, lambda: _counts(session))]
    assert not any("count(" in sql for sql in again)
    assert not any("select post.published_at from post" in sql for sql in again)


def test_a_scheduled_post_is_counted_once_its_time_comes(session, monkeypatch):
    add_post(session, "Out already", published_at=APRIL)
    add_post(session, "Out in an hour", published_at=utc_now() + timedelta(hours=1))
    assert _counts(session) == (1, 1)
    later = utc_now() + timedelta(hours=2)
    for module in (content, post_counts):
        monkeypatch.setattr(module, "utc_now", lambda: later)
    assert _counts(session) == (2, 2)
    assert [card.title for card in content.latest_posts(session, "en")] == ["Out in an hour", "Out already"]


def test_every_kind_of_write_to_posts_renews_the_stamp(session, engine):
    stamps = [_stamp(engine)]
    post = add_post(session, "One")
    stamps.append(_stamp(engine))
    post.title = "One, retitled"
    session.add(post)
    session.commit()
    stamps.append(_stamp(engine))
    session.delete(post)
    session.commit()
    stamps.append(_stamp(engine))
    assert None not in stamps[1:] and len(set(stamps)) == 4


def test_each_database_keeps_its_own_counts(session, tmp_path, sqlite_template):
    add_post(session, "One", published_at=APRIL)
    assert _counts(session) == (1, 1)
    shutil.copyfile(sqlite_template, tmp_path / "other.db")
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    with Session(engine_for(other_url)) as other:
        assert _counts(other) == (0, 0)
    engine_for(other_url).dispose()
    assert _counts(session) == (1, 1)
