"""Small builders of real Post, Event, AllyLink and SiteText rows for the service tests."""

import itertools
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from vws_app.models import AllyLink, Event, Post, PostStatus, SiteText, utc_now

_numbers = itertools.count(1)


def days_ago(days: float) -> datetime:
    """A moment `days` before now, in UTC (negative for the future)."""
    return utc_now() - timedelta(days=days)


def add_post(
    session: Session,
    title: str = "",
    *,
    language: str = "en",
    status: str = PostStatus.PUBLISHED.value,
    published_at: datetime | None = datetime(2021, 4, 12, 12, tzinfo=UTC),
    category: str = "statement",
    translation_key: str | None = None,
    slug: str | None = None,
) -> Post:
    """A post saved and refreshed; published in 2021 unless told otherwise."""
    number = next(_numbers)
    title = title or f"Post number {number}"
    post = Post(
        slug=slug or f"post-{number}",
        language=language,
        title=title,
        excerpt=f"Excerpt of {title}",
        body=f"Body of {title}",
        category=category,
        status=status,
        published_at=published_at,
    )
    if translation_key:
        post.translation_key = translation_key
    session.add(post)
    session.commit()
    session.refresh(post)
    return post


def add_translation(session: Session, original: Post, title: str, **fields) -> Post:
    """The other-language version of `original`, sharing its translation key."""
    fields.setdefault("language", "es" if original.language == "en" else "en")
    fields.setdefault("published_at", original.published_at)
    fields.setdefault("category", original.category)
    return add_post(session, title, translation_key=original.translation_key, **fields)


def add_event(
    session: Session,
    title_en: str,
    starts_at: datetime,
    *,
    ends_at: datetime | None = None,
    title_es: str = "",
    description_en: str = "",
    description_es: str = "",
    timezone: str = "America/New_York",
) -> Event:
    """An event saved and refreshed."""
    event = Event(
        title_en=title_en,
        title_es=title_es,
        description_en=description_en,
        description_es=description_es,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone,
        place="Queens, NY",
    )
    session.add(event)
    session.commit()
    session.refresh(event)
    return event


def add_ally(
    session: Session, name: str, position: int, *, description_en: str = "", description_es: str = ""
) -> AllyLink:
    """An allied organisation saved at `position`."""
    ally = AllyLink(
        name=name,
        url=f"https://example.org/{name.lower().replace(' ', '-')}",
        description_en=description_en,
        description_es=description_es,
        position=position,
    )
    session.add(ally)
    session.commit()
    return ally


def add_site_text(session: Session, key: str, language: str, body: str) -> SiteText:
    """An editable block of site prose."""
    text = SiteText(key=key, language=language, body=body)
    session.add(text)
    session.commit()
    return text
