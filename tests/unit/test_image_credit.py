"""Credit as data: a licence from the short list, shown in the reader's language, and as schema.org's ImageObject."""

import pytest

from vws_app.i18n import CATALOGUES
from vws_app.models import MediaImage
from vws_app.services import image_credit
from vws_app.services.image_credit import LICENCES, credit_text, detail_errors, image_object


def photo(**fields) -> MediaImage:
    """A library row as stored (no files needed: these rules read the row only)."""
    return MediaImage(**{"file_stem": "abc123", "width": 1600, "height": 1067, **fields})


def test_the_short_list_is_the_issues_and_each_has_a_name_in_both_languages():
    assert set(LICENCES) == {"permission", "cc-by", "cc-by-sa", "cc0", "public-domain", "own-work"}
    for licence in LICENCES.values():
        assert CATALOGUES["en"][licence.label_key] and CATALOGUES["es"][licence.label_key]
        assert licence.url == "" or licence.url.startswith("https://creativecommons.org/")
    assert LICENCES["cc-by"].url == "https://creativecommons.org/licenses/by/4.0/"
    assert LICENCES["permission"].url == "" and LICENCES["own-work"].url == ""


@pytest.mark.parametrize(
    ("fields", "english", "spanish"),
    [
        (
            {"credit_name": "Ana Pérez", "credit_licence": "cc-by"},
            "Photo: Ana Pérez · CC BY 4.0",
            "Foto: Ana Pérez · CC BY 4.0",
        ),
        (
            {"credit_name": "Reuters", "credit_licence": "permission"},
            "Photo: Reuters · All rights reserved, used with permission",
            "Foto: Reuters · Todos los derechos reservados, usada con permiso",
        ),
        ({"credit_licence": "public-domain"}, "Photo: Public domain", "Foto: Dominio público"),
        ({"credit_name": "VWS"}, "Photo: VWS", "Foto: VWS"),
        ({}, "", ""),
    ],
)
def test_credit_text_is_in_the_readers_language(fields, english, spanish):
    assert credit_text(photo(**fields), "en") == english
    assert credit_text(photo(**fields), "es") == spanish


def test_image_object_carries_the_largest_jpeg_its_size_caption_and_credit():
    image = photo(
        alt_en="Nurses march in Caracas",
        alt_es="Enfermeras marchan en Caracas",
        credit_name="Ana Pérez",
        credit_url="https://ana.example.org",
        credit_licence="cc-by-sa",
    )
    found = image_object(image, "https://vws.example.org/", "es")
    assert found == {
        "@type": "ImageObject",
        "contentUrl": "https://vws.example.org/_upload/abc123-1600.jpg",
        "url": "https://vws.example.org/_upload/abc123-1600.jpg",
        "width": 1600,
        "height": 1067,
        "caption": "Enfermeras marchan en Caracas",
        "creditText": "Ana Pérez",
        "creator": {"@type": "Person", "name": "Ana Pérez", "url": "https://ana.example.org"},
        "license": "https://creativecommons.org/licenses/by-sa/4.0/",
    }


def test_image_object_leaves_out_what_is_not_known():
    found = image_object(photo(width=800, height=600, credit_licence="own-work"), "https://vws.example.org", "en")
    assert set(found) == {"@type", "contentUrl", "url", "width", "height"}
    assert (
        found["contentUrl"].endswith("/_upload/abc123-480.jpg") and found["width"] == 480
    )  # the widest made of 800 px


def test_a_missing_description_falls_back_to_the_other_language():
    assert image_credit.alt_text(photo(alt_en="Marchers"), "es") == "Marchers"
    assert image_credit.missing_alt_languages(photo(alt_en="Marchers", alt_es="  ")) == ["es"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "example.org",
        "https://",
        "http://a b.org",
        "data:text/html,<b>x</b>",
    ],
)
def test_a_credit_link_must_be_a_web_address(url):
    assert detail_errors("", "", "Ana", url, "cc-by") == {"credit_url": "admin_error_media_credit_url"}


def test_valid_details_pass_and_wrong_ones_are_named():
    assert detail_errors("A", "B", "Ana", "https://ana.example.org/photos?id=1", "cc0") == {}
    assert detail_errors("", "", "", "", "") == {}
    assert detail_errors("x" * 501, "", "y" * 201, "", "gpl") == {
        "alt_en": "admin_error_too_long",
        "credit_name": "admin_error_too_long",
        "credit_licence": "admin_error_media_licence",
    }
    for key in ("admin_error_media_credit_url", "admin_error_media_licence"):
        assert CATALOGUES["en"][key] != CATALOGUES["es"][key]
