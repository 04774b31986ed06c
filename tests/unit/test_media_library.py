"""The media library: where each photo is used, details saved with validation, delete only when unused, all audited;
and the publishing rule: a post with a library photo needs its description in both languages."""

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.unit.content_builders import add_post
from tests.unit.photo_builders import stored_photo
from vws_app.i18n import CATALOGUES
from vws_app.models import AuditEntry, MediaImage, Post, PostStatus, utc_now
from vws_app.services import editorial, media, media_library, pair_publishing
from vws_app.services.editorial_common import ValidationFailed


@pytest.fixture(autouse=True)
def upload_folder(tmp_path, monkeypatch):
    folder = tmp_path / "uploads"
    monkeypatch.setenv("UPLOAD_DIR", str(folder))
    return folder


def _show(session, post: Post, image: MediaImage) -> Post:
    post.media_image_id = image.id
    session.add(post)
    session.commit()
    return post


def test_the_list_names_every_post_in_either_language_that_shows_a_photo(session, editor):
    used = stored_photo(session, editor, (1000, 700))
    unused = stored_photo(session, editor, (1000, 700))
    english = _show(session, add_post(session, "Nurses strike"), used)
    spanish = _show(
        session, add_post(session, "Huelga de enfermeras", language="es", translation_key=english.translation_key), used
    )
    listed = {item.image.id: item.uses for item in media_library.list_images(session)}
    assert [(use.post_id, use.title, use.language) for use in listed[used.id]] == [
        (english.id, "Nurses strike", "en"),
        (spanish.id, "Huelga de enfermeras", "es"),
    ]
    assert listed[unused.id] == []
    assert [item.image.id for item in media_library.list_images(session)][0] == unused.id  # newest first


def test_a_photo_in_use_is_not_deleted(session, editor, upload_folder):
    image = stored_photo(session, editor, (1000, 700))
    post = _show(session, add_post(session, "Statement", status=PostStatus.DRAFT.value), image)
    files = media.stored_files(image)
    with pytest.raises(media_library.ImageInUse) as refused:
        media_library.delete_unused(session, image.id, editor)
    assert [use.post_id for use in refused.value.uses] == [post.id]
    assert CATALOGUES["es"][refused.value.reason_key]
    assert session.get(MediaImage, image.id) is not None and all(path.exists() for path in files)
    assert not session.exec(select(AuditEntry).where(AuditEntry.action == "delete")).all()


def test_an_unused_photo_goes_with_all_its_files_and_the_deletion_is_audited(
    session, editor, upload_folder, monkeypatch
):
    monkeypatch.setenv("KEEP_ORIGINAL_IMAGES", "1")
    image = stored_photo(session, editor, (2000, 1500))
    other = stored_photo(session, editor, (1000, 700))
    image_id, stem = image.id, image.file_stem
    assert len(list(upload_folder.glob(f"{stem}-*"))) == 7  # three widths in two formats, and the original
    media_library.delete_unused(session, image_id, editor)
    session.expire_all()
    assert session.get(MediaImage, image_id) is None and list(upload_folder.glob(f"{stem}-*")) == []
    assert all(path.exists() for path in media.stored_files(other))
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "delete")).one()
    assert (entry.entity, entry.entity_id, entry.editor_email) == ("media_image", image_id, editor.email)


def test_deleting_a_photo_that_is_gone_says_so(session, editor):
    with pytest.raises(media_library.NotFound):
        media_library.delete_unused(session, 999_999, editor)


def test_details_are_saved_validated_and_audited(session, editor):
    image = stored_photo(session, editor, (1000, 700))
    with pytest.raises(ValidationFailed) as failed:
        media_library.update_details(
            session,
            image.id,
            editor,
            alt_en="A",
            alt_es="B",
            credit_name="Ana",
            credit_url="javascript:alert(1)",
            credit_licence="cc-by",
        )
    assert failed.value.errors == {"credit_url": "admin_error_media_credit_url"}
    session.refresh(image)
    assert image.alt_en == ""  # nothing saved
    saved = media_library.update_details(
        session,
        image.id,
        editor,
        alt_en=" Marchers ",
        alt_es="Manifestantes",
        credit_name="Ana Pérez",
        credit_url="https://ana.example.org",
        credit_licence="cc-by",
    )
    assert (saved.alt_en, saved.credit_licence) == ("Marchers", "cc-by")
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.action == "update", AuditEntry.entity == "media_image")
    ).one()
    assert entry.entity_id == image.id and "Ana Pérez" in entry.summary


