"""The image library in a real browser at 375 px: upload, describe and credit a photo, choose it for a post,
insert it into the text, publishing refused without descriptions, delete refused while in use and done when not."""

import re
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.admin_helpers import admin_fixtures, open_new_post_form, sign_in
from tests.e2e.conftest import LiveApp
from tests.unit.photo_builders import SERIAL, phone_jpeg
from vws_app.i18n.en import MESSAGES as EN

RUN = uuid.uuid4().hex[:8]
EMAIL = f"photos-{RUN}@example.com"
PHONE = {"width": 375, "height": 800}
NO_SIDEWAYS_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth"
ALT_EN, ALT_ES = f"Nurses march in Caracas {RUN}", f"Enfermeras marchan en Caracas {RUN}"
CREDIT = "Photo: Ana Pérez · CC BY 4.0"

editor, leftovers_removed, admin = admin_fixtures(RUN, EMAIL)


def _photo_file(tmp_path: Path, name: str, size: tuple[int, int]) -> str:
    path = tmp_path / name
    path.write_bytes(phone_jpeg(size))
    return str(path)


def _fits(page: Page) -> bool:
    page.wait_for_load_state("networkidle")
    return page.evaluate(NO_SIDEWAYS_SCROLL)


def test_a_photo_goes_through_the_library_into_a_post_at_375px(new_context, editor: str, live_app: LiveApp, tmp_path):
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, editor)
    page.goto("/admin/posts")
    page.locator("#admin-media-link").click()
    expect(page).to_have_url(re.compile(r"/admin/media$"))
    expect(page.locator("h1")).to_have_text(EN["admin_media_title"])

    # Upload: the details form of the new photo opens; its thumbnail is the 480 px WebP, without metadata.
    page.locator("#media-upload input[type=file]").set_input_files(_photo_file(tmp_path, "IMG_0001.jpg", (2000, 1500)))
    expect(page.locator("#admin-notice")).to_have_text(EN["admin_media_uploaded"])
    card = page.locator(".media-image").filter(has=page.locator("#media-details-form"))
    thumb = card.locator("img")
    expect(thumb).to_have_attribute("src", re.compile(r"^/_upload/[0-9a-f]{32}-480\.webp$"))
    stem = re.search(r"([0-9a-f]{32})-480", thumb.get_attribute("src")).group(1)
    expect(thumb).to_have_js_property("naturalWidth", 480)
    for width, extension in ((480, "webp"), (960, "jpg"), (1600, "jpg")):
        served = page.request.get(f"{live_app.base_url}/_upload/{stem}-{width}.{extension}")
        assert served.ok and SERIAL.encode() not in served.body() and b"Exif" not in served.body()
    assert _fits(page), "/admin/media is wider than 375 px with its details form open"

    # Describe and credit it: a link that is not a web address is refused, nothing typed is lost.
    page.locator("#media-alt_en").fill(ALT_EN)
    page.locator("#media-alt_es").fill(ALT_ES)
    page.locator("#media-credit_name").fill("Ana Pérez")
    page.locator("#media-credit_url").fill("javascript:alert(1)")
    page.locator("#media-credit_licence").select_option("cc-by")
    page.locator("#media-save").click()
    expect(page.locator("#media-credit_url-error")).to_have_text(EN["admin_error_media_credit_url"])
    expect(page.locator("#media-alt_en")).to_have_value(ALT_EN)
    page.locator("#media-credit_url").fill("https://ana.example.org")
    page.locator("#media-save").click()
    expect(page.locator("#admin-notice")).to_have_text(EN["admin_media_saved"])
    described = page.locator(".media-image").filter(has_text=ALT_EN)
    expect(described).to_contain_text(CREDIT)
    expect(described).to_contain_text(EN["admin_media_unused"])
    assert _fits(page)

    # A post: choose the photo from the library, and insert it into the text with the toolbar.
    open_new_post_form(page)
    page.locator("#post-title").fill(f"Strike {RUN}")
    page.locator(f'#post-image-library img[alt="{ALT_EN}"]').click()
    expect(page.locator("#post-image-chosen")).to_contain_text(ALT_ES)
    page.locator("#post-body").fill("The march.")
    page.locator(".md-image").click()
    expect(page.locator("#post-body")).to_have_value(
        re.compile(re.escape(f'![{ALT_EN}](/_upload/{stem}-960.jpg "{CREDIT}")'))
    )
    expect(page.locator("#post-preview figure figcaption")).to_have_text(CREDIT)
    assert _fits(page), "the post editor is wider than 375 px with a photo chosen"

    # A new upload from the editor joins the library and is chosen; without descriptions it cannot be published.
    page.locator("#post-image input[type=file]").set_input_files(_photo_file(tmp_path, "IMG_0002.jpg", (1200, 900)))
    expect(page.locator("#post-image-chosen")).to_contain_text(EN["admin_media_missing_alt"])
    page.locator("#post-status").select_option("published")
    page.locator("#post-save").click()
    expect(page.locator("#post-media_image_id-error")).to_have_text(EN["admin_error_media_alt_missing_both"])
    page.locator("#post-status").select_option("draft")
    page.locator("#post-save").click()
    expect(page.locator("#admin-notice")).to_have_text(EN["admin_saved"])

    # In the library: the photo the post shows cannot be deleted; the unused one goes, files and all.
    page.goto("/admin/media")
    used = page.locator(".media-image").filter(has_text=f"Strike {RUN}")
    expect(used).to_have_count(1)
    used.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete", exact=True).click()
    expect(used.locator("#media-delete-error")).to_have_text(EN["admin_error_media_in_use"])
    described.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator("#admin-notice")).to_have_text(EN["admin_media_deleted"])
    expect(described).to_have_count(0)
    assert page.request.get(f"{live_app.base_url}/_upload/{stem}-960.jpg").status == 404
