"""Editors' work on posts: validate, create, change, publish, delete, and find them for the admin."""

import dataclasses
import uuid
from datetime import datetime

from slugify import slugify
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from vws_app.i18n import OTHER_LANGUAGE, SUPPORTED_LANGUAGES
from vws_app.models import Editor, Language, MediaImage, Post, PostCategory, PostStatus, utc_now
from vws_app.services import audit, media, media_library, revisions, translation_status
from vws_app.services.editorial_common import (
    ValidationFailed,
    aware_or_none,
    commit_or_conflict,
    delete_audited,
    flush_or_conflict,
    get_or_raise,
)
from vws_app.services.redirects import keep_old_address
from vws_app.services.slugs import slug_from_title, unique_slug

TITLE_MAX_LENGTH = 300
IMAGE_PATH_MAX_LENGTH = 500
IMAGE_CREDIT_MAX_LENGTH = 300
ADMIN_PER_PAGE = 20
MAX_PER_PAGE = 200


@dataclasses.dataclass(frozen=True)
class PostInput:
    """What the post form sends. `slug=''` means "make one from the title".

    `translation_of_id` is the other-language post this one translates; the link is
    symmetric (both share a translation key), so the form of either post shows the other
    (see `translation_partner`), and None on an update unlinks the pair.
    """

    title: str
    slug: str = ""
    language: str = Language.EN.value
    translation_of_id: int | None = None
    excerpt: str = ""
    body: str = ""
    image_path: str = ""
    image_credit: str = ""
    media_image_id: int | None = None  # a library photo; it then sets `image_path` (its fallback JPEG)
    category: str = PostCategory.STATEMENT.value
    status: str = PostStatus.DRAFT.value
    published_at: datetime | None = None
    body_is_excerpt: bool | None = None  # None: keep as is (a new post: False)
    aligned_with_translation: bool = False  # saved from the Translate view: now matches the other version


def _slug_for(session: Session, data: PostInput, post_id: int | None, errors: dict[str, str]) -> str:
    """A free slug: the typed one (made slug-shaped) or one made from the title."""
    typed = data.slug.strip()
    if not typed:
        return unique_slug(session, data.title.strip() or "post", exclude_post_id=post_id)
    slug = slug_from_title(typed)
    taken = select(Post.id).where(Post.slug == slug)
    if post_id is not None:
        taken = taken.where(Post.id != post_id)
    if session.exec(taken).first() is not None:
        errors["slug"] = "admin_error_slug_taken"
    return slug


def _translation_key_for(session: Session, data: PostInput, post: Post | None, errors: dict[str, str]) -> str:
    """The key this post should carry: its original's when it translates one, else its own."""
    if data.translation_of_id is None:
        if post is None:
            return uuid.uuid4().hex
        shared = select(Post.id).where(Post.translation_key == post.translation_key, Post.id != post.id)
        return uuid.uuid4().hex if session.exec(shared).first() is not None else post.translation_key
    original = session.get(Post, data.translation_of_id)
    if original is None or original is post:  # a post cannot translate itself
        errors["translation_of_id"] = "admin_error_translation_not_found"
        return ""
    if original.language != OTHER_LANGUAGE.get(data.language):
        errors["translation_of_id"] = "admin_error_translation_same_language"
        return ""
    clash = select(Post.id).where(Post.translation_key == original.translation_key, Post.language == data.language)
    if post is not None:
        clash = clash.where(Post.id != post.id)
    if session.exec(clash).first() is not None:
        errors["translation_of_id"] = "admin_error_translation_taken"
    return original.translation_key


def _field_errors(data: PostInput) -> dict[str, str]:
    """What is wrong with the fields that need no database to check."""
    errors: dict[str, str] = {}
    title = data.title.strip()
    if not title:
        errors["title"] = "admin_error_title_required"
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = "admin_error_title_too_long"
    if data.language not in SUPPORTED_LANGUAGES:
        errors["language"] = "admin_error_language_invalid"
    if data.category not in {category.value for category in PostCategory}:
        errors["category"] = "admin_error_category_invalid"
    if data.status not in {status.value for status in PostStatus}:
        errors["status"] = "admin_error_status_invalid"
    if len(data.image_path.strip()) > IMAGE_PATH_MAX_LENGTH:
        errors["image_path"] = "admin_error_too_long"
    if len(data.image_credit.strip()) > IMAGE_CREDIT_MAX_LENGTH:
        errors["image_credit"] = "admin_error_too_long"
    return errors


