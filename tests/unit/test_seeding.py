"""First-run content: the original site's posts and texts go in once and never over an editor's work."""

from datetime import UTC, datetime

from sqlmodel import select

from vws_app.models import Post, PostStatus, SiteText, as_utc
from vws_app.services.content import list_posts, published_post, published_translation, site_texts
from vws_app.services.seeding import load_seed_content, seed_database

MYANMAR_EN = "We Stand in Solidarity with the Democratic Struggle in Myanmar"
MYANMAR_ES = "Nos Solidarizamos con la Lucha Democrática en Myanmar-Birmania"
US_VENEZUELA = "Statement on US-Venezuela relations"


def _post(session, title: str) -> Post:
    return session.exec(select(Post).where(Post.title == title)).one()


def _count(session, model) -> int:
    return len(session.exec(select(model)).all())


def test_first_run_adds_four_posts_and_four_site_texts(session):
    assert seed_database(session) == 8
    assert _count(session, Post) == 4
    assert _count(session, SiteText) == 4
    assert {(text.key, text.language) for text in session.exec(select(SiteText))} == {
        ("mission", "en"),
        ("mission", "es"),
        ("goal", "en"),
        ("goal", "es"),
    }


def test_second_run_adds_nothing(session):
    seed_database(session)
    assert seed_database(session) == 0
    assert _count(session, Post) == 4
    assert _count(session, SiteText) == 4


def test_seeded_posts_are_published_excerpts_with_their_original_dates(session):
    seed_database(session)
    posts = session.exec(select(Post)).all()
    assert all(post.status == PostStatus.PUBLISHED.value for post in posts)
    assert all(post.body_is_excerpt and post.body == post.excerpt and post.body for post in posts)
    assert as_utc(_post(session, US_VENEZUELA).published_at) == datetime(2021, 3, 8, 12, tzinfo=UTC)


def test_seeded_posts_match_the_seed_file(session):
    seed_database(session)
    expected = {(item["title"], item["language"], item["category"]) for item in load_seed_content()["posts"]}
    assert {(post.title, post.language, post.category) for post in session.exec(select(Post))} == expected


def test_seeded_posts_get_unique_slugs_from_their_titles(session):
    seed_database(session)
    slugs = [post.slug for post in session.exec(select(Post))]
    assert len(set(slugs)) == 4
    assert _post(session, MYANMAR_ES).slug == "nos-solidarizamos-con-la-lucha-democratica-en-myanmar-birmania"
    assert published_post(session, "statement-on-us-venezuela-relations").title == US_VENEZUELA


def test_myanmar_posts_share_a_translation_key_and_link_to_each_other(session):
    seed_database(session)
    english, spanish = _post(session, MYANMAR_EN), _post(session, MYANMAR_ES)
    assert english.translation_key == spanish.translation_key
    assert published_translation(session, english).id == spanish.id
    assert published_translation(session, spanish).id == english.id


def test_untranslated_seed_posts_have_their_own_keys(session):
    seed_database(session)
    keys = [post.translation_key for post in session.exec(select(Post))]
    assert len(set(keys)) == 3


def test_seeded_site_lists_one_version_of_each_text_per_language(session):
    seed_database(session)
    spanish = [card.title for card in list_posts(session, "es").cards]
    english = [card.title for card in list_posts(session, "en").cards]
    assert MYANMAR_ES in spanish and MYANMAR_EN not in spanish
    assert MYANMAR_EN in english and MYANMAR_ES not in english
    assert len(spanish) == len(english) == 3


def test_reseeding_never_overwrites_an_edited_site_text(session):
    seed_database(session)
    mission = session.exec(select(SiteText).where(SiteText.key == "mission", SiteText.language == "es")).one()
    mission.body = "Texto editado por el equipo."
    session.add(mission)
    session.commit()
    assert seed_database(session) == 0
    assert site_texts(session, "es")["mission"] == "Texto editado por el equipo."


def test_reseeding_keeps_an_edited_post_body(session):
    seed_database(session)
    post = _post(session, US_VENEZUELA)
    post.body, post.body_is_excerpt = "The full statement.", False
    session.add(post)
    session.commit()
    assert seed_database(session) == 0
    session.refresh(post)
    assert (post.body, post.body_is_excerpt) == ("The full statement.", False)


def test_reseeding_does_not_bring_back_a_deleted_site_text(session):
    seed_database(session)
    goal = session.exec(select(SiteText).where(SiteText.key == "goal", SiteText.language == "es")).one()
    session.delete(goal)
    session.commit()
    assert seed_database(session) == 0
    assert _count(session, SiteText) == 3


def test_seeding_a_custom_content_file_uses_it(session):
    content = {
        "site_texts": [{"key": "mission", "language": "en", "body": "Test mission"}],
        "posts": [
            {
                "translation_group": "g",
                "language": "en",
                "title": "Hello",
                "category": "news",
                "published_at": "2022-01-02T03:04:05+00:00",
                "image_credit": "",
                "excerpt": "Hi",
            },
            {
                "translation_group": "g",
                "language": "es",
                "title": "Hola",
                "category": "news",
                "published_at": "2022-01-02T03:04:05+00:00",
                "image_credit": "",
                "excerpt": "Hola",
            },
        ],
    }
    assert seed_database(session, content) == 3
    assert _post(session, "Hello").translation_key == _post(session, "Hola").translation_key


def test_reseeding_after_retitling_a_translated_post_does_not_fail(session):
    seed_database(session)
    spanish = _post(session, MYANMAR_ES)
    spanish.title = "Nos solidarizamos con la lucha democrática en Myanmar"
    session.add(spanish)
    session.commit()
    assert seed_database(session) == 0


def test_reseeding_after_retitling_a_post_adds_no_duplicate(session):
    seed_database(session)
    post = _post(session, US_VENEZUELA)
    post.title = "Statement on US–Venezuela relations (March 2021)"
    session.add(post)
    session.commit()
    assert seed_database(session) == 0
    assert _count(session, Post) == 4


def test_reseeding_does_not_bring_back_a_deleted_post(session):
    seed_database(session)
    session.delete(_post(session, US_VENEZUELA))
    session.commit()
    assert seed_database(session) == 0
    assert published_post(session, "statement-on-us-venezuela-relations") is None
