"""Draw the site's mark and its pictures from one geometry: the SVG mark, PNG icons, link previews.

The mark is a crimson rounded square with a white "V" and a bar beneath it (workers joined
under one line). Run after changing the geometry, the colours or the site's name, and commit
what it writes:

    .venv/bin/python scripts/make_brand_images.py

It writes `assets/favicon.svg` (the mark: the header's logo and the browser icon),
`assets/favicon-32.png` and `assets/apple-touch-icon.png` (for browsers without SVG icons) and
one 1200×630 Open Graph picture per language (`assets/og-image.png`, `assets/og-image-es.png`)
with the site's name and description from the catalogues.
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vws_app.i18n import translate  # noqa: E402

ASSETS = ROOT / "assets"
CRIMSON = "#b3123c"  # white on it: 6.9:1
INK = "#21201c"
PAPER = "#fdfdfc"
SIZE = 64  # the SVG's own units
V_SHAPE = [(13, 12), (24, 12), (32, 35), (40, 12), (51, 12), (38, 44), (26, 44)]
BAR = (13, 49, 51, 54)  # left, top, right, bottom
RADIUS = 12
OG_SIZE = (1200, 630)
OG_FILES = {"en": "og-image.png", "es": "og-image-es.png"}
BOLD_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
]
REGULAR_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


def mark_svg() -> str:
    """The mark as a small SVG document."""
    points = " ".join(f"{x},{y}" for x, y in V_SHAPE)
    left, top, right, bottom = BAR
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">'
        f'<rect width="{SIZE}" height="{SIZE}" rx="{RADIUS}" fill="{CRIMSON}"/>'
        f'<polygon points="{points}" fill="#fff"/>'
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" rx="1" fill="#fff"/>'
        "</svg>\n"
    )


def draw_mark(image: Image.Image, origin: tuple[int, int], size: int) -> None:
    """The mark drawn on `image` at `origin`, `size` pixels wide."""
    draw = ImageDraw.Draw(image)
    scale = size / SIZE
    x0, y0 = origin

    def at(x: float, y: float) -> tuple[float, float]:
        return x0 + x * scale, y0 + y * scale

    draw.rounded_rectangle([at(0, 0), at(SIZE, SIZE)], radius=RADIUS * scale, fill=CRIMSON)
    draw.polygon([at(x, y) for x, y in V_SHAPE], fill="white")
    left, top, right, bottom = BAR
    draw.rounded_rectangle([at(left, top), at(right, bottom)], radius=scale, fill="white")


def icon_png(size: int) -> Image.Image:
    """The mark alone as a square PNG, drawn large and scaled down for smooth edges."""
    large = Image.new("RGBA", (size * 8, size * 8), (0, 0, 0, 0))
    draw_mark(large, (0, 0), size * 8)
    return large.resize((size, size), Image.LANCZOS)


def _font(candidates: list[str], size: int) -> ImageFont.FreeTypeFont:
    for path in candidates:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    raise SystemExit(f"none of these fonts is installed: {candidates}")


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """`text` in lines no wider than `width` pixels."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def og_image(language: str) -> Image.Image:
    """The link-preview picture in `language`: the mark, the site's name, its one-line description, a crimson rule."""
    image = Image.new("RGB", OG_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    margin = 90
    draw_mark(image, (margin, margin), 150)
    title = _font(BOLD_FONTS, 76)
    y = 280
    for line in _wrapped(draw, translate("site_name", language), title, OG_SIZE[0] - 2 * margin):
        draw.text((margin, y), line, font=title, fill=INK)
        y += 92
    tagline = _font(REGULAR_FONTS, 36)
    y += 16
    for line in _wrapped(draw, translate("site_description", language), tagline, OG_SIZE[0] - 2 * margin)[:3]:
        draw.text((margin, y), line, font=tagline, fill=INK)
        y += 48
    draw.rectangle([0, OG_SIZE[1] - 24, OG_SIZE[0], OG_SIZE[1]], fill=CRIMSON)
    return image


def main() -> None:
    (ASSETS / "favicon.svg").write_text(mark_svg(), encoding="utf-8")
    icon_png(32).save(ASSETS / "favicon-32.png", optimize=True)
    icon_png(180).save(ASSETS / "apple-touch-icon.png", optimize=True)
    for language, name in OG_FILES.items():
        og_image(language).quantize(colors=64).save(ASSETS / name, optimize=True)
        print(f"wrote assets/{name}")


if __name__ == "__main__":
    main()
