"""Featured image uploads: the real type decides, the size is capped, the name is ours."""

import re

import pytest

from vws_app.services import uploads
from vws_app.services.uploads import MAX_IMAGE_BYTES, UploadRejected, save_image
from vws_app.settings import PROJECT_ROOT

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


@pytest.mark.parametrize(
    ("data", "extension"), [(JPEG, ".jpg"), (PNG, ".png"), (GIF, ".gif"), (b"GIF87a" + GIF[6:], ".gif"), (WEBP, ".webp")]
)
def test_each_allowed_type_is_stored_under_a_random_name(tmp_path, data, extension):
    name = save_image(data, "photo" + extension, tmp_path)
    assert re.fullmatch(r"[0-9a-f]{32}" + re.escape(extension), name)
    assert (tmp_path / name).read_bytes() == data


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
    at_limit = PNG + b"\x00" * (MAX_IMAGE_BYTES - len(PNG))
    assert (tmp_path / save_image(at_limit, "big.png", tmp_path)).stat().st_size == MAX_IMAGE_BYTES
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