def _library_image(session: Session, data: PostInput, errors: dict[str, str]) -> MediaImage | None:
    """The library photo the post will show, if any; publishing it needs its descriptions in both languages."""
    if data.media_image_id is None:
        return None
    image = media_library.get_image(session, data.media_image_id)
    if image is None:
        errors["media_image_id"] = "admin_error_media_not_found"
    elif data.status == PostStatus.PUBLISHED.value:
        errors.update(media_library.alt_text_errors(session, image.id))
    return image


def _publish_date(status: str, published_at: datetime | None) -> datetime | None:
    """The publish date to store: publishing without one means "now"."""
    if status == PostStatus.PUBLISHED.value and published_at is None:
        return utc_now()
    return published_at


def _apply(session: Session, data: PostInput, post: Post | None) -> Post:
    """`post` (or a new one) carrying the validated input, added to the session, not committed.

    Raises:
        ValidationFailed: listing every wrong field.
        ValueError: `published_at` is naive.
    """
    published_at = aware_or_none(data.published_at)
    errors = _field_errors(data)
    post_id = post.id if post is not None else None
    slug = _slug_for(session, data, post_id, errors)
    key = _translation_key_for(session, data, post, errors) if "language" not in errors else ""
    image = _library_image(session, data, errors)
    if errors:
        raise ValidationFailed(errors)
    now = utc_now()
    post = post or Post(title="", slug="", created_at=now)
    post.title = data.title.strip()
    post.slug = slug
    post.language = data.language
    post.translation_key = key
    post.excerpt = data.excerpt.strip()
    post.body = data.body.strip()
    if data.body_is_excerpt is not None:
        post.body_is_excerpt = data.body_is_excerpt
    post.media_image_id = image.id if image else None
    post.image_path = media.fallback_url(image) if image else data.image_path.strip()
    post.image_credit = data.image_credit.strip()
    post.category = data.category
    post.status = data.status
    post.published_at = _publish_date(data.status, published_at)
    post.updated_at = now
    session.add(post)
    return post


def _after_save(session: Session, post: Post, editor: Editor, old_slug: str | None) -> None:
    """In every save's transaction: its revision, and its old address kept alive (`services/redirects.py`)."""
    revisions.record_post_revision(session, post, editor)
    keep_old_address(session, post, old_slug)


def _summary(post: Post) -> str:
    return f"{post.title} ({post.language}, /{post.slug})"


def create_post(session: Session, data: PostInput, editor: Editor) -> Post:
    """Save a new post and its "create" audit entry in one commit (plus "publish" if published).

    Raises:
        ValidationFailed: a field is wrong (nothing is saved), or a simultaneous edit took
            the slug or translation first ({"form": "admin_error_conflict"}).
        ValueError: `published_at` is naive.
    """
    post = _apply(session, data, None)
    flush_or_conflict(session)
    _after_save(session, post, editor, None)
    translation_status.note_saved(session, post, None, None, data.aligned_with_translation)
    audit.record(session, editor, "create", "post", post.id, _summary(post))
    if post.status == PostStatus.PUBLISHED.value:
        audit.record(session, editor, "publish", "post", post.id, _summary(post))
    commit_or_conflict(session)
    session.refresh(post)
    return post


def update_post(session: Session, post_id: int, data: PostInput, editor: Editor) -> Post:
    """Change a post; audited as "update", plus "publish"/"unpublish" when its status changed.

    Raises:
        NotFound: no such post.
        ValidationFailed: a field is wrong (nothing is saved), or a simultaneous edit
            ({"form": "admin_error_conflict"}).
        ValueError: `published_at` is naive.
    """
    post = get_or_raise(session, Post, post_id)
    was, old_slug = post.status, post.slug
    text_before, key_before = translation_status.post_text(post), post.translation_key
    revisions.ensure_baseline(session, post)
    _apply(session, data, post)
    flush_or_conflict(session)
    _after_save(session, post, editor, old_slug)
    translation_status.note_saved(session, post, text_before, key_before, data.aligned_with_translation)
    audit.record(session, editor, "update", "post", post.id, _summary(post))
    if post.status != was:
        action = "publish" if post.status == PostStatus.PUBLISHED.value else "unpublish"
        audit.record(session, editor, action, "post", post.id, _summary(post))
    commit_or_conflict(session)
    session.refresh(post)
    return post


