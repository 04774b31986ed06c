"""Featured images uploaded by editors: checked by their real type and size, stored under random names."""

import os
import uuid
from pathlib import Path

from vws_app.settings import PROJECT_ROOT

MAX_IMAGE_BYTES = 5 * 1024 * 1024  # 5 MiB
DEFAULT_UPLOAD_DIR = PROJECT_ROOT / "uploads"


class UploadRejected(Exception):
    """The file is not stored; `reason_key` is the catalogue key that tells the editor why."""

    def __init__(self, reason_key: str):
        super().__init__(reason_key)
        self.reason_key = reason_key


def upload_dir() -> Path:
    """Where uploads are stored: `UPLOAD_DIR`, else `uploads/` in the project."""
    return Path(os.environ.get("UPLOAD_DIR") or DEFAULT_UPLOAD_DIR)


def image_extension(data: bytes) -> str | None:
    """The extension of the image type `data` really is, by its magic bytes, or None.

    Only JPEG, PNG, WebP and GIF are recognised: types browsers show and that cannot
    carry scripts (SVG can, so it is refused).
    """
    if data.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return ".gif"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    return None


def save_image(data: bytes, original_name: str, upload_dir: Path) -> str:
    """Store an uploaded image in `upload_dir` (created if missing); returns its new file name.

    The name is a random UUID plus the extension of the detected type. `original_name`
    is never used for the stored name or type (it could be "../../x.php" or a JPEG named
    .png); it is accepted only so callers can mention it in messages.

    Raises:
        UploadRejected: "admin_error_image_empty" for no data, "admin_error_image_size"
            above MAX_IMAGE_BYTES, "admin_error_image_type" for anything but JPEG, PNG,
            WebP or GIF.
        OSError: the directory or file cannot be written.
    """
    del original_name  # deliberately unused: see above
    if not data:
        raise UploadRejected("admin_error_image_empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise UploadRejected("admin_error_image_size")
    extension = image_extension(data)
    if extension is None:
        raise UploadRejected("admin_error_image_type")
    upload_dir.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex + extension
    path = upload_dir / name
    with open(path, "xb") as file:  # "x": never overwrite, even on a UUID collision
        try:
            file.write(data)
        except BaseException:
            path.unlink(missing_ok=True)  # no half-written image left behind
            raise
    return name
