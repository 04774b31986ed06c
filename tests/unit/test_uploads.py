"""Featured image uploads: the real type decides, the size is capped, metadata goes, the name is ours."""

import io
import re
import struct
import zlib

import pytest
from PIL import Image, ImageCms

from vws_app.i18n import CATALOGUES
from vws_app.services import uploads
from vws_app.services.uploads import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, UploadRejected, save_image
from vws_app.settings import PROJECT_ROOT


def image_bytes(image_format: str, size: tuple[int, int] = (8, 6), mode: str = "RGB", **options) -> bytes:
    """A small real image in `image_format`, as a file's bytes."""
    output = io.BytesIO()
    Image.new(mode, size, "red" if mode != "1" else 0).save(output, format=image_format, **options)
    return output.getvalue()


JPEG = image_bytes("JPEG")
PNG = image_bytes("PNG")
GIF = image_bytes("GIF", mode="P")
WEBP = image_bytes("WEBP")


@pytest.mark.parametrize(
    ("data", "extension"),
    [(JPEG, ".jpg"), (PNG, ".png"), (GIF, ".gif"), (b"GIF87a" + GIF[6:], ".gif"), (WEBP, ".webp")],
)
def test_each_allowed_type_is_stored_under_a_random_name(tmp_path, data, extension):
    name = save_image(data, "photo" + extension, tmp_path)
    assert re.fullmatch(r"[0-9a-f]{32}" + re.escape(extension), name)
    with Image.open(tmp_path / name) as stored:
        assert (stored.format, stored.size) == (
            {".jpg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}[extension],
            (8, 6),
        )


def test_the_extension_comes_from_the_content_not_the_name(tmp_path):
    assert save_image(PNG, "holiday.jpg", tmp_path).endswith(".png")
    assert save_image(JPEG, "shell.php", tmp_path).endswith(".jpg")


def test_two_uploads_of_the_same_file_get_different_names(tmp_path):
    assert save_image(PNG, "a.png", tmp_path) != save_image(PNG, "a.png", tmp_path)


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<html><body>hello</body></html>",
        b"%PDF-1.7\n",
        b"RIFF\x24\x00\x00\x00WAVEfmt ",
        b"GIF90a",
        b"\xff\xd8",
    ],
)
def test_other_types_are_refused_whatever_their_name(tmp_path, data):
    with pytest.raises(UploadRejected) as rejected:
        save_image(data, "picture.png", tmp_path)
    assert rejected.value.reason_key == "admin_error_image_type"
    assert list(tmp_path.iterdir()) == []


def test_an_image_of_exactly_the_limit_is_accepted_and_one_byte_more_is_not(tmp_path):
    at_limit = PNG + b"\x00" * (MAX_IMAGE_BYTES - len(PNG))  # bytes after the image's end are ignored
    with Image.open(tmp_path / save_image(at_limit, "big.png", tmp_path)) as stored:
        assert stored.size == (8, 6)
    with pytest.raises(UploadRejected) as rejected:
        save_image(at_limit + b"\x00", "bigger.png", tmp_path)
    assert rejected.value.reason_key == "admin_error_image_size"
    assert MAX_IMAGE_BYTES == 5 * 1024 * 1024


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(UploadRejected) as rejected:
        save_image(b"", "empty.jpg", tmp_path)
    assert rejected.value.reason_key == "admin_error_image_empty"


def test_the_folder_is_created_and_the_callers_name_cannot_escape_it(tmp_path):
    target = tmp_path / "nested" / "uploads"
    name = save_image(JPEG, "../../../etc/passwd.jpg", target)
    assert [path.name for path in target.iterdir()] == [name]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["nested"]


def test_upload_dir_comes_from_the_environment_with_a_project_default(monkeypatch, tmp_path):
    monkeypatch.delenv("UPLOAD_DIR", raising=False)
    assert uploads.upload_dir() == PROJECT_ROOT / "uploads"
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "media"))
    assert uploads.upload_dir() == tmp_path / "media"


