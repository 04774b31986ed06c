"""Translation status through edits: missing, stale and complete, the dashboard list, and marking up to date."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from tests.unit.content_builders import add_post, add_translation
from vws_app.models import AuditEntry, Post
from vws_app.services import editorial, pair_publishing, revisions, translation_status
from vws_app.services.editorial import PostInput, ValidationFailed
from vws_app.services.translation_status import COMPLETE, MISSING, STALE


def _input(post: Post, **changes) -> PostInput:
    """The form as it stands for `post`, with some fields changed."""
    fields = dict(
        title=post.title,
        slug=post.slug,
        language=post.language,
        excerpt=post.excerpt,
        body=post.body,
        image_path=post.image_path,
        image_credit=post.image_credit,
        category=post.category,
        status=post.status,
        published_at=post.published_at.replace(tzinfo=UTC) if post.published_at else None,
    )
    return PostInput(**(fields | changes))


def _partner_input(session, post: Post, **changes) -> PostInput:
    partner = translation_status.partner_of(session, post)
    return _input(post, translation_of_id=partner.id if partner else None, **changes)


def _state(session, post: Post) -> str:
    session.refresh(post)
    return translation_status.status_of(session, post).state


def test_an_english_post_alone_is_missing_its_spanish_version(session, editor):
    post = editorial.create_post(session, PostInput(title="Free the workers", body="Text"), editor)
    assert _state(session, post) == MISSING
    assert [(line.post_id, line.state) for line in translation_status.needs_translation(session)] == [
        (post.id, MISSING)
    ]


def test_translating_then_editing_the_original_goes_complete_then_stale(session, editor):
    english = editorial.create_post(session, PostInput(title="Free the workers", body="Text"), editor)
    spanish = pair_publishing.translate(session, english.id, editor)
    assert _state(session, english) == STALE  # the draft's text is not written yet
    assert translation_status.status_of(session, spanish).behind

    editorial.update_post(
        session,
        spanish.id,
        _partner_input(
            session, spanish, title="Liberen a los trabajadores", body="Texto", aligned_with_translation=True
        ),
        editor,
    )
    assert (_state(session, english), _state(session, spanish)) == (COMPLETE, COMPLETE)
    assert translation_status.needs_translation(session) == []

    editorial.update_post(session, english.id, _partner_input(session, english, body="Text, changed"), editor)
    english_view, spanish_view = (translation_status.status_of(session, post) for post in (english, spanish))
    assert (english_view.state, english_view.partner_behind) == (STALE, True)
    assert (spanish_view.state, spanish_view.behind, english_view.behind) == (STALE, True, False)
    assert [(line.post_id, line.state) for line in translation_status.needs_translation(session)] == [
        (spanish.id, STALE)
    ]

    editorial.update_post(
        session,
        spanish.id,
        _partner_input(session, spanish, body="Texto, cambiado", aligned_with_translation=True),
        editor,
    )
    assert (_state(session, english), _state(session, spanish)) == (COMPLETE, COMPLETE)


def test_a_save_that_changes_no_text_leaves_the_translation_in_line(session, editor):
    english = editorial.create_post(session, PostInput(title="Free the workers", body="Text"), editor)
    spanish = editorial.create_post(
        session, PostInput(title="Liberen", language="es", translation_of_id=english.id), editor
    )
    assert _state(session, spanish) == COMPLETE
    editorial.update_post(session, english.id, _partner_input(session, english, category="news"), editor)
    assert _state(session, spanish) == COMPLETE


def test_an_original_is_not_made_stale_by_edits_to_its_translation(session, editor):
    english = editorial.create_post(session, PostInput(title="Free the workers", body="Text"), editor)
    spanish = editorial.create_post(
        session, PostInput(title="Liberen", language="es", translation_of_id=english.id), editor
    )
    editorial.update_post(session, spanish.id, _partner_input(session, spanish, body="Una errata corregida"), editor)
    assert (_state(session, english), _state(session, spanish)) == (COMPLETE, COMPLETE)


def test_marking_a_stale_version_up_to_date_makes_the_pair_complete_and_is_audited(session, editor):
    english = editorial.create_post(session, PostInput(title="Free the workers", body="Text"), editor)
    spanish = editorial.create_post(
        session, PostInput(title="Liberen", language="es", translation_of_id=english.id), editor
    )
    editorial.update_post(session, english.id, _partner_input(session, english, title="Free all workers"), editor)
    assert _state(session, spanish) == STALE
    translation_status.mark_up_to_date(session, spanish.id, editor)
    assert (_state(session, english), _state(session, spanish)) == (COMPLETE, COMPLETE)
    actions = session.exec(select(AuditEntry.action, AuditEntry.entity_id).where(AuditEntry.action == "align")).all()
    assert actions == [("align", spanish.id)]


def test_marking_a_post_without_a_translation_is_refused(session, editor):
    post = add_post(session, "Alone")
    with pytest.raises(ValidationFailed) as failed:
        translation_status.mark_up_to_date(session, post.id, editor)
    assert failed.value.errors == {"pair": "admin_error_no_translation"}


def test_pairs_from_before_marks_existed_are_complete(session):
    english = add_post(session, "Old statement")
    add_translation(session, english, "Declaración antigua")
    assert _state(session, english) == COMPLETE


def test_deleting_one_version_makes_the_other_missing(session, editor):
    english = editorial.create_post(session, PostInput(title="Free the workers"), editor)
    spanish = pair_publishing.translate(session, english.id, editor)
    editorial.delete_post(session, spanish.id, editor)
    assert _state(session, english) == MISSING


def test_needs_translation_lists_missing_and_stale_newest_first(session, editor):
    older = add_post(session, "Older alone", published_at=datetime(2021, 1, 1, tzinfo=UTC))
    source = add_post(session, "Source", published_at=datetime(2022, 1, 1, tzinfo=UTC))
    stale = pair_publishing.translate(session, source.id, editor)  # copies 2022-01-01, still untranslated
    newer = add_post(session, "Newer alone", language="es", published_at=datetime(2023, 1, 1, tzinfo=UTC))
    lines = translation_status.needs_translation(session)
    assert [(line.post_id, line.state) for line in lines] == [
        (newer.id, MISSING),
        (stale.id, STALE),
        (older.id, MISSING),
    ]


def test_the_admin_list_statuses_come_for_a_whole_page(session, editor):
    english = editorial.create_post(session, PostInput(title="Free the workers"), editor)
    spanish = pair_publishing.translate(session, english.id, editor)
    alone = add_post(session, "Alone")
    found = translation_status.statuses(session, [english, spanish, alone])
    assert (found[english.id].state, found[english.id].partner_id, found[english.id].partner_language) == (
        STALE,
        spanish.id,
        "es",
    )
    assert found[alone.id] == translation_status.PairStatus(MISSING)


def test_restoring_an_older_revision_of_the_original_makes_its_translation_stale(session, editor):
    english = editorial.create_post(session, PostInput(title="Free the workers", body="Text"), editor)
    spanish = pair_publishing.translate(session, english.id, editor)
    editorial.update_post(
        session,
        spanish.id,
        _partner_input(
            session, spanish, title="Liberen a los trabajadores", body="Texto", aligned_with_translation=True
        ),
        editor,
    )
    editorial.update_post(session, english.id, _partner_input(session, english, body="Text, changed"), editor)
    editorial.update_post(
        session,
        spanish.id,
        _partner_input(session, spanish, body="Texto, cambiado", aligned_with_translation=True),
        editor,
    )
    assert _state(session, english) == COMPLETE

    first = revisions.post_history(session, english.id)[-1]
    revisions.restore_post_revision(session, english.id, first.id, editor)
    assert (_state(session, english), _state(session, spanish)) == (STALE, STALE)
