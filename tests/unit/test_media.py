"""Uploaded photos: no metadata survives (Pillow and exiftool agree), upright, bombs and polyglots refused, renditions right."""

import io
import json
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from tests.unit.photo_builders import CAMERA, SERIAL, phone_jpeg, stored_photo
from tests.unit.test_uploads import png_header_only
from vws_app.models import AuditEntry, MediaImage
from vws_app.services import media
from vws_app.services.uploads import UploadRejected

EXIFTOOL = "/usr/bin/exiftool"
IDENTIFYING_GROUPS = ("EXIF", "GPS", "XMP", "IPTC", "ICC_Profile", "MakerNotes", "Photoshop")


@pytest.fixture
def upload_folder(tmp_path, monkeypatch) -> Path:
    """UPLOAD_DIR for the test, as the app reads it."""
    folder = tmp_path / "uploads"
    monkeypatch.setenv("UPLOAD_DIR", str(folder))
    monkeypatch.delenv("KEEP_ORIGINAL_IMAGES", raising=False)
    return folder


def exiftool_tags(path: Path) -> dict:
    """Every tag exiftool finds in `path`, keyed "Group:Name"."""
    output = subprocess.run(
        [EXIFTOOL, "-json", "-G", "-a", "-u", str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout)[0]


def test_the_test_photo_really_carries_gps_a_serial_and_the_camera(tmp_path):
    """Control: what the next test proves gone is there to begin with, as both readers see it."""
    sent = tmp_path / "phone.jpg"
    sent.write_bytes(phone_jpeg())
    with Image.open(sent) as photo:
        assert photo.getexif().get_ifd(34853) and photo.getexif().get_ifd(0x8769)[42033] == SERIAL
    tags = exiftool_tags(sent)
    assert {"EXIF:GPSLatitude", "EXIF:SerialNumber", "Composite:GPSPosition"} <= set(tags)
    assert tags["EXIF:SerialNumber"] == SERIAL and tags["EXIF:Model"] == CAMERA


def test_no_rendition_keeps_gps_serial_or_camera(session, editor, upload_folder):
    image = media.store_image(session, phone_jpeg(), editor)
    files = media.stored_files(image)
    assert files and all(path.exists() for path in files)
    for path in files:
        with Image.open(path) as stored:
            assert len(stored.getexif()) == 0, path.name
            assert not stored.getexif().get_ifd(34853) and not stored.getexif().get_ifd(0x8769)
            assert {"exif", "icc_profile", "comment", "xmp"}.isdisjoint(stored.info), path.name
        tags = exiftool_tags(path)
        found = [key for key in tags if key.split(":")[0] in IDENTIFYING_GROUPS or "GPS" in key or "Serial" in key]
        assert found == [], f"{path.name}: {found}"
        raw = path.read_bytes()
        for secret in (SERIAL.encode(), CAMERA.encode(), b"PhoneMaker", b"Exif\x00"):
            assert secret not in raw, (path.name, secret)


def test_orientation_is_applied_so_a_sideways_photo_stands_up(session, editor, upload_folder):
    image = media.store_image(session, phone_jpeg((1200, 800), orientation=6), editor)
    assert (image.width, image.height) == (480, 720)  # stored 1200×800 sideways: upright it is 800×1200
    [only] = media.renditions(image)
    for url in (only.jpeg_url, only.webp_url):
        with Image.open(upload_folder / url.removeprefix(media.URL_PREFIX)) as stored:
            upright = stored.convert("RGB")
            assert upright.size == (480, 720)
            top, bottom = upright.getpixel((240, 100)), upright.getpixel((240, 620))
            assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # the left (red) half is now on top


def test_renditions_exist_at_each_width_up_to_the_photo_in_webp_and_jpeg(session, editor, upload_folder):
    image = media.store_image(session, phone_jpeg((2000, 1500)), editor)
    assert (image.width, image.height) == (1600, 1200)
    assert [(item.width, item.height) for item in media.renditions(image)] == [(480, 360), (960, 720), (1600, 1200)]
    for item in media.renditions(image):
        for url, image_format in ((item.webp_url, "WEBP"), (item.jpeg_url, "JPEG")):
            assert url.startswith("/_upload/" + image.file_stem)
            with Image.open(upload_folder / url.removeprefix("/_upload/")) as stored:
                assert (stored.format, stored.size) == (image_format, (item.width, item.height))
    assert sorted(path.name for path in upload_folder.iterdir()) == sorted(
        f"{image.file_stem}-{width}.{extension}" for width in (480, 960, 1600) for extension in ("webp", "jpg")
    )
    assert media.srcset(image, "webp") == ", ".join(
        f"/_upload/{image.file_stem}-{w}.webp {w}w" for w in (480, 960, 1600)
    )
    assert media.srcset(image, "jpeg").endswith(f"/_upload/{image.file_stem}-1600.jpg 1600w")
    assert media.fallback_url(image) == f"/_upload/{image.file_stem}-960.jpg"
    assert media.thumbnail_url(image) == f"/_upload/{image.file_stem}-480.webp"


@pytest.mark.parametrize(("size", "widths"), [((1000, 500), [480, 960]), ((300, 200), [300])])
def test_a_photo_is_never_enlarged(session, editor, upload_folder, size, widths):
    image = media.store_image(session, phone_jpeg(size), editor)
    assert [item.width for item in media.renditions(image)] == widths
    assert media.fallback_url(image).endswith(f"-{widths[len(widths) // 2]}.jpg")


def test_a_transparent_png_gets_a_white_background_in_jpeg_and_keeps_alpha_in_webp(session, editor, upload_folder):
    output = io.BytesIO()
    Image.new("RGBA", (600, 400), (0, 0, 0, 0)).save(output, format="PNG")
    image = media.store_image(session, output.getvalue(), editor)
    [item] = media.renditions(image)
    with Image.open(upload_folder / item.jpeg_url.removeprefix("/_upload/")) as jpeg:
        assert jpeg.convert("RGB").getpixel((10, 10)) == (255, 255, 255)
    with Image.open(upload_folder / item.webp_url.removeprefix("/_upload/")) as webp:
        assert webp.mode == "RGBA" and webp.getpixel((10, 10))[3] == 0


def test_the_original_is_not_kept_unless_the_setting_asks(session, editor, upload_folder, monkeypatch):
    plain = media.store_image(session, phone_jpeg((1000, 800)), editor)
    assert not plain.has_original and not list(upload_folder.glob("*-original.*"))
    monkeypatch.setenv("KEEP_ORIGINAL_IMAGES", "1")
    kept = media.store_image(session, phone_jpeg((1000, 800)), editor)
    [original] = upload_folder.glob(f"{kept.file_stem}-original.*")
    assert kept.has_original and original in media.stored_files(kept)
    with Image.open(original) as stored:
        assert stored.size == (1000, 800) and len(stored.getexif()) == 0
    assert SERIAL.encode() not in original.read_bytes()


def test_an_upload_is_a_row_and_an_audit_entry(session, editor, upload_folder):
    image = media.store_image(session, phone_jpeg(), editor)
    assert session.get(MediaImage, image.id).created_by == editor.id
    entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "media_image")).one()
    assert (entry.action, entry.entity_id, entry.editor_email) == ("upload", image.id, editor.email)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (png_header_only(100_000, 100_000), "admin_error_image_pixels"),  # a decompression bomb: 10 gigapixels declared
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
            "admin_error_image_type",
        ),  # SVG named .jpg
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "admin_error_image_type"),  # HTML named .jpg
        (
            b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>",
            "admin_error_image_unreadable",
        ),  # HTML behind a JPEG's magic
        (b"", "admin_error_image_empty"),
    ],
)
def test_bombs_and_polyglots_are_refused_and_leave_nothing(session, editor, upload_folder, data, reason):
    with pytest.raises(UploadRejected) as rejected:
        media.store_image(session, data, editor)
    assert rejected.value.reason_key == reason
    assert not upload_folder.exists() or list(upload_folder.iterdir()) == []
    assert session.exec(select(MediaImage)).all() == []


def test_script_appended_to_a_real_jpeg_does_not_survive(session, editor, upload_folder):
    image = media.store_image(session, phone_jpeg() + b"<script>alert(1)</script>", editor)
    for path in media.stored_files(image):
        assert b"<script" not in path.read_bytes()


def test_stored_photo_builder_describes_through_the_library(session, editor, upload_folder):
    image = stored_photo(session, editor, (1000, 700), alt_en="Marchers", alt_es="Manifestantes")
    assert (image.alt_en, image.alt_es, image.width) == ("Marchers", "Manifestantes", 960)
