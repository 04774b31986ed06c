"""First-run content: the original site's texts and posts, added once and never overwritten."""

import json
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from vws_app.models import Post, PostStatus, SeedMarker, SiteText, as_utc
from vws_app.services.slugs import unique_slug

SEED_FILE = Path(__file__).resolve().parent.parent / "seed_data" / "content.json"


def load_seed_content(path: Path = SEED_FILE) -> dict:
    """The seed texts as stored beside the app."""
    return json.loads(path.read_text(encoding="utf-8"))


SEED_MARKER = "original-site-content"


def seed_database(session: Session, content: dict | None = None) -> int:
    """Add the original site's texts and posts once; returns how many rows were added.

    A marker row records that seeding ran, so later starts add nothing: a seed post an
    editor retitled is not added again, and one they deleted stays deleted. Within the one
    run, a text or post already on file (same key, or same title and language) is skipped.
    """
    if session.get(SeedMarker, SEED_MARKER) is not None:
        return 0
    content = content or load_seed_content()
    try:
        added = _seed_site_texts(session, content["site_texts"]) + _seed_posts(session, content["posts"])
        session.add(SeedMarker(name=SEED_MARKER))
        session.commit()
    except IntegrityError:
        # Another worker seeded at the same moment; its rows stand.
        session.rollback()
        return 0
    return added


def _seed_site_texts(session: Session, texts: list[dict]) -> int:
    """Insert each (key, language) text that has no row yet."""
    existing = {(row.key, row.language) for row in session.exec(select(SiteText)).all()}
    missing = [text for text in texts if (text["key"], text["language"]) not in existing]
    for text in missing:
        session.add(SiteText(key=text["key"], language=text["language"], body=text["body"]))
    return len(missing)


def _seed_posts(session: Session, posts: list[dict]) -> int:
    """Insert each seed post not yet on file, giving translations one shared key."""
    keys_by_group: dict[str, str] = {}
    added = 0
    for item in posts:
        existing = session.exec(
            select(Post).where(Post.title == item["title"], Post.language == item["language"])
        ).first()
        if existing is not None:
            keys_by_group.setdefault(item["translation_group"], existing.translation_key)
            continue
        key = keys_by_group.setdefault(item["translation_group"], uuid.uuid4().hex)
        session.add(_seed_post(session, item, key))
        session.flush()
        added += 1
    return added


def _seed_post(session: Session, item: dict, translation_key: str) -> Post:
    """A published post holding only the excerpt the original site showed."""
    published_at = as_utc(datetime.fromisoformat(item["published_at"]))
    return Post(
        slug=unique_slug(session, item["title"]),
        language=item["language"],
        translation_key=translation_key,
        title=item["title"],
        excerpt=item["excerpt"],
        body=item["excerpt"],
        body_is_excerpt=True,
        image_credit=item["image_credit"],
        category=item["category"],
        status=PostStatus.PUBLISHED.value,
        published_at=published_at,
        created_at=published_at,
        updated_at=published_at,
    )
