"""Admin: the image library: every photo with its descriptions, credit and uses; upload, describe, delete when unused."""

import dataclasses

import reflex as rx
from sqlmodel import Session

from vws_app.models import Editor, MediaImage
from vws_app.services import image_credit, media, media_library, uploads
from vws_app.state.admin_form import AdminFormMixin
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_session import AdminState

DETAIL_FIELDS = ("alt_en", "alt_es", "credit_name", "credit_url", "credit_licence")
FIELD_MAX_LENGTH = 2_000  # what a tampered client may send as one field (the service checks the real limits)


@dataclasses.dataclass(frozen=True)
class ImageUseRow:
    """A post showing a photo, as the library lists it."""

    post_id: int
    title: str
    language: str


@dataclasses.dataclass(frozen=True)
class ImageRow:
    """One photo as the library page shows it (credit lines in both languages, so the toggle needs no trip)."""

    id: int
    thumb_url: str
    size: str
    alt_en: str
    alt_es: str
    credit_name: str
    credit_url: str
    credit_licence: str
    credit_en: str
    credit_es: str
    described: bool
    uses: list[ImageUseRow]


def image_row(item: media_library.LibraryImage) -> ImageRow:
    """What the library shows of one photo."""
    image = item.image
    return ImageRow(
        id=image.id,
        thumb_url=media.thumbnail_url(image),
        size=f"{image.width} × {image.height}",
        alt_en=image.alt_en,
        alt_es=image.alt_es,
        credit_name=image.credit_name,
        credit_url=image.credit_url,
        credit_licence=image.credit_licence,
        credit_en=image_credit.credit_text(image, "en"),
        credit_es=image_credit.credit_text(image, "es"),
        described=not image_credit.missing_alt_languages(image),
        uses=[ImageUseRow(use.post_id, use.title, use.language) for use in item.uses],
    )


def store_upload(session: Session, editor: Editor, files: list[rx.UploadFile]) -> MediaImage:
    """The first uploaded file stored as a library photo (shared by the library and the post editor).

    Raises:
        UploadRejected: no file, or the reasons of `media.store_image`.
    """
    for file in files[:1]:
        file.file.seek(0)
        return media.store_image(session, file.file.read(uploads.MAX_IMAGE_BYTES + 1), editor)
    raise uploads.UploadRejected("admin_error_image_empty")


class AdminMediaState(AdminFormMixin, AdminState):
    """Every handler runs behind `admin_handler`; the details form is submitted whole (no setters)."""

    images: list[ImageRow] = []
    editing_image_id: int = 0  # the photo whose details form is open
    refused_image_id: int = 0  # the photo whose deletion was just refused (the message shows beside it)

    def _clear_admin_data(self) -> None:
        """Forget every photo this tab was shown."""
        self.images, self.editing_image_id, self.refused_image_id = [], 0, 0
        self.form_errors, self.notice = {}, ""

    def _reload(self, session: Session) -> None:
        self.images = [image_row(item) for item in media_library.list_images(session)]

    @admin_handler()
    def load(self, session: Session, editor: Editor):
        """Every photo, newest first, with where it is used."""
        self.form_errors, self.notice, self.editing_image_id, self.refused_image_id = {}, "", 0, 0
        self._reload(session)

    @admin_handler()
    def upload(self, session: Session, editor: Editor, files: list[rx.UploadFile]):
        """Store an uploaded photo (checked, cleaned, made into renditions) and open its details form."""
        self.notice, self.refused_image_id = "", 0
        try:
            image = store_upload(session, editor, files)
        except uploads.UploadRejected as rejected:
            self.form_errors = {"upload": rejected.reason_key}
            return
        self.form_errors, self.notice, self.editing_image_id = {}, "admin_media_uploaded", image.id
        self._reload(session)

    @admin_handler()
    def edit_image(self, session: Session, editor: Editor, image_id: int):
        """Open one photo's details form (a photo deleted meanwhile: the list is reloaded instead)."""
        self.form_errors, self.notice, self.refused_image_id = {}, "", 0
        self.editing_image_id = int(image_id) if media_library.get_image(session, int(image_id)) else 0
        self._reload(session)

    @admin_handler()
    def close_editor(self, session: Session, editor: Editor):
        """Close the details form without saving."""
        self.form_errors, self.editing_image_id = {}, 0

    @admin_handler()
    def save_details(self, session: Session, editor: Editor, image_form: dict):
        """Save the open photo's descriptions and credit; errors show beside the fields and nothing is lost."""
        if not self.editing_image_id:
            return
        values = {name: str(image_form.get(name, ""))[:FIELD_MAX_LENGTH] for name in DETAIL_FIELDS}
        try:
            media_library.update_details(session, self.editing_image_id, editor, **values)
        except media_library.NotFound:
            self.editing_image_id, self.notice = 0, ""
        except media_library.ValidationFailed as failed:
            self.form_errors, self.notice = failed.errors, ""
            return
        else:
            self.form_errors, self.notice, self.editing_image_id = {}, "admin_media_saved", 0
        self._reload(session)

    @admin_handler()
    def delete_image(self, session: Session, editor: Editor, image_id: int):
        """Delete an unused photo and its files (the page asked first); one in use is refused, saying why."""
        self.form_errors, self.notice, self.refused_image_id = {}, "", 0
        try:
            media_library.delete_unused(session, int(image_id), editor)
        except media_library.ImageInUse as refused:
            self.form_errors, self.refused_image_id = {"delete": refused.reason_key}, int(image_id)
        except media_library.NotFound:
            pass  # deleted meanwhile: the reload shows how it is now
        else:
            self.notice = "admin_media_deleted"
            if self.editing_image_id == int(image_id):
                self.editing_image_id = 0
        self._reload(session)
