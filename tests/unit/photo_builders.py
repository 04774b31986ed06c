"""Real photos for the photo tests, made with Pillow: a phone's JPEG with GPS and a serial, and stored library photos."""

import io

from PIL import Image
from sqlmodel import Session

from vws_app.models import Editor, MediaImage
from vws_app.services import media, media_library

SERIAL = "SERIAL-0042033"
CAMERA = "PhoneModel X"


def phone_jpeg(size: tuple[int, int] = (1200, 800), orientation: int = 1) -> bytes:
    """A JPEG as a phone writes it: `size` stored pixels, left half red and right half blue, with
    EXIF orientation, camera make and model, a body serial (tag 42033) and a GPS position (tag 34853)."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = CAMERA
    exif.get_ifd(0x8769)[42033] = SERIAL  # BodySerialNumber, in the EXIF sub-directory
    exif.get_ifd(34853).update({1: "N", 2: (10.0, 30.0, 15.0), 3: "W", 4: (66.0, 55.0, 1.0)})  # GPSInfo
    photo = Image.new("RGB", size, (0, 0, 220))
    photo.paste((220, 0, 0), (0, 0, size[0] // 2, size[1]))
    output = io.BytesIO()
    photo.save(output, format="JPEG", quality=90, exif=exif.tobytes())
    return output.getvalue()


def stored_photo(
    session: Session,
    editor: Editor | None,
    size: tuple[int, int] = (2000, 1500),
    *,
    alt_en: str = "",
    alt_es: str = "",
    credit_name: str = "",
    credit_url: str = "",
    credit_licence: str = "",
) -> MediaImage:
    """A photo stored through the media library's own services (files in UPLOAD_DIR), described as given."""
    image = media.store_image(session, phone_jpeg(size), editor)
    if any((alt_en, alt_es, credit_name, credit_url, credit_licence)):
        image = media_library.update_details(
            session,
            image.id,
            editor,
            alt_en=alt_en,
            alt_es=alt_es,
            credit_name=credit_name,
            credit_url=credit_url,
            credit_licence=credit_licence,
        )
    return image
