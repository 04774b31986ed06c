"""Whether each post's pair is complete, missing its other-language version, or stale.

A post's text revision (`PostTranslationMark.content_version`) goes up when its title, excerpt
or body changes; a translation keeps the revision of the other version it was last brought in
line with (`aligned_with`). A version is behind when the other one has changed since. The pair's
state, which both versions show: "missing" without a version in the other language, "stale"
when either version is behind, else "complete".
"""

import dataclasses
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from vws_app.models import Editor, Post, PostTranslationMark, as_utc, utc_now
from vws_app.services import audit
from vws_app.services.editorial_common import ValidationFailed, get_or_raise
from vws_app.services.row_ids import id_of

COMPLETE, MISSING, STALE = "complete", "missing", "stale"
NEEDS_TRANSLATION_LIMIT = 20
UNTRANSLATED = 0  # `aligned_with` of a draft made by "Translate" whose text is not written yet


@dataclasses.dataclass(frozen=True)
class PairStatus:
    """One post's view of its pair: the pair's state and which version, if any, is behind."""

    state: str
    partner_id: int | None = None
    partner_language: str = ""
    partner_status: str = ""  # draft / published
    behind: bool = False  # this version is older than the other
    partner_behind: bool = False


@dataclasses.dataclass(frozen=True)
class NeedsTranslation:
    """A line of the dashboard's "Needs translation": a post that has no other version, or is behind it."""

    post_id: int
    title: str
    language: str
    state: str  # missing / stale
    date: datetime


def post_text(post: Post) -> tuple[str, str, str]:
    """What a translation translates: the title, excerpt and body (a change here makes the other version stale)."""
    return (post.title, post.excerpt, post.body)


def _version(mark: PostTranslationMark | None) -> int:
    return mark.content_version if mark else 1


def _is_behind(mark: PostTranslationMark | None, other: PostTranslationMark | None) -> bool:
    """True when `mark`'s post was aligned with an older revision of the other version (an original never is)."""
    return mark is not None and mark.aligned_with is not None and mark.aligned_with < _version(other)


def _status(post: Post, partner: Post | None, marks: dict[int, PostTranslationMark]) -> PairStatus:
    if partner is None:
        return PairStatus(MISSING)
    behind = _is_behind(marks.get(id_of(post)), marks.get(id_of(partner)))
    partner_behind = _is_behind(marks.get(id_of(partner)), marks.get(id_of(post)))
    return PairStatus(
        STALE if behind or partner_behind else COMPLETE,
        partner.id,
        partner.language,
        partner.status,
        behind,
        partner_behind,
    )


def _marks(session: Session, post_ids: set[int]) -> dict[int, PostTranslationMark]:
    if not post_ids:
        return {}
    rows = session.exec(select(PostTranslationMark).where(col(PostTranslationMark.post_id).in_(post_ids))).all()
    return {row.post_id: row for row in rows}


def statuses(session: Session, posts: list[Post]) -> dict[int, PairStatus]:
    """Each post's pair status, in two queries for the whole list (partners, then marks)."""
    keys = {post.translation_key for post in posts}
    if not keys:
        return {}
    versions = session.exec(select(Post).where(col(Post.translation_key).in_(keys))).all()
    by_key: dict[str, list[Post]] = {}
    for version in versions:
        by_key.setdefault(version.translation_key, []).append(version)
    partners = {
        post.id: next((other for other in by_key.get(post.translation_key, []) if other.id != post.id), None)
        for post in posts
    }
    marks = _marks(session, {id_of(post) for post in posts} | {id_of(p) for p in partners.values() if p is not None})
    return {id_of(post): _status(post, partners[id_of(post)], marks) for post in posts}


def status_of(session: Session, post: Post) -> PairStatus:
    """One post's pair status."""
    return statuses(session, [post])[id_of(post)]


def partner_of(session: Session, post: Post) -> Post | None:
    """The other-language version of `post`, draft or published."""
    return session.exec(select(Post).where(Post.translation_key == post.translation_key, Post.id != post.id)).first()


