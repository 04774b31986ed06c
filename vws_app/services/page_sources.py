"""What the public pages written as files are built from, so a change rebuilds only the pages it touched.

A post's page shows the post, the address of its published translation (hreflang) and, for an
open letter, the letter's counts and whether it still takes signatures. Its fingerprint holds
all of these: equal fingerprints mean the page has not changed. The section pages (home, lists)
are few and are rebuilt on every change instead.
"""

from collections import defaultdict
from datetime import datetime

from sqlmodel import Session, col, select

from vws_app.models import LetterSignOn, Post, utc_now
from vws_app.services.content import visible_post_filter
from vws_app.services.letters import is_accepting


def letters_state(session: Session, now: datetime | None = None) -> dict[str, tuple]:
    """Each letter's counts, settings and whether it takes signatures now, by its posts' `translation_key`.

    Signing a letter writes no audit entry, and a closing date passes without any write, so the
    content version alone does not see these; the letters are few, so reading them all is cheap.
    """
    now = now or utc_now()
    return {
        letter.translation_key: (
            letter.id,
            letter.updated_at,
            letter.people_count,
            letter.organisation_count,
            is_accepting(letter, now),
        )
        for letter in session.exec(select(LetterSignOn)).all()
    }


def post_fingerprints(session: Session, now: datetime | None = None) -> dict[str, tuple]:
    """The fingerprint of every post page a visitor can open now, by slug (one query over the posts)."""
    now = now or utc_now()
    rows = session.exec(  # SQLModel's select() is typed for up to four columns: this one asks five
        select(  # type: ignore[call-overload]
            col(Post.slug), col(Post.translation_key), col(Post.language), col(Post.updated_at), col(Post.published_at)
        ).where(visible_post_filter(now))
    ).all()
    versions: dict[str, list[tuple]] = defaultdict(list)
    for slug, key, language, updated_at, published_at in rows:
        versions[key].append((slug, language, updated_at, published_at))
    letters = letters_state(session, now)
    return {slug: (tuple(sorted(versions[key])), letters.get(key)) for slug, key, *_rest in rows}