def set_post_status(session: Session, post_id: int, status: str, editor: Editor) -> Post:
    """Publish or unpublish a post (audited); publishing with no date publishes it now.

    Setting the status it already has changes and records nothing.

    Raises:
        NotFound: no such post.
        ValidationFailed: {"status": "admin_error_status_invalid"}, or {"media_image_id": …}
            when publishing a post whose library photo lacks a description (`media_library.alt_text_errors`).
    """
    if status not in {value.value for value in PostStatus}:
        raise ValidationFailed({"status": "admin_error_status_invalid"})
    post = get_or_raise(session, Post, post_id)
    if post.status == status:
        return post
    if status == PostStatus.PUBLISHED.value:
        blocked = media_library.alt_text_errors(session, post.media_image_id)
        if blocked:
            raise ValidationFailed(blocked)
    revisions.ensure_baseline(session, post)
    post.status = status
    post.published_at = _publish_date(status, post.published_at)
    post.updated_at = utc_now()
    session.add(post)
    _after_save(session, post, editor, post.slug)
    action = "publish" if status == PostStatus.PUBLISHED.value else "unpublish"
    audit.record(session, editor, action, "post", post.id, _summary(post))
    session.commit()
    session.refresh(post)
    return post


def delete_post(session: Session, post_id: int, editor: Editor) -> None:
    """Delete a post (audited). Its translation, if any, stays and simply loses its pair.

    Raises:
        NotFound: no such post.
    """
    post = get_or_raise(session, Post, post_id)
    delete_audited(session, post, editor, "post", _summary(post))


def search_posts(
    session: Session,
    query: str = "",
    language: str = "",
    status: str = "",
    category: str = "",
    page: int = 1,
    per_page: int = ADMIN_PER_PAGE,
) -> tuple[list[Post], int]:
    """One page of the admin list (drafts included), newest first, and the total that matched.

    Newest means by publish date, or creation date for a post never published. `query`
    matches title or slug, ignoring case; it is also slugified, so "AFRICA" finds the slug
    of "África" on every database. Unknown filter values match nothing. `page` and
    `per_page` are clamped (1.., 1..MAX_PER_PAGE).
    """
    conditions = []
    text = query.strip().lower()
    if text:
        matches = [
            func.lower(col(Post.title)).contains(text, autoescape=True),
            col(Post.slug).contains(text, autoescape=True),
        ]
        if slugged := slugify(text):
            matches.append(col(Post.slug).contains(slugged, autoescape=True))
        conditions.append(or_(*matches))
    for column, wanted in ((col(Post.language), language), (col(Post.status), status), (col(Post.category), category)):
        if wanted:
            conditions.append(column == wanted)
    total = session.exec(select(func.count()).select_from(Post).where(*conditions)).one()
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    newest = func.coalesce(Post.published_at, Post.created_at)
    posts = session.exec(
        select(Post)
        .where(*conditions)
        .order_by(newest.desc(), col(Post.id).desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(posts), total


def translation_candidates(
    session: Session, language: str, *, hide_paired: bool = False, editing_post_id: int | None = None
) -> list[Post]:
    """Posts in the other language, for the "translation of" picker, newest first.

    With `hide_paired`, posts that already have a version in `language` are left out,
    except the partner of `editing_post_id` (the post being edited), so every choice
    offered can be saved. An unsupported `language` gives no candidates.
    """
    other = OTHER_LANGUAGE.get(language)
    if other is None:
        return []
    conditions = [col(Post.language) == other]
    if hide_paired:
        paired = select(Post.translation_key).where(Post.language == language)
        if editing_post_id is not None:
            paired = paired.where(Post.id != editing_post_id)
        conditions.append(col(Post.translation_key).not_in(paired))
    newest = func.coalesce(Post.published_at, Post.created_at)
    return list(session.exec(select(Post).where(*conditions).order_by(newest.desc(), col(Post.id).desc())).all())


def translation_partner(session: Session, post_id: int) -> Post | None:
    """The other-language version of a post, draft or published, to prefill its form."""
    post = session.get(Post, post_id)
    if post is None:
        return None
    return session.exec(select(Post).where(Post.translation_key == post.translation_key, Post.id != post.id)).first()