# ---- the publishing rule ----


def _input(
    post_id_image: int | None, status: str, title: str = "A statement", published_at=None
) -> editorial.PostInput:
    return editorial.PostInput(
        title=title, body="Text", media_image_id=post_id_image, status=status, published_at=published_at
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("alt_en", "alt_es", "key"),
    [
        ("", "", "admin_error_media_alt_missing_both"),
        ("Marchers", "", "admin_error_media_alt_missing_es"),
        ("", "Manifestantes", "admin_error_media_alt_missing_en"),
    ],
)
def test_a_post_with_a_photo_is_not_published_without_both_descriptions(session, editor, alt_en, alt_es, key):
    image = stored_photo(session, editor, (1000, 700), alt_en=alt_en, alt_es=alt_es)
    with pytest.raises(ValidationFailed) as failed:
        editorial.create_post(session, _input(image.id, PostStatus.PUBLISHED.value), editor)
    assert failed.value.errors == {"media_image_id": key}
    assert session.exec(select(Post)).all() == []
    later = utc_now() + timedelta(days=2)  # scheduling is publishing with a date ahead: refused alike
    with pytest.raises(ValidationFailed):
        editorial.create_post(session, _input(image.id, PostStatus.PUBLISHED.value, published_at=later), editor)
    draft = editorial.create_post(session, _input(image.id, PostStatus.DRAFT.value), editor)
    assert draft.media_image_id == image.id and draft.image_path == media.fallback_url(image)
    with pytest.raises(ValidationFailed) as from_list:
        editorial.set_post_status(session, draft.id, PostStatus.PUBLISHED.value, editor)
    assert from_list.value.errors == {"media_image_id": key}
    session.refresh(draft)
    assert draft.status == PostStatus.DRAFT.value
    language = "en" if key.endswith("_en") else "es" if key.endswith("_es") else None
    message = CATALOGUES["en"][key]
    assert ("English" in message) == (language in ("en", None)) and ("Spanish" in message) == (language in ("es", None))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_described_photos_publish_and_posts_without_a_library_photo_are_unchanged(session, editor):
    image = stored_photo(session, editor, (1000, 700), alt_en="Marchers", alt_es="Manifestantes")
    post = editorial.create_post(session, _input(image.id, PostStatus.PUBLISHED.value), editor)
    assert post.status == PostStatus.PUBLISHED.value and post.image_path == media.fallback_url(image)
    legacy = editorial.create_post(
        session,
        editorial.PostInput(title="Old", image_path="/_upload/old.jpg", status=PostStatus.PUBLISHED.value),
        editor,
    )
    assert legacy.media_image_id is None and legacy.image_path == "/_upload/old.jpg"
    removed = editorial.update_post(session, post.id, _input(None, PostStatus.PUBLISHED.value), editor)
    assert removed.media_image_id is None and removed.image_path == ""


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_photo_that_is_gone_cannot_be_chosen(session, editor):
    with pytest.raises(ValidationFailed) as failed:
        editorial.create_post(session, _input(999_999, PostStatus.DRAFT.value), editor)
    assert failed.value.errors == {"media_image_id": "admin_error_media_not_found"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_publishing_or_scheduling_a_pair_needs_the_descriptions_too(session, editor):
    image = stored_photo(session, editor, (1000, 700), alt_en="Marchers")
    english = editorial.create_post(session, _input(image.id, PostStatus.DRAFT.value, "Nurses strike"), editor)
    spanish = pair_publishing.translate(session, english.id, editor)
    assert spanish.media_image_id == image.id  # the translation shares the photo
    for act in (
        lambda: pair_publishing.publish_pair(session, english.id, editor),
        lambda: pair_publishing.schedule_pair(session, english.id, utc_now() + timedelta(days=1), editor),
    ):
        with pytest.raises(ValidationFailed) as failed:
            act()
        assert failed.value.errors == {"media_image_id": "admin_error_media_alt_missing_es"}
    session.expire_all()
    assert {post.status for post in session.exec(select(Post)).all()} == {PostStatus.DRAFT.value}
    media_library.update_details(
        session,
        image.id,
        editor,
        alt_en="Marchers",
        alt_es="Manifestantes",
        credit_name="",
        credit_url="",
        credit_licence="",
    )
    published = pair_publishing.publish_pair(session, english.id, editor)
    assert {post.status for post in published} == {PostStatus.PUBLISHED.value}
