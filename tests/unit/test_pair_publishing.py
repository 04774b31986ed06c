"""Posts as pairs: translate copies the shared fields, publish and schedule both in the organisation's time,
unpublish one or both, keep shared fields in step, and list a text that exists only in the other language."""

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from tests.unit.content_builders import add_post, add_translation
from vws_app.models import AuditEntry, LetterSignOn, Post, PostStatus, utc_now
from vws_app.server.feeds import rss_feed, sitemap_xml
from vws_app.services import content, editorial, letters_public, pair_publishing, seo
from vws_app.services.editorial import PostInput, ValidationFailed
from vws_app.services.org_time import local_input_to_utc, utc_to_local_input
from vws_app.services.search import search

NEW_YORK = ZoneInfo("America/New_York")


def _actions(session, action: str) -> list[int | None]:
    return list(session.exec(select(AuditEntry.entity_id).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _pair(session, editor, **fields) -> tuple[Post, Post]:
    english = editorial.create_post(session, PostInput(title="Free the workers", body="Text", **fields), editor)
    return english, pair_publishing.translate(session, english.id, editor)


# Translate


def test_translate_makes_a_linked_draft_with_the_shared_fields(session, editor):
    dated = datetime(2024, 5, 1, 16, tzinfo=UTC)
    english = editorial.create_post(
        session,
        PostInput(
            title="Open letter to the unions",
            body="Text",
            category="open_letter",
            image_path="/_upload/a.jpg",
            image_credit="Photo: Ana",
            status="published",
            published_at=dated,
        ),
        editor,
    )
    session.add(LetterSignOn(translation_key=english.translation_key, is_open=True))
    session.commit()
    spanish = pair_publishing.translate(session, english.id, editor)
    assert (spanish.language, spanish.translation_key, spanish.status) == ("es", english.translation_key, "draft")
    assert (spanish.category, spanish.image_path, spanish.image_credit) == (
        "open_letter",
        "/_upload/a.jpg",
        "Photo: Ana",
    )
    assert spanish.published_at.replace(tzinfo=UTC) == dated
    assert (spanish.title, spanish.body) == ("Open letter to the unions", "")
    assert letters_public.letter_of_post(session, spanish.translation_key) is not None  # sign-on is the pair's
    assert _actions(session, "translate") == [spanish.id]


def test_translate_twice_opens_the_same_draft(session, editor):
    english, spanish = _pair(session, editor)
    assert pair_publishing.translate(session, english.id, editor).id == spanish.id
    assert pair_publishing.translate(session, spanish.id, editor).id == english.id
    assert len(session.exec(select(Post)).all()) == 2


# Publish and schedule both


def test_publish_pair_publishes_both_now_in_one_action(session, editor):
    english, spanish = _pair(session, editor)
    pair_publishing.publish_pair(session, spanish.id, editor)
    for post in (english, spanish):
        session.refresh(post)
        assert post.status == "published" and post.published_at.replace(tzinfo=UTC) <= utc_now()
    assert sorted(_actions(session, "publish")) == sorted([english.id, spanish.id])
    assert {card.slug for card in content.list_posts(session, "es").cards} == {spanish.slug}


def test_publish_pair_keeps_a_past_publish_date(session, editor):
    dated = datetime(2021, 4, 12, 12, tzinfo=UTC)
    english, spanish = _pair(session, editor, published_at=dated)
    pair_publishing.publish_pair(session, english.id, editor)
    assert {session.get(Post, post.id).published_at.replace(tzinfo=UTC) for post in (english, spanish)} == {dated}


def test_a_post_without_a_translation_cannot_be_published_as_a_pair(session, editor):
    alone = add_post(session, "Alone", status="draft")
    with pytest.raises(ValidationFailed) as failed:
        pair_publishing.publish_pair(session, alone.id, editor)
    assert failed.value.errors == {"pair": "admin_error_no_translation"}


@pytest.mark.parametrize(
    "typed, utc",
    [
        ("2027-03-13T09:00", datetime(2027, 3, 13, 14, tzinfo=UTC)),  # Eastern Standard Time, UTC-5
        ("2027-03-14T09:00", datetime(2027, 3, 14, 13, tzinfo=UTC)),  # clocks went forward that night: UTC-4
        ("2027-03-14T02:30", datetime(2027, 3, 14, 7, 30, tzinfo=UTC)),  # a time that does not exist: 03:30 EDT
        ("2027-11-07T01:30", datetime(2027, 11, 7, 5, 30, tzinfo=UTC)),  # happens twice: the first (EDT)
    ],
)
def test_schedule_pair_stores_new_york_wall_time_as_utc(session, editor, typed, utc):
    english, spanish = _pair(session, editor)
    pair_publishing.schedule_pair(session, english.id, local_input_to_utc(typed, NEW_YORK), editor)
    for post in (english, spanish):
        stored = session.get(Post, post.id)
        assert (stored.status, stored.published_at.replace(tzinfo=UTC)) == ("published", utc)
    if typed != "2027-03-14T02:30":
        assert utc_to_local_input(utc, NEW_YORK) == typed
    assert sorted(_actions(session, "schedule")) == sorted([english.id, spanish.id])


def test_schedule_in_the_past_or_malformed_is_refused(session, editor):
    english, _spanish = _pair(session, editor)
    with pytest.raises(ValidationFailed) as failed:
        pair_publishing.schedule_pair(session, english.id, utc_now() - timedelta(minutes=1), editor)
    assert failed.value.errors == {"schedule_at": "admin_error_schedule_past"}
    assert local_input_to_utc("next tuesday", NEW_YORK) is None


def _visible_everywhere(session, slugs: set[str]) -> dict[str, bool]:
    """Where the two slugs can be seen by visitors and robots."""
    feeds = rss_feed(session, "en").decode() + rss_feed(session, "es").decode()
    found = {item.url.rsplit("/", 1)[-1] for item in search(session, "tranvía", "es").items}
    return {
        "lists": slugs <= {card.slug for lang in ("en", "es") for card in content.list_posts(session, lang).cards},
        "counts": content.count_posts(session, "es") == 1,
        "sitemap": all(slug in sitemap_xml(session) for slug in slugs),
        "feeds": all(slug in feeds for slug in slugs),
        "search": slugs <= found,
        "page": all(content.published_post(session, slug) is not None for slug in slugs),
    }


def test_a_pair_scheduled_seconds_ahead_appears_on_time_in_lists_feeds_sitemap_and_search(session, editor, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://vws.example")
    english = editorial.create_post(session, PostInput(title="Tram strike", body="The tranvía strike"), editor)
    spanish = pair_publishing.translate(session, english.id, editor)
    editorial.update_post(
        session,
        spanish.id,
        PostInput(
            title="Huelga del tranvía",
            slug=spanish.slug,
            language="es",
            translation_of_id=english.id,
            body="La huelga del tranvía",
            aligned_with_translation=True,
        ),
        editor,
    )
    slugs = {english.slug, spanish.slug}
    assert content.count_posts(session, "es") == 0  # remembered now: the schedule must still show on time
    at = utc_now() + timedelta(seconds=2)
    pair_publishing.schedule_pair(session, english.id, at, editor)
    assert not any(_visible_everywhere(session, slugs).values())
    deadline = time.monotonic() + 15
    while utc_now() < at and time.monotonic() < deadline:
        time.sleep(0.1)  # waits for the clock to pass the scheduled moment, not for our code
    assert _visible_everywhere(session, slugs) == dict.fromkeys(
        ("lists", "counts", "sitemap", "feeds", "search", "page"), True
    )


# Unpublish one or both


def test_unpublish_takes_off_one_version_or_both(session, editor):
    english, spanish = _pair(session, editor)
    pair_publishing.publish_pair(session, english.id, editor)
    pair_publishing.unpublish(session, english.id, editor, with_other=False)
    assert (session.get(Post, english.id).status, session.get(Post, spanish.id).status) == ("draft", "published")
    pair_publishing.publish_pair(session, english.id, editor)
    changed = pair_publishing.unpublish(session, spanish.id, editor, with_other=True)
    assert {post.id for post in changed} == {english.id, spanish.id}
    assert {session.get(Post, post.id).status for post in (english, spanish)} == {PostStatus.DRAFT.value}


# Shared fields in step


def test_applying_shared_fields_copies_category_and_image_to_the_other_version_audited(session, editor):
    english, spanish = _pair(session, editor)
    editorial.update_post(
        session,
        english.id,
        PostInput(
            title=english.title,
            slug=english.slug,
            body=english.body,
            category="news",
            image_path="/_upload/b.png",
            image_credit="Photo: Luis",
            translation_of_id=spanish.id,
        ),
        editor,
    )
    english = session.get(Post, english.id)
    assert pair_publishing.differing_shared_fields(english, spanish) == ["category", "image_path", "image_credit"]
    assert pair_publishing.apply_shared_fields(session, english.id, editor) == [
        "category",
        "image_path",
        "image_credit",
    ]
    spanish = session.get(Post, spanish.id)
    assert (spanish.category, spanish.image_path, spanish.image_credit) == ("news", "/_upload/b.png", "Photo: Luis")
    [summary] = session.exec(select(AuditEntry.summary).where(AuditEntry.action == "sync")).all()
    assert "category, image_path, image_credit" in summary
    assert pair_publishing.apply_shared_fields(session, english.id, editor) == []


# Readers: a text in one language only


def test_a_post_only_in_english_is_listed_for_spanish_readers_with_its_language(session):
    only_english = add_post(session, "Only in English", published_at=datetime(2024, 1, 2, tzinfo=UTC))
    both = add_post(session, "In both", published_at=datetime(2024, 1, 1, tzinfo=UTC))
    add_translation(session, both, "En ambos")
    spanish_cards = content.list_posts(session, "es").cards
    assert [(card.title, card.only_in_language) for card in spanish_cards] == [
        ("Only in English", "en"),
        ("En ambos", ""),
    ]
    assert [card.only_in_language for card in content.latest_posts(session, "en")] == ["", ""]
    assert only_english.slug in rss_feed(session, "es").decode()
    assert seo.post_meta(session, only_english.slug).alternates["x-default"] == f"/posts/{only_english.slug}"
