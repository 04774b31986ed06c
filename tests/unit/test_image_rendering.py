"""A post's photo as the server writes it for robots, link previews, feeds and readers without JavaScript.

Renditions in a `<picture>` with `srcset`/`sizes`, the image's own width and height, the first
image not lazy; the credit under it, in the Open Graph tags, in JSON-LD and in the RSS item;
a free-text credit with no picture on file as the post's source line.
"""

import json
import re
from html.parser import HTMLParser

import feedparser
import pytest
from sqlmodel import select

from tests.unit.content_builders import add_post, days_ago
from tests.unit.photo_builders import stored_photo
from tests.unit.test_seo import TagCollector
from vws_app.i18n import translate
from vws_app.models import Post
from vws_app.server.feeds import rss_feed
from vws_app.services import content, media
from vws_app.services.home_page import featured_first
from vws_app.services.image_credit import credit_text
from vws_app.services.post_pictures import SERVER_TEXT_SIZES
from vws_app.services.seeding import seed_database
from vws_app.services.seo import DESCRIPTION_LENGTH, fallback_body, head_tags, post_meta

SITE = "https://vws.example"
ALT_EN = "Workers march with a banner down a wide avenue"
ALT_ES = "Trabajadores marchan con una pancarta por una avenida"
CREDIT_URL = "https://photos.example.org/ana"


@pytest.fixture(autouse=True)
def public_address(monkeypatch, tmp_path):
    """Absolute links come from SITE_URL; renditions go to a folder of this test's own."""
    monkeypatch.setenv("SITE_URL", SITE)
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))


@pytest.fixture
def photo(session, editor):
    """A 2000×1500 photo on file with both descriptions and a linked CC BY credit."""
    return stored_photo(
        session,
        editor,
        (2000, 1500),
        alt_en=ALT_EN,
        alt_es=ALT_ES,
        credit_name="Ana Pérez",
        credit_url=CREDIT_URL,
        credit_licence="cc-by",
    )


def with_photo(session, post: Post, image) -> Post:
    """`post` showing `image`, as the editor's form saves it (`image_path`: its fallback JPEG)."""
    post.media_image_id, post.image_path = image.id, media.fallback_url(image)
    session.add(post)
    session.commit()
    session.refresh(post)
    return post