def _mark_row(session: Session, post_id: int) -> PostTranslationMark:
    """The post's mark, added to the session (a post saved before marks existed gets one at revision 1)."""
    mark = session.get(PostTranslationMark, post_id)
    if mark is None:
        mark = PostTranslationMark(post_id=post_id)
        session.add(mark)
    return mark


def align(session: Session, post: Post, partner: Post, mark: PostTranslationMark | None = None) -> None:
    """Record that `post` now matches `partner`'s current text (not committed)."""
    mark = mark or _mark_row(session, id_of(post))
    mark.aligned_with = _version(session.get(PostTranslationMark, partner.id))
    mark.aligned_at = utc_now()
    session.add(mark)


def note_saved(
    session: Session,
    post: Post,
    text_before: tuple[str, str, str] | None,
    key_before: str | None,
    aligned: bool = False,
) -> None:
    """Keep `post`'s mark in step with a save (flushed post, not committed).

    A changed title, excerpt or body raises its revision (a new post starts at 1). The post is
    brought in line with its other version when the editor saved it as a translation (`aligned`,
    the Translate view) or when this save linked it to that version (`key_before` differs). When
    a translation is saved as in line and its original was in line with the text it replaces,
    the original stays in line with the new text too: translating never makes the source stale.
    """
    mark = _mark_row(session, id_of(post))
    partner = partner_of(session, post)
    old_version = _version(mark)
    if text_before is not None and text_before != post_text(post):
        mark.content_version = old_version + 1
    if partner is None:
        return
    if aligned or key_before != post.translation_key:
        align(session, post, partner, mark)
        partner_mark = session.get(PostTranslationMark, partner.id)
        if partner_mark is not None and partner_mark.aligned_with == old_version:
            partner_mark.aligned_with = mark.content_version
            session.add(partner_mark)


def mark_up_to_date(session: Session, post_id: int, editor: Editor) -> Post:
    """ "Mark as up to date with the other version": the editor says this version matches it (audited).

    Raises:
        NotFound: no such post.
        ValidationFailed: {"pair": "admin_error_no_translation"} when it has no other version.
    """
    post = get_or_raise(session, Post, post_id)
    partner = partner_of(session, post)
    if partner is None:
        raise ValidationFailed({"pair": "admin_error_no_translation"})
    align(session, post, partner)
    audit.record(
        session,
        editor,
        "align",
        "post",
        post.id,
        f"{post.title} ({post.language}) up to date with {partner.language} /{partner.slug}",
    )
    session.commit()
    session.refresh(post)
    return post


def needs_translation(session: Session, limit: int = NEEDS_TRANSLATION_LIMIT) -> list[NeedsTranslation]:
    """Posts (drafts included) with no other-language version, and versions behind theirs, newest first.

    Newest means by publish date, or creation date for a post never published (the admin list's order).
    """
    newest = func.coalesce(Post.published_at, Post.created_at)
    other = aliased(Post)
    other_mark = aliased(PostTranslationMark)
    has_partner = select(other.id).where(other.translation_key == Post.translation_key, other.id != Post.id).exists()
    missing = session.exec(
        select(Post).where(~has_partner).order_by(newest.desc(), col(Post.id).desc()).limit(limit)
    ).all()
    stale = session.exec(
        select(Post)
        .join(PostTranslationMark, col(PostTranslationMark.post_id) == col(Post.id))
        .join(other, (col(other.translation_key) == col(Post.translation_key)) & (col(other.id) != col(Post.id)))
        .outerjoin(other_mark, col(other_mark.post_id) == col(other.id))
        .where(PostTranslationMark.aligned_with < func.coalesce(other_mark.content_version, 1))
        .order_by(newest.desc(), col(Post.id).desc())
        .limit(limit)
    ).all()
    lines = [_line(post, MISSING) for post in missing] + [_line(post, STALE) for post in stale]
    lines.sort(key=lambda line: (line.date, line.post_id), reverse=True)
    return lines[:limit]


def _line(post: Post, state: str) -> NeedsTranslation:
    return NeedsTranslation(id_of(post), post.title, post.language, state, as_utc(post.published_at or post.created_at))