def photo_with_metadata() -> bytes:
    """A JPEG as a phone writes it: 40×20 pixels stored sideways (orientation 6), with GPS, serial, ICC and a comment."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x0110] = "PhoneModel X"
    exif[0x0132] = "2026:11:29 10:00:00"
    exif.get_ifd(0x8769)[0xA431] = "SERIAL-123456"  # BodySerialNumber
    exif.get_ifd(0x8825).update({1: "N", 2: (10.0, 30.0, 15.0), 3: "W", 4: (66.0, 55.0, 1.0)})  # GPS
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = Image.new("RGB", (40, 20), "white")
    photo.paste((200, 0, 0), (0, 0, 10, 20))  # a red band on the left of the stored pixels
    output = io.BytesIO()
    photo.save(output, format="JPEG", exif=exif.tobytes(), icc_profile=srgb, comment=b"taken at home")
    return output.getvalue()


def test_a_photo_is_stored_upright_without_any_metadata(tmp_path):
    original = photo_with_metadata()
    with Image.open(io.BytesIO(original)) as sent:  # the test photo really carries what a phone writes
        assert sent.getexif().get_ifd(0x8825) and sent.info.get("icc_profile") and sent.info.get("comment")
    name = save_image(original, "IMG_0001.jpg", tmp_path)
    stored_bytes = (tmp_path / name).read_bytes()
    with Image.open(tmp_path / name) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (20, 40)  # orientation applied: width and height swapped
        assert len(stored.getexif()) == 0 and not stored.getexif().get_ifd(0x8825)
        assert {"exif", "icc_profile", "comment", "xmp"}.isdisjoint(stored.info)
        assert stored.convert("RGB").getpixel((10, 2))[0] > 150  # the red band is now along the top
        assert stored.convert("RGB").getpixel((10, 37))[1] > 150  # and white below it
    for secret in (b"Exif", b"SERIAL-123456", b"PhoneModel", b"taken at home", b"ICC_PROFILE", b"2026:11:29"):
        assert secret not in stored_bytes


def test_png_text_chunks_and_exif_are_dropped(tmp_path):
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Author", "Ana Rivas")
    exif = Image.Exif()
    exif[0x0110] = "PhoneModel X"
    stored = (
        tmp_path / save_image(image_bytes("PNG", pnginfo=text, exif=exif.tobytes()), "a.png", tmp_path)
    ).read_bytes()
    assert b"Ana Rivas" not in stored and b"PhoneModel" not in stored and b"eXIf" not in stored


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` pixels and holds none (an empty data chunk)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", b"")


@pytest.mark.parametrize(
    "data",
    [
        png_header_only(100_000, 100_000),  # 10 gigapixels declared in 33 bytes: refused from the header
        image_bytes("PNG", size=(10_000, 4_001), mode="1"),  # just over the limit, and a real image
    ],
)
def test_a_decompression_bomb_is_refused(tmp_path, data):
    assert len(data) < MAX_IMAGE_BYTES
    with pytest.raises(UploadRejected) as rejected:
        save_image(data, "bomb.png", tmp_path)
    assert rejected.value.reason_key == "admin_error_image_pixels"
    assert list(tmp_path.iterdir()) == []


def test_an_image_at_the_pixel_limit_is_accepted(tmp_path):
    data = image_bytes("PNG", size=(10_000, MAX_IMAGE_PIXELS // 10_000), mode="1")
    with Image.open(tmp_path / save_image(data, "wide.png", tmp_path)) as stored:
        assert stored.size == (10_000, 4_000)


@pytest.mark.parametrize("data", [b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10, PNG[:40], b"GIF89a" + b"\x00" * 4])
def test_a_file_that_only_starts_like_an_image_is_refused(tmp_path, data):
    with pytest.raises(UploadRejected) as rejected:
        save_image(data, "photo.jpg", tmp_path)
    assert rejected.value.reason_key == "admin_error_image_unreadable"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "reason_key", ["admin_error_image_pixels", "admin_error_image_unreadable", "admin_error_image_type"]
)
def test_every_refusal_has_a_message_in_both_languages(reason_key):
    assert CATALOGUES["en"][reason_key] and CATALOGUES["es"][reason_key]
    assert CATALOGUES["en"][reason_key] != CATALOGUES["es"][reason_key]
