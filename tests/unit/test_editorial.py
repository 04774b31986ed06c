"""The editors' post services: validation, slugs, translations, publishing, audit, admin search."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from tests.unit.content_builders import add_post, add_translation
from vws_app.models import AuditEntry, Post, as_utc, utc_now
from vws_app.services import content, editorial
from vws_app.services.editorial import NotFound, PostInput, ValidationFailed

T0 = datetime(2024, 5, 1, 12, tzinfo=UTC)


@contextmanager
def counting_commits(session: Session):
    """A list that gets one item per commit `session` makes inside the block."""
    commits: list[int] = []
    listener = lambda _session: commits.append(1)  # noqa: E731
    event.listen(session, "after_commit", listener)
    try:
        yield commits
    finally:
        event.remove(session, "after_commit", listener)


def audit_actions(session: Session, entity: str = "post") -> list[tuple[str, int | None]]:
    rows = session.exec(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)).all()
    return [(row.action, row.entity_id) for row in rows]


def draft(title: str = "Solidaridad con los trabajadores", **fields) -> PostInput:
    return PostInput(title=title, **fields)


def test_create_saves_the_post_and_its_audit_entry_in_one_commit(session, engine, editor):
    with counting_commits(session) as commits:
        post = editorial.create_post(session, draft("Lucha Democrática", language="es", body="Texto"), editor)
    assert len(commits) == 1
    with Session(engine) as other:
        stored = other.get(Post, post.id)
        [entry] = other.exec(select(AuditEntry)).all()
    assert (stored.slug, stored.language, stored.status, stored.body) == ("lucha-democratica", "es", "draft", "Texto")
    assert (entry.action, entry.entity, entry.entity_id, entry.editor_id) == ("create", "post", post.id, editor.id)
    assert "Lucha Democrática" in entry.summary


def test_every_wrong_field_is_reported_at_once_and_nothing_is_saved(session, editor):
    data = draft("  ", language="fr", category="poem", status="archived", image_credit="x" * 301)
    with pytest.raises(ValidationFailed) as failed:
        editorial.create_post(session, data, editor)
    assert failed.value.errors == {
        "title": "admin_error_title_required",
        "language": "admin_error_language_invalid",
        "category": "admin_error_category_invalid",
        "status": "admin_error_status_invalid",
        "image_credit": "admin_error_too_long",
    }
    assert session.exec(select(Post)).all() == [] and audit_actions(session) == []


def test_title_longer_than_300_characters_is_refused(session, editor):
    editorial.create_post(session, draft("t" * 300), editor)
    with pytest.raises(ValidationFailed) as failed:
        editorial.create_post(session, draft("t" * 301), editor)
    assert failed.value.errors == {"title": "admin_error_title_too_long"}


def test_slug_from_the_title_is_made_unique_automatically(session, editor):
    first = editorial.create_post(session, draft("Free the workers"), editor)
    second = editorial.create_post(session, draft("Free the workers"), editor)
    assert (first.slug, second.slug) == ("free-the-workers", "free-the-workers-2")


def test_typed_slug_is_normalised_and_refused_when_taken(session, editor):
    typed = editorial.create_post(session, draft("Anything", slug="  Carta Abierta! "), editor)
    assert typed.slug == "carta-abierta"
    with pytest.raises(ValidationFailed) as failed:
        editorial.create_post(session, draft("Other", slug="carta-abierta"), editor)
    assert failed.value.errors == {"slug": "admin_error_slug_taken"}


def test_update_keeps_its_own_slug_and_bumps_updated_at(session, editor):
    post = editorial.create_post(session, draft("Original title"), editor)
    before = as_utc(post.updated_at)
    changed = editorial.update_post(session, post.id, draft("New title", slug="original-title"), editor)
    assert (changed.title, changed.slug) == ("New title", "original-title")
    assert as_utc(changed.updated_at) >= before
    assert audit_actions(session) == [("create", post.id), ("update", post.id)]


def test_excerpt_only_flag_is_kept_unless_the_form_sets_it(session, editor):
    post = editorial.create_post(session, draft(body_is_excerpt=True), editor)
    assert editorial.update_post(session, post.id, draft("Typo fixed"), editor).body_is_excerpt is True
    assert editorial.update_post(session, post.id, draft(body_is_excerpt=False), editor).body_is_excerpt is False
    assert editorial.create_post(session, draft("Fresh"), editor).body_is_excerpt is False


def test_update_with_an_empty_slug_derives_it_from_the_new_title(session, editor):
    post = editorial.create_post(session, draft("First"), editor)
    assert editorial.update_post(session, post.id, draft("Second"), editor).slug == "second"


def test_a_refused_update_changes_nothing(session, engine, editor):
    post = editorial.create_post(session, draft("Keep me"), editor)
    with pytest.raises(ValidationFailed):
        editorial.update_post(session, post.id, draft("", category="poem"), editor)
    with Session(engine) as other:
        assert other.get(Post, post.id).title == "Keep me"
    assert audit_actions(session) == [("create", post.id)]


def test_naive_publish_date_is_a_programming_error(session, editor):
    with pytest.raises(ValueError):
        editorial.create_post(session, draft(published_at=datetime(2024, 1, 1)), editor)


def test_drafts_are_not_visible_until_published(session, editor):
    post = editorial.create_post(session, draft("Hidden for now"), editor)
    assert post.published_at is None and content.published_post(session, post.slug) is None
    before = utc_now()
    published = editorial.set_post_status(session, post.id, "published", editor)
    assert before <= as_utc(published.published_at) <= utc_now()
    assert content.published_post(session, post.slug).id == post.id
    assert audit_actions(session)[-1] == ("publish", post.id)


def test_unpublishing_hides_the_post_and_keeps_its_date(session, editor):
    post = editorial.create_post(session, draft(status="published", published_at=T0), editor)
    assert content.published_post(session, post.slug) is not None
    hidden = editorial.set_post_status(session, post.id, "draft", editor)
    assert as_utc(hidden.published_at) == T0 and content.published_post(session, post.slug) is None
    assert audit_actions(session) == [("create", post.id), ("publish", post.id), ("unpublish", post.id)]


def test_setting_the_status_a_post_already_has_records_nothing(session, editor):
    post = editorial.create_post(session, draft(), editor)
    editorial.set_post_status(session, post.id, "draft", editor)
    assert audit_actions(session) == [("create", post.id)]


def test_publishing_with_a_date_keeps_that_date(session, editor):
    post = editorial.create_post(session, draft(published_at=T0), editor)
    assert as_utc(editorial.set_post_status(session, post.id, "published", editor).published_at) == T0


def test_creating_a_published_post_without_a_date_publishes_it_now(session, editor):
    post = editorial.create_post(session, draft(status="published"), editor)
    assert post.published_at is not None and content.published_post(session, post.slug) is not None
    assert audit_actions(session) == [("create", post.id), ("publish", post.id)]


def test_publishing_through_the_form_is_audited_as_update_and_publish(session, editor):
    post = editorial.create_post(session, draft(), editor)
    editorial.update_post(session, post.id, draft(status="published"), editor)
    assert audit_actions(session) == [("create", post.id), ("update", post.id), ("publish", post.id)]


def test_unknown_status_and_unknown_post_are_refused(session, editor):
    post = editorial.create_post(session, draft(), editor)
    with pytest.raises(ValidationFailed) as failed:
        editorial.set_post_status(session, post.id, "archived", editor)
    assert failed.value.errors == {"status": "admin_error_status_invalid"}
    for call in (
        lambda: editorial.set_post_status(session, 9999, "published", editor),
        lambda: editorial.update_post(session, 9999, draft(), editor),
        lambda: editorial.delete_post(session, 9999, editor),
    ):
        with pytest.raises(NotFound):
            call()


def test_delete_removes_the_post_audited_and_its_translation_stays(session, editor):
    original = editorial.create_post(session, draft("Statement", status="published"), editor)
    spanish = editorial.create_post(
        session, draft("Declaración", language="es", translation_of_id=original.id, status="published"), editor
    )
    editorial.delete_post(session, original.id, editor)
    assert session.get(Post, original.id) is None
    assert session.get(Post, spanish.id) is not None and content.published_translation(session, spanish) is None
    assert audit_actions(session)[-1] == ("delete", original.id)


def test_a_translation_takes_the_originals_key_and_the_pair_is_found(session, editor):
    english = editorial.create_post(session, draft("Solidarity", status="published"), editor)
    spanish = editorial.create_post(
        session, draft("Solidaridad", language="es", translation_of_id=english.id, status="published"), editor
    )
    assert spanish.translation_key == english.translation_key
    assert content.published_translation(session, english).id == spanish.id
    assert content.published_translation(session, spanish).id == english.id
    assert editorial.translation_partner(session, english.id).id == spanish.id


def test_a_translation_must_be_of_a_post_in_the_other_language(session, editor):
    english = editorial.create_post(session, draft("Solidarity"), editor)
    with pytest.raises(ValidationFailed) as same:
        editorial.create_post(session, draft("Also English", translation_of_id=english.id), editor)
    with pytest.raises(ValidationFailed) as missing:
        editorial.create_post(session, draft("Huérfano", language="es", translation_of_id=9999), editor)
    with pytest.raises(ValidationFailed) as itself:
        editorial.update_post(session, english.id, draft("Yo", language="es", translation_of_id=english.id), editor)
    assert same.value.errors == {"translation_of_id": "admin_error_translation_same_language"}
    assert missing.value.errors == {"translation_of_id": "admin_error_translation_not_found"}
    assert itself.value.errors == {"translation_of_id": "admin_error_translation_not_found"}


def test_a_text_has_one_translation_per_language(session, editor):
    english = editorial.create_post(session, draft("Solidarity"), editor)
    spanish = editorial.create_post(session, draft("Solidaridad", language="es", translation_of_id=english.id), editor)
    with pytest.raises(ValidationFailed) as failed:
        editorial.create_post(session, draft("Otra", language="es", translation_of_id=english.id), editor)
    assert failed.value.errors == {"translation_of_id": "admin_error_translation_taken"}
    resaved = editorial.update_post(
        session, spanish.id, draft("Solidaridad!", language="es", translation_of_id=english.id), editor
    )
    assert resaved.translation_key == english.translation_key


def test_clearing_the_translation_unlinks_the_pair(session, editor):
    english = editorial.create_post(session, draft("Solidarity", status="published"), editor)
    spanish = editorial.create_post(
        session, draft("Solidaridad", language="es", translation_of_id=english.id, status="published"), editor
    )
    editorial.update_post(session, spanish.id, draft("Solidaridad", language="es", status="published"), editor)
    session.refresh(english)
    assert spanish.translation_key != english.translation_key
    assert content.published_translation(session, english) is None
    assert editorial.translation_partner(session, english.id) is None


def test_a_post_without_a_partner_keeps_its_key_when_saved(session, editor):
    post = editorial.create_post(session, draft(), editor)
    key = post.translation_key
    assert editorial.update_post(session, post.id, draft("Renamed"), editor).translation_key == key


def test_translation_candidates_are_the_other_languages_posts(session, editor):
    english = add_post(session, "Solidarity", status="draft", published_at=None)
    paired_english = add_post(session, "Paired")
    paired_spanish = add_translation(session, paired_english, "Emparejado")
    spanish = add_post(session, "Solidaridad", language="es")
    assert {post.id for post in editorial.translation_candidates(session, "es")} == {english.id, paired_english.id}
    assert {post.id for post in editorial.translation_candidates(session, "en")} == {paired_spanish.id, spanish.id}
    free_for_new = editorial.translation_candidates(session, "es", hide_paired=True)
    assert [post.id for post in free_for_new] == [english.id]
    free_for_partner = editorial.translation_candidates(
        session, "es", hide_paired=True, editing_post_id=paired_spanish.id
    )
    assert {post.id for post in free_for_partner} == {english.id, paired_english.id}
    assert editorial.translation_candidates(session, "fr") == []


def test_admin_search_lists_drafts_too_newest_first(session):
    old = add_post(session, "Old statement", published_at=T0 - timedelta(days=30))
    new = add_post(session, "New statement", published_at=T0)
    unsaved_draft = add_post(session, "Draft in progress", status="draft", published_at=None)
    posts, total = editorial.search_posts(session)
    assert [post.id for post in posts] == [unsaved_draft.id, new.id, old.id] and total == 3


def test_admin_search_matches_title_and_slug_ignoring_case(session):
    accented = add_post(session, "Carta a la OIT", slug="carta-oit", language="es")
    add_post(session, "Another text", slug="another-text")
    add_post(session, "África unida", slug="africa-unida")
    assert [post.id for post in editorial.search_posts(session, query="CARTA")[0]] == [accented.id]
    assert [post.id for post in editorial.search_posts(session, query="rta-oi")[0]] == [accented.id]
    assert [post.title for post in editorial.search_posts(session, query="ÁFRICA")[0]] == ["África unida"]
    assert editorial.search_posts(session, query="%") == ([], 0)


def test_admin_search_filters_and_paginates(session):
    for day in range(5):
        add_post(session, f"News {day}", category="news", published_at=T0 + timedelta(days=day))
    add_post(session, "Borrador", language="es", status="draft", published_at=None)
    page, total = editorial.search_posts(session, category="news", page=2, per_page=2)
    assert [post.title for post in page] == ["News 2", "News 1"] and total == 5
    assert [post.title for post in editorial.search_posts(session, language="es", status="draft")[0]] == ["Borrador"]
    assert editorial.search_posts(session, status="archived") == ([], 0)
    assert len(editorial.search_posts(session, page=-3, per_page=0)[0]) == 1
