"""Featured images uploaded by editors: checked by their real type and size, re-encoded without metadata, stored under random names."""

import io
import os
import uuid
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

# Pillow is imported in the functions that decode an upload, not here: pages import this module
# for its limits, and only an editor's upload needs Pillow's codecs and colour management.
if TYPE_CHECKING:
    from PIL import Image

from vws_app.settings import PROJECT_ROOT

MAX_IMAGE_BYTES = 5 * 1024 * 1024  # 5 MiB
# A 5 MiB file can declare a huge canvas (a "decompression bomb") that takes gigabytes to
# decode: the header is read first and anything above this is refused before decoding.
# 40 megapixels holds any phone or camera photo a page needs.
MAX_IMAGE_PIXELS = 40_000_000
# What each accepted type is saved as: its own format, re-encoded from the pixels alone.
_SAVE_FORMATS = {".jpg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 90, "optimize": True},
    "PNG": {"optimize": True},
    "GIF": {"optimize": True},
    "WEBP": {"quality": 90},
}
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


def _in_srgb(image: "Image.Image") -> "Image.Image":
    """`image` converted to sRGB when it carries a colour profile (which is then dropped with the rest)."""
    from PIL import ImageCms

    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        return cast(
            "Image.Image",
            ImageCms.profileToProfile(  # an image, as inPlace is False
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                ImageCms.createProfile("sRGB"),
                outputMode=image.mode,
            ),
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unusable profile: the pixels as they are


def _pixels_only(image: "Image.Image") -> "Image.Image":
    """A new image holding only `image`'s pixels (and palette and transparency): no EXIF, GPS, XMP, ICC or comments."""
    from PIL import Image

    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        clean.putpalette(cast(list[int], image.getpalette()))  # a "P" image always has one
    if "transparency" in image.info and image.mode in ("P", "L", "RGB"):
        clean.info["transparency"] = image.info["transparency"]
    return clean


def clean_pixels(data: bytes, extension: str) -> "Image.Image":
    """`data` decoded: orientation applied, sRGB, every piece of metadata gone; the pixels only.

    An animation keeps its first frame only. A JPEG comes back as L or RGB.

    Raises:
        UploadRejected: "admin_error_image_pixels" above MAX_IMAGE_PIXELS (checked from the
            header, before decoding), "admin_error_image_unreadable" when it does not decode.
    """
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadRejected("admin_error_image_pixels")
                image.load()
                if image.mode == "CMYK" or (extension == ".jpg" and image.mode not in ("L", "RGB")):
                    image = image.convert("RGB")
                upright = ImageOps.exif_transpose(image)
                return _pixels_only(_in_srgb(upright))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected("admin_error_image_pixels") from None
    except (OSError, SyntaxError, ValueError) as unreadable:  # UnidentifiedImageError is an OSError
        raise UploadRejected("admin_error_image_unreadable") from unreadable


def clean_image(data: bytes, extension: str) -> bytes:
    """`data` re-encoded in its own format from `clean_pixels`: orientation applied, no metadata.

    Raises:
        UploadRejected: as `clean_pixels`.
    """
    clean = clean_pixels(data, extension)
    output = io.BytesIO()
    save_format = _SAVE_FORMATS[extension]
    clean.save(output, format=save_format, **_SAVE_OPTIONS[save_format])
    return output.getvalue()


def checked_extension(data: bytes) -> str:
    """The extension of the image `data` really is, after the checks that need no decoding.

    Raises:
        UploadRejected: "admin_error_image_empty" for no data, "admin_error_image_size"
            above MAX_IMAGE_BYTES, "admin_error_image_type" for anything but JPEG, PNG,
            WebP or GIF (an SVG or HTML file named .jpg included).
    """
    if not data:
        raise UploadRejected("admin_error_image_empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise UploadRejected("admin_error_image_size")
    extension = image_extension(data)
    if extension is None:
        raise UploadRejected("admin_error_image_type")
    return extension


def save_image(data: bytes, original_name: str, upload_dir: Path) -> str:
    """Store an uploaded image in `upload_dir` (created if missing); returns its new file name.

    The image is re-encoded from its pixels (`clean_image`): a photo's GPS position, camera
    serial and time never reach the site. The name is a random UUID plus the extension of
    the detected type. `original_name` is never used for the stored name or type (it could
    be "../../x.php" or a JPEG named .png); it is accepted only so callers can mention it.

    Raises:
        UploadRejected: "admin_error_image_empty" for no data, "admin_error_image_size"
            above MAX_IMAGE_BYTES, "admin_error_image_type" for anything but JPEG, PNG,
            WebP or GIF, "admin_error_image_pixels" or "admin_error_image_unreadable" from
            `clean_image`.
        OSError: the directory or file cannot be written.
    """
    del original_name  # deliberately unused: see above
    extension = checked_extension(data)
    data = clean_image(data, extension)
    upload_dir.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex + extension
    write_new_file(upload_dir / name, data)
    return name


def write_new_file(path: Path, data: bytes) -> None:
    """Write `data` to `path`, which must not exist yet; nothing half-written is left on failure.

    Raises:
        FileExistsError: `path` exists ("x": never overwrite, even on a random-name collision).
        OSError: it cannot be written.
    """
    with open(path, "xb") as file:
        try:
            file.write(data)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
