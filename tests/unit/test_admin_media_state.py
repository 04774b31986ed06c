"""The image library's state: nothing without a session; with one, upload, describe, refuse deleting a photo in use, delete."""

import io
from pathlib import Path

import reflex as rx
from sqlmodel import select

from tests.unit.photo_builders import phone_jpeg
from tests.unit.test_admin_access import (  # noqa: F401  (fixtures: the seeded world, cheap argon2)
    CANARY,
    fast_password_hashing,
    leaks,
    new_tab,
    send,
    substate,
    table_snapshot,
    token_of,
    world,
)
from vws_app.models import AuditEntry, MediaImage, Post
from vws_app.services.database import open_session
from vws_app.state.admin_media import AdminMediaState
from vws_app.state.admin_posts import AdminPostsState


def _upload(data: bytes) -> dict:
    return {"files": [rx.UploadFile(file=io.BytesIO(data), path=Path("IMG_0001.jpg"), size=len(data))]}


def test_without_a_session_nothing_is_shown_stored_or_deleted(world):
    for kind in ("empty", "made_up", "expired"):
        root = new_tab(world, token_of(kind))
        before = table_snapshot((MediaImage, AuditEntry))
        for name, payload in (
            ("load", {}),
            ("upload", _upload(phone_jpeg())),
            ("delete_image", {"image_id": world.ids[MediaImage]}),
            ("edit_image", {"image_id": world.ids[MediaImage]}),
            ("save_details", {"image_form": {"alt_en": "changed"}}),
        ):
            outcome = send(root, AdminMediaState, name, payload)
            assert outcome.error is None, repr(outcome.error)
            assert not leaks(root, outcome), (kind, name)
            assert not substate(root, AdminMediaState).images
        assert table_snapshot((MediaImage, AuditEntry)) == before, kind
        assert not world.upload_dir.exists() or list(world.upload_dir.iterdir()) == [], kind


def test_an_editor_uploads_describes_and_deletes_and_a_photo_in_use_stays(world):
    root = new_tab(world, token_of("valid"))
    state = substate(root, AdminMediaState)
    assert send(root, AdminMediaState, "load", {}).error is None
    assert [row.alt_en for row in state.images] == [f"{CANARY} photo"]

    assert send(root, AdminMediaState, "upload", _upload(phone_jpeg((2000, 1500)))).error is None
    assert state.notice == "admin_media_uploaded" and not state.form_errors
    new = state.images[0]
    assert state.editing_image_id == new.id and not new.described and new.size == "1600 × 1200"
    assert len(list(world.upload_dir.glob("*-*.webp"))) == 3 and len(list(world.upload_dir.glob("*-*.jpg"))) == 3

    form = {
        "alt_en": "Nurses march",
        "alt_es": "Enfermeras marchan",
        "credit_name": "Ana Pérez",
        "credit_url": "javascript:alert(1)",
        "credit_licence": "cc-by",
    }
    assert send(root, AdminMediaState, "save_details", {"image_form": form}).error is None
    assert state.form_errors == {"credit_url": "admin_error_media_credit_url"} and state.editing_image_id == new.id
    assert (
        send(
            root, AdminMediaState, "save_details", {"image_form": {**form, "credit_url": "https://ana.example.org"}}
        ).error
        is None
    )
    assert state.notice == "admin_media_saved" and state.editing_image_id == 0
    saved = state.images[0]
    assert saved.described and saved.credit_es == "Foto: Ana Pérez · CC BY 4.0"

    with open_session() as session:  # a post shows the new photo
        post = session.exec(select(Post).where(Post.slug == "canary-draft")).one()
        post.media_image_id = new.id
        session.add(post)
        session.commit()
    assert send(root, AdminMediaState, "load", {}).error is None
    assert [use.title for use in state.images[0].uses] == [f"{CANARY} draft post"]
    assert send(root, AdminMediaState, "delete_image", {"image_id": new.id}).error is None
    assert state.form_errors == {"delete": "admin_error_media_in_use"} and state.refused_image_id == new.id
    assert state.error_texts["delete"].startswith("This image is used by a post")
    with open_session() as session:
        assert session.get(MediaImage, new.id) is not None

    assert send(root, AdminMediaState, "delete_image", {"image_id": world.ids[MediaImage]}).error is None
    assert state.notice == "admin_media_deleted" and [row.id for row in state.images] == [new.id]


def test_the_post_editor_uploads_into_the_library_and_chooses_the_photo(world):
    root = new_tab(world, token_of("valid"))
    posts = substate(root, AdminPostsState)
    assert send(root, AdminPostsState, "open_editor", {}).error is None
    assert [choice.alt_en for choice in posts.library] == [f"{CANARY} photo"]
    assert send(root, AdminPostsState, "upload_image", _upload(phone_jpeg((1000, 700)))).error is None
    chosen = posts.form["media_image_id"]
    assert chosen and posts.chosen_image.id == chosen and len(posts.library) == 2
    assert posts.form["image_path"].endswith("-960.jpg")
    assert posts.image_markdown_after == f"]({posts.chosen_image.fallback_url})\n\n"  # no credit yet: no caption
    assert send(root, AdminPostsState, "upload_image", _upload(b"<svg onload='alert(1)'></svg>")).error is None
    assert posts.form_errors["media_image_id"] == "admin_error_image_type" and posts.form["media_image_id"] == chosen