class Pictures(HTMLParser):
    """Each `<picture>`'s sources and img, and each figcaption's text and links."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.sources: list[dict[str, str]] = []
        self.imgs: list[dict[str, str]] = []
        self.captions: list[str] = []
        self.caption_links: list[str] = []
        self._in_caption = False
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "source":
            self.sources.append(attributes)
        elif tag == "img":
            self.imgs.append(attributes)
        elif tag == "figcaption":
            self._in_caption = True
            self.captions.append("")
        elif tag == "a" and self._in_caption:
            self.caption_links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self._in_caption = False

    def handle_data(self, data):
        if self._in_caption:
            self.captions[-1] += data


def test_server_html_offers_webp_and_jpeg_renditions_in_the_box_of_the_image(session, photo):
    post = with_photo(session, add_post(session, "With a photo"), photo)
    markup = Pictures(fallback_body(post_meta(session, post.slug)))
    [source], [img] = markup.sources, markup.imgs
    renditions = media.renditions(photo)
    assert [each.width for each in renditions] == list(media.RENDITION_WIDTHS)
    assert source["type"] == "image/webp" and source["srcset"] == media.srcset(photo, "webp")
    assert all(f"{each.webp_url} {each.width}w" in source["srcset"] for each in renditions)
    assert img["srcset"] == media.srcset(photo, "jpeg") and img["src"] == media.fallback_url(photo)
    assert source["sizes"] == img["sizes"] == SERVER_TEXT_SIZES
    assert (
        (img["width"], img["height"]) == ("1600", "1200") == (str(photo.width), str(photo.height))
    )  # the largest rendition
    assert img["alt"] == ALT_EN
    assert (img["loading"], img["fetchpriority"]) == ("eager", "high")  # the page's first image


def test_spanish_post_describes_its_photo_in_spanish_and_credits_it_in_spanish(session, photo):
    post = with_photo(session, add_post(session, "Con una foto", language="es"), photo)
    markup = Pictures(fallback_body(post_meta(session, post.slug)))
    assert markup.imgs[0]["alt"] == ALT_ES
    assert markup.captions == [credit_text(photo, "es")]


def test_credit_stands_under_the_photo_linked_to_its_source(session, photo):
    post = with_photo(session, add_post(session, "Credited"), photo)
    body = fallback_body(post_meta(session, post.slug))
    markup = Pictures(body)
    assert markup.captions == [credit_text(photo, "en")] and "Ana Pérez" in markup.captions[0]
    assert markup.caption_links == [CREDIT_URL]
    assert body.index("<picture>") < body.index("</figcaption>") < body.index('class="post-body"')


def test_link_preview_shows_the_largest_jpeg_rendition_with_its_size_description_and_credit(session, photo):
    post = with_photo(session, add_post(session, "Previewed"), photo)
    meta = post_meta(session, post.slug)
    tags = TagCollector(head_tags(meta))
    largest = media.renditions(photo)[-1]
    assert tags.meta("property", "og:image") == [f"{SITE}{largest.jpeg_url}"]
    assert tags.meta("property", "og:image:width") == [str(largest.width)]
    assert tags.meta("property", "og:image:height") == [str(largest.height)]
    assert tags.meta("property", "og:image:alt") == [ALT_EN]
    assert tags.meta("name", "twitter:image:alt") == [ALT_EN]
    assert tags.meta("name", "description") == [f"Excerpt of Previewed {credit_text(photo, 'en')}"]


def test_credit_is_left_out_of_a_description_it_does_not_fit(session, photo):
    post = with_photo(session, add_post(session, "Long"), photo)
    post.excerpt = "word " * 80
    session.add(post)
    session.commit()
    description = post_meta(session, post.slug).description
    assert len(description) <= DESCRIPTION_LENGTH and "Ana Pérez" not in description


def test_json_ld_names_the_photo_as_an_image_object_with_credit_and_licence(session, photo):
    post = with_photo(session, add_post(session, "Structured <data>"), photo)
    tags = head_tags(post_meta(session, post.slug))
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', tags)
    assert "<data>" not in block  # escaped inside the script block
    data = json.loads(block)
    assert data["@type"] == "Article" and data["headline"] == "Structured <data>"
    image = data["image"]
    assert image["@type"] == "ImageObject"
    assert image["creditText"] and "Ana Pérez" in image["creditText"]
    assert image["license"].startswith("https://creativecommons.org/licenses/by/")


def test_rss_item_carries_the_photo_and_its_credit(session, photo, app_database):
    post = with_photo(session, add_post(session, "In the feed", published_at=days_ago(1)), photo)
    feed = feedparser.parse(rss_feed(session, "en"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    [entry] = [entry for entry in feed.entries if entry.title == post.title]
    largest = media.renditions(photo)[-1]
    assert entry.media_content == [
        {
            "url": f"{SITE}{largest.jpeg_url}",
            "type": "image/jpeg",
            "medium": "image",
            "width": str(largest.width),
            "height": str(largest.height),
        }
    ]
    assert credit_text(photo, "en") in entry.summary
    figure = Pictures(entry.content[0].value)
    assert figure.imgs[0]["alt"] == ALT_EN and figure.imgs[0]["src"].startswith(f"{SITE}/")


def test_a_credit_with_no_picture_on_file_is_the_posts_source_line(session):
    seed_database(session)
    english = session.exec(select(Post).where(Post.language == "en", Post.image_credit != "")).one()
    spanish = session.exec(select(Post).where(Post.language == "es", Post.image_credit != "")).one()
    body = fallback_body(post_meta(session, english.slug))
    assert "<picture>" not in body and "<img" not in body
    assert '<p class="post-source">Source: Photograph by the New York Times</p>' in body
    assert translate("photo_view_source", "es", source="Fotografía del New York Times") in fallback_body(
        post_meta(session, spanish.slug)
    )


def test_older_upload_keeps_its_preview_and_no_source_line(session):
    post = add_post(session, "Older upload")
    post.image_path, post.image_credit = "/_upload/old.jpg", "Photo by a member"
    session.add(post)
    session.commit()
    meta = post_meta(session, post.slug)
    assert meta.image == "/_upload/old.jpg" and meta.image_width == 0 and not meta.json_ld
    assert "post-source" not in fallback_body(meta) and "<picture>" not in fallback_body(meta)


def test_only_the_first_picture_of_a_list_is_fetched_at_once(session, photo, editor):
    other = stored_photo(
        session,
        editor,
        (1200, 800),
        alt_en="A meeting",
        alt_es="Una reunión",
        credit_name="Luis",
        credit_licence="own-work",
    )
    add_post(session, "No picture", published_at=days_ago(1))
    with_photo(session, add_post(session, "Second newest", published_at=days_ago(2)), photo)
    with_photo(session, add_post(session, "Oldest", published_at=days_ago(3)), other)
    cards = content.latest_posts(session, "es")
    assert [(card.title, card.picture.first) for card in cards if card.picture.src] == [
        ("Second newest", True),
        ("Oldest", False),
    ]
    assert cards[1].picture.alt == ALT_EN  # the post's language, whatever the reader's
    assert (cards[1].picture.credit_en, cards[1].picture.credit_es) == (
        credit_text(photo, "en"),
        credit_text(photo, "es"),
    )
    featured, _others = featured_first(cards)
    assert featured[0].title == "Second newest"
