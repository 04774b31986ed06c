"""Photos for posts: an upload becomes a few light renditions (WebP and JPEG) with no metadata, and their addresses.

A reader on a slow, metered phone should get a 480 px photo, not the 5 MB original; and a photo
of a protest must not carry its GPS position or camera serial to anyone. So an upload is checked
and decoded by `services/uploads.py` (type by content, size, pixel bomb, metadata dropped,
orientation applied), then written at each width of RENDITION_WIDTHS it is not smaller than.
The full-size original is kept only when `KEEP_ORIGINAL_IMAGES` asks (still without metadata).

Image work takes seconds: call `store_image` off the event loop (admin handlers already are).
"""

import dataclasses
import io
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlmodel import Session

from vws_app.models import Editor, MediaImage
from vws_app.services import audit, uploads
from vws_app.settings import keep_original_images

# Pillow is imported where renditions are made, not here: the public pages import this module
# for image addresses, and only an editor's upload needs Pillow.
if TYPE_CHECKING:
    from PIL import Image

RENDITION_WIDTHS = (480, 960, 1600)
URL_PREFIX = "/_upload/"  # Reflex serves the upload folder (UPLOAD_DIR, rxconfig.py) here
WEBP_OPTIONS = {"quality": 80, "method": 4}
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
ORIGINAL_SUFFIX = "original"


@dataclasses.dataclass(frozen=True)
class Rendition:
    """One width of a photo, in both formats, as addresses a page can use."""

    width: int
    height: int
    webp_url: str
    jpeg_url: str


def rendition_widths(width: int) -> list[int]:
    """The widths a photo whose largest rendition is `width` px wide has, ascending.

    Every RENDITION_WIDTHS entry up to `width`; a photo narrower than the smallest has one
    rendition at its own width (it is never enlarged).
    """
    return [candidate for candidate in RENDITION_WIDTHS if candidate <= width] or [width]


def _height_at(width: int, height: int, target: int) -> int:
    """The height of a `target`-wide copy of a `width`×`height` picture (at least 1 px)."""
    return max(1, round(height * target / width))


def file_name(file_stem: str, width: int, extension: str) -> str:
    """The stored name of one rendition: `<stem>-<width>.<webp|jpg>`."""
    return f"{file_stem}-{width}.{extension}"


def renditions(image: MediaImage) -> list[Rendition]:
    """Every rendition of `image`, narrowest first."""
    return [
        Rendition(
            width=width,
            height=_height_at(image.width, image.height, width),
            webp_url=URL_PREFIX + file_name(image.file_stem, width, "webp"),
            jpeg_url=URL_PREFIX + file_name(image.file_stem, width, "jpg"),
        )
        for width in rendition_widths(image.width)
    ]


def srcset(image: MediaImage, kind: Literal["webp", "jpeg"]) -> str:
    """The `srcset` value for one format: "/_upload/x-480.webp 480w, /_upload/x-960.webp 960w, …"."""
    return ", ".join(
        f"{rendition.webp_url if kind == 'webp' else rendition.jpeg_url} {rendition.width}w"
        for rendition in renditions(image)
    )


def fallback_url(image: MediaImage) -> str:
    """The JPEG for browsers without `srcset` and for feeds: the middle width (960 px when there is one)."""
    items = renditions(image)
    return items[len(items) // 2].jpeg_url


def largest(image: MediaImage) -> Rendition:
    """The widest rendition (for Open Graph and JSON-LD, which want a large picture)."""
    return renditions(image)[-1]


def thumbnail_url(image: MediaImage) -> str:
    """The narrowest WebP, for lists in the admin."""
    return renditions(image)[0].webp_url


def stored_files(image: MediaImage, folder: Path | None = None) -> list[Path]:
    """Every file `image` may have on disk: its renditions and, if it could exist, its original."""
    folder = folder or uploads.upload_dir()
    paths = [
        folder / file_name(image.file_stem, width, extension)
        for width in rendition_widths(image.width)
        for extension in ("webp", "jpg")
    ]
    paths.extend(folder.glob(f"{image.file_stem}-{ORIGINAL_SUFFIX}.*"))
    return paths


def _for_encoding(picture: "Image.Image") -> tuple["Image.Image", "Image.Image"]:
    """`picture` ready for WebP (RGB or RGBA) and for JPEG (RGB, transparency laid on white)."""
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info)
    if not has_alpha:
        rgb = picture if picture.mode == "RGB" else picture.convert("RGB")
        return rgb, rgb
    from PIL import Image

    rgba = picture.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return rgba, flat


def _encoded(picture: "Image.Image", image_format: str, options: dict) -> bytes:
    output = io.BytesIO()
    picture.save(output, format=image_format, **options)
    return output.getvalue()


def _write_renditions(clean: "Image.Image", file_stem: str, folder: Path) -> tuple[int, int, list[Path]]:
    """Write every rendition of `clean`; returns the largest's width and height and the files written."""
    from PIL import Image

    webp_source, jpeg_source = _for_encoding(clean)
    widths = rendition_widths(clean.width)
    top_width = widths[-1]
    top_height = _height_at(clean.width, clean.height, top_width)
    written: list[Path] = []
    try:
        for width in widths:
            size = (width, _height_at(top_width, top_height, width))
            for source, extension, image_format, options in (
                (webp_source, "webp", "WEBP", WEBP_OPTIONS),
                (jpeg_source, "jpg", "JPEG", JPEG_OPTIONS),
            ):
                resized = (
                    source if source.size == size else source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
                )
                path = folder / file_name(file_stem, width, extension)
                uploads.write_new_file(path, _encoded(resized, image_format, options))
                written.append(path)
    except BaseException:
        _remove(written)
        raise
    return top_width, top_height, written


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def store_image(session: Session, data: bytes, editor: Editor | None) -> MediaImage:
    """Check, clean and store an uploaded photo as renditions; its row and an "upload" audit entry in one commit.

    The row starts without descriptions or credit (`media_library.update_details` adds them).
    Files are written first; if the row cannot be saved they are removed again.

    Raises:
        UploadRejected: the reasons of `uploads.checked_extension` and `uploads.clean_pixels`
            (empty, too large, not an image — an SVG or HTML file named .jpg included —,
            a decompression bomb, unreadable).
        OSError: the upload folder cannot be written.
    """
    extension = uploads.checked_extension(data)
    clean = uploads.clean_pixels(data, extension)
    folder = uploads.upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    file_stem = uuid.uuid4().hex
    width, height, written = _write_renditions(clean, file_stem, folder)
    try:
        keep = keep_original_images()
        if keep:
            original = folder / f"{file_stem}-{ORIGINAL_SUFFIX}{extension}"
            uploads.write_new_file(original, uploads.clean_image(data, extension))
            written.append(original)
        image = MediaImage(
            file_stem=file_stem,
            width=width,
            height=height,
            has_original=keep,
            created_by=editor.id if editor else None,
        )
        session.add(image)
        session.flush()
        audit.record(session, editor, "upload", "media_image", image.id, f"{width}×{height}")
        session.commit()
    except BaseException:
        session.rollback()
        _remove(written)
        raise
    session.refresh(image)
    return image
