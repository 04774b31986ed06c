"""A photo's words: its descriptions, its credit as data (who, link, licence), and how both are shown and published.

Credit is structured so the same facts appear under the photo, in Open Graph and JSON-LD and in
the feed, each in the reader's language, and so a licence is a choice from a short list, not
free text that drifts ("CC-BY", "cc by 4", "Creative Commons").
"""

import dataclasses
from urllib.parse import urlsplit

from vws_app.i18n import OTHER_LANGUAGE, normalise_language, translate
from vws_app.models import MediaImage
from vws_app.services import media

ALT_MAX_LENGTH = 500
CREDIT_NAME_MAX_LENGTH = 200
CREDIT_URL_MAX_LENGTH = 500
CREDIT_SEPARATOR = " · "


@dataclasses.dataclass(frozen=True)
class Licence:
    """One licence a photo may be published under: its catalogue key and, where one exists, its text's address."""

    label_key: str
    url: str = ""


# The short list editors pick from, in the order the form shows it; "" (not given) is allowed too.
LICENCES: dict[str, Licence] = {
    "permission": Licence("licence_permission"),
    "cc-by": Licence("licence_cc_by", "https://creativecommons.org/licenses/by/4.0/"),
    "cc-by-sa": Licence("licence_cc_by_sa", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "cc0": Licence("licence_cc0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "public-domain": Licence("licence_public_domain", "https://creativecommons.org/publicdomain/mark/1.0/"),
    "own-work": Licence("licence_own_work"),
}


def licence_label(code: str, language: str) -> str:
    """The licence's name in `language`; "" for no licence or an unknown code."""
    licence = LICENCES.get(code)
    return translate(licence.label_key, language) if licence else ""


def licence_url(code: str) -> str:
    """The address of the licence's text, or "" (no text online, or no licence)."""
    licence = LICENCES.get(code)
    return licence.url if licence else ""


def alt_text(image: MediaImage, language: str) -> str:
    """The description in `language`, else the other language's (better than none), else ""."""
    language = normalise_language(language)
    texts = {"en": image.alt_en.strip(), "es": image.alt_es.strip()}
    return texts[language] or texts[OTHER_LANGUAGE[language]]


def missing_alt_languages(image: MediaImage) -> list[str]:
    """The languages ("en", "es") whose description is still empty."""
    return [language for language, text in (("en", image.alt_en), ("es", image.alt_es)) if not text.strip()]


def credit_line(image: MediaImage, language: str) -> str:
    """Who and under which licence, without the "Photo:" prefix: "Ana Pérez · CC BY 4.0"; "" when neither is given."""
    parts = [part for part in (image.credit_name.strip(), licence_label(image.credit_licence, language)) if part]
    return CREDIT_SEPARATOR.join(parts)


def credit_text(image: MediaImage, language: str) -> str:
    """The credit shown under the photo: "Photo: Ana Pérez · CC BY 4.0" / "Foto: …"; "" when there is none."""
    line = credit_line(image, language)
    return translate("photo_credit", language, credit=line) if line else ""


def image_object(image: MediaImage, base_url: str, language: str) -> dict:
    """The photo as a schema.org `ImageObject` for JSON-LD: its largest JPEG, size, caption and credit.

    `base_url` is the site's address (no trailing slash needed): JSON-LD wants absolute URLs.
    Keys without a value are left out rather than sent empty.
    """
    top = media.largest(image)
    address = base_url.rstrip("/") + top.jpeg_url
    found: dict = {
        "@type": "ImageObject",
        "contentUrl": address,
        "url": address,
        "width": top.width,
        "height": top.height,
    }
    caption = alt_text(image, language)
    if caption:
        found["caption"] = caption
    name = image.credit_name.strip()
    if name:
        found["creditText"] = name
        creator = {"@type": "Person", "name": name}
        if image.credit_url.strip():
            creator["url"] = image.credit_url.strip()
        found["creator"] = creator
    if licence_url(image.credit_licence):
        found["license"] = licence_url(image.credit_licence)
    return found


def is_web_address(text: str) -> bool:
    """True for an absolute http(s) address with a host: the only links a credit may carry."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in text)


def detail_errors(alt_en: str, alt_es: str, credit_name: str, credit_url: str, credit_licence: str) -> dict[str, str]:
    """What is wrong with a photo's descriptions and credit, field → catalogue key; {} when all is well.

    Empty fields are allowed here (a photo may wait in the library undescribed); publishing a
    post with it asks for both descriptions (`media_library.alt_text_errors`).
    """
    errors: dict[str, str] = {}
    for field, text in (("alt_en", alt_en), ("alt_es", alt_es)):
        if len(text.strip()) > ALT_MAX_LENGTH:
            errors[field] = "admin_error_too_long"
    if len(credit_name.strip()) > CREDIT_NAME_MAX_LENGTH:
        errors["credit_name"] = "admin_error_too_long"
    url = credit_url.strip()
    if len(url) > CREDIT_URL_MAX_LENGTH:
        errors["credit_url"] = "admin_error_too_long"
    elif url and not is_web_address(url):
        errors["credit_url"] = "admin_error_media_credit_url"
    if credit_licence and credit_licence not in LICENCES:
        errors["credit_licence"] = "admin_error_media_licence"
    return errors
