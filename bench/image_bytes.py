"""Bytes a phone downloads for a post page with a 4000×3000 photo: before (the original) and after (renditions).

Before: a post whose `image_path` names the upload as older posts stored it (the editor's JPEG
re-encoded at full size by `services/uploads.save_image`, what every reader was sent).
After: a post with the same photo on file (`services/media.store_image`): a `<picture>` of WebP
and JPEG renditions with `srcset`/`sizes`.
Both posts live in one production build (`app_server.running_app`). Each page load is a fresh
Chromium context (empty cache) at a 375 × 740 viewport, device pixel ratio 1 and 2, until the
page's photo has loaded and the network is quiet; every response's encoded body plus headers is
counted (Playwright's `request.sizes()`), images apart.

Run: .venv/bin/python bench/image_bytes.py [--loads 3]
"""

import argparse
import io
import os
import statistics
import sys
import uuid
from datetime import timedelta

from app_server import CHROMIUM, PROJECT_ROOT, running_app, save_results
from PIL import Image, ImageFilter
from playwright.sync_api import sync_playwright

PHOTO_SIZE = (4000, 3000)
VIEWPORT = {"width": 375, "height": 740}
PIXEL_RATIOS = (1, 2)
PHOTO_SELECTOR = "main article figure img"


def camera_photo() -> bytes:
    """A 4000×3000 JPEG that compresses like a photo (broad shapes, edges and sensor-like grain), at quality 92."""
    shapes = Image.effect_mandelbrot(PHOTO_SIZE, (-2.1, -1.1, 0.9, 1.15), 80)
    grain = [
        Image.effect_noise(PHOTO_SIZE, sigma).filter(ImageFilter.GaussianBlur(radius))
        for sigma, radius in ((48, 0.7), (40, 0.9), (44, 0.6))
    ]
    channels = [Image.blend(shapes, noise, 0.4) for noise in grain]
    buffer = io.BytesIO()
    Image.merge("RGB", channels).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def seed_posts(app, photo: bytes) -> dict[str, str]:
    """The two posts (before, after) in the running app's database; their slugs, and the files on disk."""
    from sqlmodel import Session

    from vws_app.models import Editor, Post, PostStatus, utc_now
    from vws_app.services import media, media_library, uploads
    from vws_app.services.database import engine_for

    upload_dir = app.root / "uploads"
    os.environ["UPLOAD_DIR"] = str(upload_dir)  # where `store_image` writes, the folder the app serves
    marker = uuid.uuid4().hex[:6]
    legacy_name = uploads.save_image(photo, "march.jpg", upload_dir)
    with Session(engine_for(app.database_url)) as session:
        editor = Editor(email=f"bench-{marker}@example.org", display_name="Bench", password_hash="not-a-hash")
        session.add(editor)
        session.commit()
        image = media.store_image(session, photo, editor)
        image = media_library.update_details(
            session,
            image.id,
            editor,
            alt_en="A march",
            alt_es="Una marcha",
            credit_name="Bench",
            credit_url="",
            credit_licence="own-work",
        )
        published = utc_now() - timedelta(hours=1)
        posts = {
            "before": Post(
                slug=f"before-{marker}",
                title="Before",
                body="Text.",
                status=PostStatus.PUBLISHED.value,
                published_at=published,
                image_path=f"/_upload/{legacy_name}",
            ),
            "after": Post(
                slug=f"after-{marker}",
                title="After",
                body="Text.",
                status=PostStatus.PUBLISHED.value,
                published_at=published,
                media_image_id=image.id,
            ),
        }
        session.add_all(posts.values())
        session.commit()
        files = {"original_as_served": (upload_dir / legacy_name).stat().st_size}
        for rendition in media.renditions(image):
            for kind, url in (("webp", rendition.webp_url), ("jpeg", rendition.jpeg_url)):
                files[f"{rendition.width}_{kind}"] = (upload_dir / url.removeprefix("/_upload/")).stat().st_size
        return {"slugs": {name: post.slug for name, post in posts.items()}, "files": files}


def load_once(browser, url: str, pixel_ratio: int) -> dict:
    """One cold page load: bytes of images and of everything, and which images were fetched."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=pixel_ratio)
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    page.wait_for_function(
        f"() => {{ const img = document.querySelector({PHOTO_SELECTOR!r});"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    page.wait_for_load_state("networkidle")
    total = images = 0
    fetched = []
    for request in finished:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        total += size
        if request.resource_type == "image" and "/_upload/" in request.url:
            images += size
            fetched.append(request.url.rsplit("/", 1)[-1])
    context.close()
    return {"image_bytes": images, "total_bytes": total, "requests": len(finished), "images_fetched": fetched}


def measure(base_url: str, slugs: dict[str, str], loads: int) -> dict:
    """Median bytes per variant and pixel ratio over `loads` cold loads."""
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for variant, slug in slugs.items():
            for ratio in PIXEL_RATIOS:
                runs = [load_once(browser, f"{base_url}/posts/{slug}", ratio) for _ in range(loads)]
                results[f"{variant}_dpr{ratio}"] = {
                    "image_bytes": statistics.median(run["image_bytes"] for run in runs),
                    "total_bytes": statistics.median(run["total_bytes"] for run in runs),
                    "requests": statistics.median(run["requests"] for run in runs),
                    "images_fetched": runs[-1]["images_fetched"],
                }
                print(variant, ratio, results[f"{variant}_dpr{ratio}"], flush=True)
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=3, help="cold loads per variant and pixel ratio (median kept)")
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT_ROOT))  # vws_app, for the services and the schema
    os.environ.pop("REFLEX_UPLOADED_FILES_DIR", None)  # the app serves its own UPLOAD_DIR (app_server sets it)
    photo = camera_photo()
    with running_app("image_bytes") as app:
        seeded = seed_posts(app, photo)
        results = measure(app.base_url, seeded["slugs"], args.loads)
    ratio = {
        f"dpr{dpr}": round(
            results[f"before_dpr{dpr}"]["image_bytes"] / max(1, results[f"after_dpr{dpr}"]["image_bytes"]), 1
        )
        for dpr in PIXEL_RATIOS
    }
    save_results(
        "image_bytes",
        {
            "photo": {"size": list(PHOTO_SIZE), "upload_bytes": len(photo)},
            "viewport": VIEWPORT,
            "files_on_disk": seeded["files"],
            "loads": results,
            "image_bytes_before_over_after": ratio,
        },
    )
    print(ratio)


if __name__ == "__main__":
    main()
