"""The media library: every stored photo with where it is used; describing, crediting and deleting them.

A photo in use is never deleted (a published page would lose its picture): deleting asks first
which posts show it. The publishing rule lives here too: a post with a library photo is
published only once the photo is described in both languages (`alt_text_errors`).
"""

import dataclasses

from sqlmodel import Session, col, select

from vws_app.models import Editor, MediaImage, Post
from vws_app.services import audit, image_credit, media
from vws_app.services.editorial_common import NotFound, ValidationFailed, get_or_raise
from vws_app.services.row_ids import id_of

LIST_LIMIT = 500
MISSING_ALT_KEYS = {
    ("en",): "admin_error_media_alt_missing_en",
    ("es",): "admin_error_media_alt_missing_es",
    ("en", "es"): "admin_error_media_alt_missing_both",
}


class ImageInUse(Exception):
    """The photo is shown by posts and so is not deleted; `uses` names them."""

    reason_key = "admin_error_media_in_use"

    def __init__(self, uses: list["ImageUse"]):
        super().__init__(f"used by {len(uses)} post(s)")
        self.uses = uses


@dataclasses.dataclass(frozen=True)
class ImageUse:
    """A post that shows a photo."""

    post_id: int
    title: str
    language: str
    slug: str
    status: str


@dataclasses.dataclass(frozen=True)
class LibraryImage:
    """A photo and the posts (in either language) that show it."""

    image: MediaImage
    uses: list[ImageUse]


def _uses_of(session: Session, image_ids: list[int]) -> dict[int, list[ImageUse]]:
    """The posts showing each of `image_ids`, by image id, in post id order."""
    found: dict[int, list[ImageUse]] = {image_id: [] for image_id in image_ids}
    if not image_ids:
        return found
    posts = session.exec(select(Post).where(col(Post.media_image_id).in_(image_ids)).order_by(col(Post.id))).all()
    for post in posts:
        found[int(post.media_image_id or 0)].append(
            ImageUse(id_of(post), post.title, post.language, post.slug, post.status)
        )
    return found


def uses(session: Session, image_id: int) -> list[ImageUse]:
    """The posts that show photo `image_id` (both languages, drafts included)."""
    return _uses_of(session, [image_id])[image_id]


def list_images(session: Session, limit: int = LIST_LIMIT) -> list[LibraryImage]:
    """The newest photos first, each with where it is used (two queries, whatever the count)."""
    images = session.exec(
        select(MediaImage).order_by(col(MediaImage.created_at).desc(), col(MediaImage.id).desc()).limit(limit)
    ).all()
    by_image = _uses_of(session, [id_of(image) for image in images])
    return [LibraryImage(image, by_image[id_of(image)]) for image in images]


def get_image(session: Session, image_id: int) -> MediaImage | None:
    """The photo with this id, or None."""
    return session.get(MediaImage, image_id)


def update_details(
    session: Session,
    image_id: int,
    editor: Editor,
    *,
    alt_en: str,
    alt_es: str,
    credit_name: str,
    credit_url: str,
    credit_licence: str,
) -> MediaImage:
    """Save a photo's descriptions and credit (audited as "update"); every post showing it follows.

    Raises:
        NotFound: no such photo.
        ValidationFailed: field → catalogue key (`image_credit.detail_errors`); nothing saved.
    """
    image = get_or_raise(session, MediaImage, image_id)
    errors = image_credit.detail_errors(alt_en, alt_es, credit_name, credit_url, credit_licence)
    if errors:
        raise ValidationFailed(errors)
    image.alt_en, image.alt_es = alt_en.strip(), alt_es.strip()
    image.credit_name, image.credit_url = credit_name.strip(), credit_url.strip()
    image.credit_licence = credit_licence
    session.add(image)
    audit.record(session, editor, "update", "media_image", image.id, image_credit.credit_line(image, "en"))
    session.commit()
    session.refresh(image)
    return image


def delete_unused(session: Session, image_id: int, editor: Editor) -> None:
    """Delete a photo no post shows: its row (audited) and then every file of it.

    The files go only after the row's deletion is committed, so a failed commit never leaves a
    row without its pictures.

    Raises:
        NotFound: no such photo.
        ImageInUse: posts show it (nothing is deleted).
    """
    image = get_or_raise(session, MediaImage, image_id)
    shown_by = uses(session, image_id)
    if shown_by:
        raise ImageInUse(shown_by)
    files = media.stored_files(image)
    audit.record(session, editor, "delete", "media_image", image.id, image.file_stem)
    session.delete(image)
    session.commit()
    for path in files:
        path.unlink(missing_ok=True)


def alt_text_errors(session: Session, media_image_id: int | None) -> dict[str, str]:
    """What stops a post showing photo `media_image_id` from being published: {} when nothing does.

    {"media_image_id": key} naming the language(s) whose description is missing, or that the
    photo is gone. A post without a library photo (none, or an older `image_path`) passes.
    """
    if media_image_id is None:
        return {}
    image = session.get(MediaImage, media_image_id)
    if image is None:
        return {"media_image_id": "admin_error_media_not_found"}
    missing = tuple(image_credit.missing_alt_languages(image))
    return {"media_image_id": MISSING_ALT_KEYS[missing]} if missing else {}


__all__ = [
    "ImageInUse",
    "ImageUse",
    "LibraryImage",
    "NotFound",
    "ValidationFailed",
    "alt_text_errors",
    "delete_unused",
    "get_image",
    "list_images",
    "update_details",
    "uses",
]
