"""A post's photo as readers get it: renditions to choose from, the size that keeps its place, alt text, credit.

One description (`PostPicture`) feeds the live pages (`components/post_picture.py`) and the HTML
the server writes for robots and readers without JavaScript (`picture_html`), so both offer the
same files and the browser fetches one of them once. `sizes` says how wide each layout draws
the picture, so a phone picks the 480 px rendition before any layout is done.
"""

import dataclasses
import html

from sqlmodel import Session, col, select

from vws_app.i18n import translate
from vws_app.models import MediaImage, Post
from vws_app.services import media
from vws_app.services.image_credit import alt_text, credit_text, is_web_address
from vws_app.services.row_ids import id_of

# How wide each layout draws a post's picture (`styles.py`: the main column is at most 60rem,
# less its side padding of 1rem, 1.5rem from 520 px and 2rem from 768 px).
POST_SIZES = (
    "(max-width: 519px) calc(100vw - 2rem), (max-width: 767px) calc(100vw - 3rem), "
    "(max-width: 959px) calc(100vw - 4rem), 896px"
)
# A card spans the column less its own padding (1.25rem a side: `styles.CARD_STYLE`).
WIDE_CARD_SIZES = (
    "(max-width: 519px) calc(100vw - 4.5rem), (max-width: 767px) calc(100vw - 5.5rem), "
    "(max-width: 959px) calc(100vw - 6.5rem), 856px"
)
# The home page's grid puts two cards in a row from 768 px, 1rem apart.
GRID_CARD_SIZES = (
    "(max-width: 519px) calc(100vw - 4.5rem), (max-width: 767px) calc(100vw - 5.5rem), "
    "(max-width: 959px) calc(50vw - 5rem), 400px"
)
# The server's text for readers without JavaScript: 48rem at most, 1rem a side (`server/page_shell.py`).
SERVER_TEXT_SIZES = "(max-width: 767px) calc(100vw - 2rem), 736px"


@dataclasses.dataclass(frozen=True)
class PostPicture:
    """A post's image on file, ready to draw; `src` is empty when the post has none."""

    src: str = ""  # the JPEG for browsers that read no `srcset`
    webp_srcset: str = ""
    jpeg_srcset: str = ""
    width: int = 0  # of the image itself: with `height`, the box the page keeps for it before it arrives
    height: int = 0
    alt: str = ""  # in the post's language
    credit_en: str = ""  # "Photo: …", in each reader's language
    credit_es: str = ""
    credit_url: str = ""  # only ever an http(s) address
    first: bool = False  # the first image of its page: fetched at once and first, never lazily


def picture_of(image: MediaImage, language: str, *, first: bool = False) -> PostPicture:
    """`image` as a post in `language` shows it."""
    return PostPicture(
        src=media.fallback_url(image),
        webp_srcset=media.srcset(image, "webp"),
        jpeg_srcset=media.srcset(image, "jpeg"),
        width=image.width,
        height=image.height,
        alt=alt_text(image, language),
        credit_en=credit_text(image, "en"),
        credit_es=credit_text(image, "es"),
        credit_url=image.credit_url.strip() if is_web_address(image.credit_url.strip()) else "",
        first=first,
    )


def image_of(session: Session, post: Post) -> MediaImage | None:
    """The image on file that `post` shows, if any."""
    return session.get(MediaImage, post.media_image_id) if post.media_image_id else None


def images_of(session: Session, posts: list[Post]) -> dict[int, MediaImage]:
    """The images a list of posts shows, by id, in one query."""
    ids = {post.media_image_id for post in posts if post.media_image_id}
    if not ids:
        return {}
    return {id_of(image): image for image in session.exec(select(MediaImage).where(col(MediaImage.id).in_(ids))).all()}


def has_picture(post: Post) -> bool:
    """Whether `post` shows a photo: one on file, or the address of an older upload."""
    return bool(post.media_image_id or post.image_path)


def source_line(post: Post) -> str:
    """A free-text credit with no photo to stand under, as the post's source line; "" otherwise.

    Posts from the original site carry such credits ("Photograph by the New York Times")
    for pictures that were never copied here.
    """
    return post.image_credit.strip() if post.image_credit.strip() and not has_picture(post) else ""


def source_line_text(post: Post) -> str:
    """`source_line` labelled in the post's language ("Source: …"); "" when there is none."""
    source = source_line(post)
    return translate("photo_view_source", post.language, source=source) if source else ""


def source_line_html(post: Post) -> str:
    """`source_line_text` as the server writes it."""
    text = source_line_text(post)
    return f'<p class="post-source">{html.escape(text)}</p>' if text else ""


def credit_html(text: str, url: str, language: str) -> str:
    """A credit line, linked to the photographer's or source's page when there is one."""
    if not text:
        return ""
    words = html.escape(text)
    if url:  # an http(s) address (`picture_of`)
        words = f'<a href="{html.escape(url)}" rel="noopener">{words}</a>'
    return f'<figcaption class="post-credit" lang="{language}">{words}</figcaption>'


def picture_html(picture: PostPicture, sizes: str, credit_language: str) -> str:
    """`<figure><picture>` with WebP and JPEG renditions, its size reserved, its credit under it."""
    escape = html.escape
    loading = 'loading="eager" fetchpriority="high"' if picture.first else 'loading="lazy"'
    credit = picture.credit_es if credit_language == "es" else picture.credit_en
    return (
        '<figure class="post-figure"><picture>'
        f'<source type="image/webp" srcset="{escape(picture.webp_srcset)}" sizes="{escape(sizes)}"/>'
        f'<img src="{escape(picture.src)}" srcset="{escape(picture.jpeg_srcset)}" sizes="{escape(sizes)}"'
        f' width="{picture.width}" height="{picture.height}" alt="{escape(picture.alt)}" {loading} decoding="async"/>'
        f"</picture>{credit_html(credit, picture.credit_url, credit_language)}</figure>"
    )


def post_picture_html(session: Session, post: Post) -> str:
    """What stands above a post's text in the server's HTML: its photo and credit, or its source line."""
    image = image_of(session, post)
    if image is not None:
        return picture_html(picture_of(image, post.language, first=True), SERVER_TEXT_SIZES, post.language)
    return source_line_html(post)  # an older upload (`image_path`) shows only in the live page, as before
