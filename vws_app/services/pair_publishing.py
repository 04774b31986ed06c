"""A post and its translation handled as a pair: translate, publish or schedule both, unpublish, share fields.

Sign-on (an open letter's `LetterSignOn`) and the mailing (`PostMailing`) are keyed by the
pair's `translation_key`, so both versions share them without copying; posts carry no event link.
"""

from datetime import datetime

from sqlmodel import Session

from vws_app.i18n import OTHER_LANGUAGE
from vws_app.models import Editor, Post, PostStatus, PostTranslationMark, as_utc, utc_now
from vws_app.services import audit, media_library
from vws_app.services.editorial_common import ValidationFailed, aware_or_none, get_or_raise
from vws_app.services.row_ids import id_of
from vws_app.services.slugs import unique_slug
from vws_app.services.translation_status import UNTRANSLATED, partner_of

SHARED_FIELDS = (
    "category",
    "image_path",
    "image_credit",
    "media_image_id",
)  # kept in step on request (publish date: see translate)


def _summary(post: Post) -> str:
    return f"{post.title} ({post.language}, /{post.slug})"


def _pair(session: Session, post_id: int) -> tuple[Post, Post]:
    """The post and its other-language version.

    Raises:
        NotFound: no such post.
        ValidationFailed: {"pair": "admin_error_no_translation"}.
    """
    post = get_or_raise(session, Post, post_id)
    partner = partner_of(session, post)
    if partner is None:
        raise ValidationFailed({"pair": "admin_error_no_translation"})
    return post, partner


def translate(session: Session, source_id: int, editor: Editor) -> Post:
    """The other-language draft of a post, linked to it; made now if it does not exist yet (audited).

    The draft shares the source's category, image and credit and publish date; its title starts
    as the source's (a title is required; the translator replaces it) and its text is empty. It is
    behind the source until saved from the Translate view or marked up to date.

    Raises:
        NotFound: no such post.
    """
    source = get_or_raise(session, Post, source_id)
    existing = partner_of(session, source)
    if existing is not None:
        return existing
    language = OTHER_LANGUAGE[source.language]
    draft = Post(
        title=source.title,
        slug=unique_slug(session, f"{source.slug}-{language}"),
        language=language,
        translation_key=source.translation_key,
        category=source.category,
        image_path=source.image_path,
        image_credit=source.image_credit,
        media_image_id=source.media_image_id,
        published_at=source.published_at,
        status=PostStatus.DRAFT.value,
    )
    session.add(draft)
    session.flush()
    session.add(PostTranslationMark(post_id=id_of(draft), aligned_with=UNTRANSLATED))
    audit.record(session, editor, "translate", "post", draft.id, f"{_summary(draft)} from /{source.slug}")
    session.commit()
    session.refresh(draft)
    return draft


def _require_described_photos(session: Session, *versions: Post) -> None:
    """Raises ValidationFailed({"media_image_id": …}) when a version's library photo lacks a description."""
    for version in versions:
        blocked = media_library.alt_text_errors(session, version.media_image_id)
        if blocked:
            raise ValidationFailed(blocked)


def _publish(session: Session, post: Post, at: datetime, action: str, editor: Editor) -> None:
    post.status = PostStatus.PUBLISHED.value
    post.published_at = at
    post.updated_at = utc_now()
    session.add(post)
    audit.record(session, editor, action, "post", post.id, f"{_summary(post)} at {at.isoformat()}")


def publish_pair(session: Session, post_id: int, editor: Editor) -> tuple[Post, Post]:
    """Publish both versions now, in one commit (audited for each).

    A version whose publish date has passed keeps it (a statement dated when it was issued);
    one without a date, or with a date still ahead, is published now.

    Raises:
        NotFound: no such post.
        ValidationFailed: {"pair": "admin_error_no_translation"}.
    """
    post, partner = _pair(session, post_id)
    _require_described_photos(session, post, partner)
    now = utc_now()
    for version in (post, partner):
        published_at = version.published_at
        dated = published_at is not None and as_utc(published_at) <= now
        _publish(
            session, version, as_utc(published_at) if published_at is not None and dated else now, "publish", editor
        )
    session.commit()
    session.refresh(post)
    session.refresh(partner)
    return post, partner


def schedule_pair(session: Session, post_id: int, at: datetime, editor: Editor) -> tuple[Post, Post]:
    """Publish both versions at the moment `at` (timezone-aware; stored in UTC), in one commit.

    Until then visitors, feeds, the sitemap and the search see neither (they show only posts
    whose publish date has come), on every worker alike.

    Raises:
        NotFound: no such post.
        ValidationFailed: {"pair": "admin_error_no_translation"}, or
            {"schedule_at": "admin_error_schedule_past"} when `at` is not in the future.
        ValueError: `at` is naive.
    """
    moment = aware_or_none(at)
    post, partner = _pair(session, post_id)
    if moment is None or moment <= utc_now():
        raise ValidationFailed({"schedule_at": "admin_error_schedule_past"})
    _require_described_photos(session, post, partner)
    for version in (post, partner):
        _publish(session, version, moment, "schedule", editor)
    session.commit()
    session.refresh(post)
    session.refresh(partner)
    return post, partner


def unpublish(session: Session, post_id: int, editor: Editor, *, with_other: bool) -> list[Post]:
    """Take a post off the site, and its other version too when `with_other` (one commit, audited).

    Raises:
        NotFound: no such post.
    """
    post = get_or_raise(session, Post, post_id)
    partner = partner_of(session, post) if with_other else None
    changed = []
    for version in (post, partner):
        if version is not None and version.status != PostStatus.DRAFT.value:
            version.status = PostStatus.DRAFT.value
            version.updated_at = utc_now()
            session.add(version)
            audit.record(session, editor, "unpublish", "post", version.id, _summary(version))
            changed.append(version)
    session.commit()
    for version in changed:
        session.refresh(version)
    return changed


def differing_shared_fields(post: Post, partner: Post) -> list[str]:
    """The shared fields (category, image, credit) whose values differ between the two versions."""
    return [name for name in SHARED_FIELDS if getattr(post, name) != getattr(partner, name)]


def apply_shared_fields(session: Session, post_id: int, editor: Editor) -> list[str]:
    """Give the other version this post's category, image and credit; the fields changed (audited as "sync").

    Raises:
        NotFound: no such post.
        ValidationFailed: {"pair": "admin_error_no_translation"}.
    """
    post, partner = _pair(session, post_id)
    changed = differing_shared_fields(post, partner)
    if not changed:
        return []
    for name in changed:
        setattr(partner, name, getattr(post, name))
    partner.updated_at = utc_now()
    session.add(partner)
    audit.record(
        session, editor, "sync", "post", partner.id, f"{_summary(partner)}: {', '.join(changed)} from /{post.slug}"
    )
    session.commit()
    return changed
