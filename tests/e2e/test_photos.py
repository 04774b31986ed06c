"""A post's photo in Chromium against the production build: the rendition that fits the screen, no layout
shift, the credit in the reader's language, axe clean; and a free-text credit as the post's source line."""

import io
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session

from tests.e2e.conftest import LiveApp
from tests.e2e.test_accessibility import SEED_POST, expect_no_serious_violations
from tests.e2e.waits import expect_language_saved
from vws_app.i18n import translate
from vws_app.models import Editor, MediaImage, Post, PostStatus, utc_now
from vws_app.services import media, media_library
from vws_app.services.database import engine_for
from vws_app.services.image_credit import credit_text
from vws_app.services.slugs import slug_from_title

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
IMAGE_SIZE = (2400, 1600)
CREDIT_URL = "https://photos.example.org/ana-perez"
PICTURE = "main article picture img"
# Sums every layout shift the page makes (from its first paint, `buffered`), as Lighthouse's CLS counts them.
COUNT_LAYOUT_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { if (!entry.hadRecentInput) window.__layoutShift += entry.value; }
}).observe({type: 'layout-shift', buffered: true});
"""


def photo_bytes() -> bytes:
    """A camera-sized JPEG with some texture, so each rendition is a real file of its own size."""
    image = Image.effect_mandelbrot(IMAGE_SIZE, (-2.2, -1.2, 1.0, 1.2), 60).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def photo_post(live_app: LiveApp) -> Iterator[tuple[Post, MediaImage]]:
    """A published post with a credited photo, its renditions written where this server serves `/_upload/`."""
    marker = uuid.uuid4().hex[:8]
    engine = engine_for(live_app.database_url)
    with pytest.MonkeyPatch.context() as patch, Session(engine) as session:
        patch.setenv("UPLOAD_DIR", str(live_app.upload_dir))  # `store_image` writes to UPLOAD_DIR
        editor = Editor(email=f"photos-{marker}@example.org", display_name="Photo desk", password_hash="not-a-hash")
        session.add(editor)
        session.commit()
        image = media.store_image(session, photo_bytes(), editor)
        image = media_library.update_details(
            session,
            image.id,
            editor,
            alt_en="Workers march with a banner down a wide avenue",
            alt_es="Trabajadores marchan con una pancarta por una avenida",
            credit_name="Ana Pérez",
            credit_url=CREDIT_URL,
            credit_licence="cc-by",
        )
        post = Post(
            slug=f"a-march-in-pictures-{marker}",
            language="en",
            title=f"A march in pictures {marker}",
            excerpt="Thousands marched.",
            body="Thousands marched for their wages.\n\nSecond paragraph.",
            status=PostStatus.PUBLISHED.value,
            published_at=utc_now() - timedelta(hours=1),
            media_image_id=image.id,
        )
        session.add(post)
        session.commit()
        session.refresh(post)
        session.refresh(image)
        session.expunge_all()
    try:
        yield post, image
    finally:
        with Session(engine) as session:
            session.delete(session.get(Post, post.id))
            session.commit()


def open_post(
    new_context: Callable[..., BrowserContext],
    post: Post,
    viewport: dict,
    locale: str = "en-US",
    requests: list[str] | None = None,
) -> Page:
    """The post's live page at `viewport` (device pixel ratio 1), its photo loaded; image addresses go to `requests`."""
    context = new_context(locale=locale, viewport=viewport, device_scale_factor=1)
    context.add_init_script(COUNT_LAYOUT_SHIFTS)
    page = context.new_page()
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url) if "/_upload/" in request.url else None)
    page.goto(f"/posts/{post.slug}")
    expect(page.locator("main h1")).to_have_text(post.title)
    expect_language_saved(page)
    page.wait_for_function(
        f"() => {{ const img = document.querySelector({PICTURE!r});"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    return page


def current_source(page: Page) -> str:
    return page.eval_on_selector(PICTURE, "img => img.currentSrc")


def test_a_phone_fetches_only_the_smallest_rendition(new_context, live_app: LiveApp, photo_post):
    post, image = photo_post
    requests: list[str] = []
    page = open_post(new_context, post, PHONE, requests=requests)
    smallest = media.renditions(image)[0]
    assert smallest.width == min(media.RENDITION_WIDTHS)
    assert current_source(page) == live_app.url(smallest.webp_url)
    assert set(requests) == {live_app.url(smallest.webp_url)}  # nothing larger, no JPEG beside it


def test_a_wide_screen_fetches_a_larger_rendition(new_context, live_app: LiveApp, photo_post):
    post, image = photo_post
    requests: list[str] = []
    page = open_post(new_context, post, DESKTOP, requests=requests)
    drawn = page.eval_on_selector(PICTURE, "img => img.getBoundingClientRect().width")
    fitting = next(each for each in media.renditions(image) if each.width >= drawn)
    assert fitting.width > min(media.RENDITION_WIDTHS)
    assert current_source(page) == live_app.url(fitting.webp_url)
    assert set(requests) == {live_app.url(fitting.webp_url)}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_photo_keeps_its_box_so_nothing_shifts(new_context, photo_post, viewport: dict):
    post, image = photo_post
    page = open_post(new_context, post, viewport)
    img = page.locator(PICTURE)
    expect(img).to_have_attribute("width", str(image.width))
    expect(img).to_have_attribute("height", str(image.height))
    expect(img).to_have_attribute("loading", "eager")
    expect(img).to_have_attribute("fetchpriority", "high")
    box = img.bounding_box()
    assert box is not None and abs(box["height"] - box["width"] * image.height / image.width) < 1.5
    assert page.evaluate("() => window.__layoutShift") == 0


@pytest.mark.parametrize("locale, language", [("en-US", "en"), ("es-VE", "es")])
def test_the_credit_shows_in_the_readers_language_linked_to_its_source(
    new_context, photo_post, locale: str, language: str
):
    post, image = photo_post
    page = open_post(new_context, post, DESKTOP, locale=locale)
    expect(page.locator("html")).to_have_attribute("lang", language)
    credit = page.locator("main article figcaption.post-credit")
    expect(credit).to_have_text(credit_text(image, language))
    expect(credit).to_have_attribute("lang", language)
    expect(credit.locator("a")).to_have_attribute("href", CREDIT_URL)
    expect(page.locator(PICTURE)).to_have_attribute("alt", image.alt_en)  # the post's language
    expect_no_serious_violations(page)


def test_home_page_leads_with_the_photo_and_stays_axe_clean(new_context, photo_post):
    post, image = photo_post
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    featured = page.locator(".featured-post picture img")
    expect(featured).to_have_attribute("alt", image.alt_en)
    expect(featured).to_have_attribute("loading", "eager")
    expect(page.locator(".featured-post h3")).to_have_text(post.title)
    expect_no_serious_violations(page)


def test_without_javascript_the_server_html_offers_the_same_small_rendition(new_context, live_app: LiveApp, photo_post):
    post, image = photo_post
    context = new_context(viewport=PHONE, device_scale_factor=1, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/posts/{post.slug}")
    img = page.locator("#server-rendered-text picture img")
    expect(img).to_have_attribute("alt", image.alt_en)
    page.wait_for_function(
        "() => { const img = document.querySelector('#server-rendered-text picture img');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    assert img.evaluate("img => img.currentSrc") == live_app.url(media.renditions(image)[0].webp_url)
    expect(page.locator("#server-rendered-text figcaption")).to_have_text(credit_text(image, "en"))


def test_a_credit_with_no_picture_on_file_is_the_posts_source_line(page: Page):
    page.goto(f"/posts/{slug_from_title(SEED_POST['title'])}")
    source = translate("photo_view_source", SEED_POST["language"], source=SEED_POST["image_credit"])
    expect(page.locator("#post-source")).to_have_text(source)
    expect(page.locator("main article picture")).to_have_count(0)
