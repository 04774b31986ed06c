"""Revisions of posts and site texts: every save kept in its own transaction, diffs, restores."""

import pytest
from sqlmodel import Session, select

from tests.unit.content_builders import add_post
from vws_app.models import AuditEntry, Post, PostRevision, SiteText, SiteTextRevision, as_utc
from vws_app.services import editorial, revisions, site_text_revisions
from vws_app.services.editorial import NotFound, PostInput, ValidationFailed


def new_post(session, editor, **fields) -> Post:
    values = {"title": "Solidarity with the oil workers", "body": "First line\nSecond line", **fields}
    return editorial.create_post(session, PostInput(**values), editor)


def change(session, editor, post: Post, **fields) -> Post:
    values = {
        "title": post.title,
        "slug": post.slug,
        "language": post.language,
        "excerpt": post.excerpt,
        "body": post.body,
        "image_path": post.image_path,
        "image_credit": post.image_credit,
        "category": post.category,
        "status": post.status,
        "published_at": as_utc(post.published_at) if post.published_at else None,
        **fields,
    }
    return editorial.update_post(session, post.id, PostInput(**values), editor)


def test_every_save_keeps_a_revision_with_who_and_what(session, editor):
    post = new_post(session, editor)
    change(session, editor, post, body="First line\nA better second line", category="news")
    editorial.set_post_status(session, post.id, "published", editor)
    history = revisions.post_history(session, post.id)
    assert [(rev.body.splitlines()[-1], rev.category, rev.status) for rev in history] == [
        ("A better second line", "news", "published"),
        ("A better second line", "news", "draft"),
        ("Second line", "statement", "draft"),
    ]
    assert {(rev.editor_id, rev.editor_email) for rev in history} == {(editor.id, editor.email)}


def test_a_refused_save_leaves_no_revision(session, engine, editor):
    post = new_post(session, editor)
    with pytest.raises(ValidationFailed):
        change(session, editor, post, title="")
    session.rollback()
    with Session(engine) as other:
        assert len(other.exec(select(PostRevision)).all()) == 1


def test_a_post_saved_before_revisions_gets_its_old_state_kept_on_first_edit(session, editor):
    post = add_post(session, "Seeded title")
    change(session, editor, post, title="Edited title")
    history = revisions.post_history(session, post.id)
    assert [(rev.title, rev.editor_email) for rev in history] == [
        ("Edited title", editor.email),
        ("Seeded title", "system"),
    ]


def test_the_diff_shows_removed_and_added_lines_of_each_changed_field(session, editor):
    post = new_post(session, editor, body="One\nTwo\nThree\nFour")
    change(session, editor, post, body="One\nTwo and a half\nThree\nFour", title="A new title")
    newer, older = revisions.post_history(session, post.id)
    diff = revisions.diff_post_revisions(session, post.id, older.id, newer.id)
    assert [field.field for field in diff] == ["title", "body"]
    body = [(line.kind, line.text) for line in diff[1].lines]
    assert ("removed", "Two") in body and ("added", "Two and a half") in body
    assert ("same", "One") in body
    assert revisions.diff_post_revisions(session, post.id, newer.id, newer.id) == []


def test_restore_brings_the_text_back_as_a_new_revision_and_audit_entry(session, editor):
    post = new_post(session, editor, body="The original wording")
    change(session, editor, post, body="A mistaken edit", status="published")
    original = revisions.post_history(session, post.id)[-1]
    restored = revisions.restore_post_revision(session, post.id, original.id, editor)
    assert (restored.body, restored.status) == ("The original wording", "published")  # still published
    latest = revisions.post_history(session, post.id)[0]
    assert (latest.body, latest.restored_from) == ("The original wording", original.id)
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "restore")).one()
    assert (entry.entity, entry.entity_id, entry.editor_id) == ("post", post.id, editor.id)


def test_another_posts_revision_cannot_be_restored_or_diffed(session, editor):
    first, second = new_post(session, editor), new_post(session, editor, title="Another post")
    foreign = revisions.post_history(session, second.id)[0]
    with pytest.raises(NotFound):
        revisions.restore_post_revision(session, first.id, foreign.id, editor)
    with pytest.raises(NotFound):
        revisions.diff_post_revisions(session, first.id, foreign.id, foreign.id)


def test_deleting_a_post_deletes_its_history(session, editor):
    post = new_post(session, editor)
    editorial.delete_post(session, post.id, editor)
    assert session.exec(select(PostRevision)).all() == []


def test_site_texts_keep_a_history_with_diff_and_restore(session, editor):
    session.add(SiteText(key="mission", language="es", body="Misión sembrada"))
    session.commit()
    editorial.update_site_text(session, "mission", "es", "Misión nueva\nSegunda línea", editor)
    editorial.update_site_text(session, "mission", "es", "Misión equivocada\nSegunda línea", editor)
    history = site_text_revisions.site_text_history(session, "mission", "es")
    assert [(rev.body.splitlines()[0], rev.editor_email) for rev in history] == [
        ("Misión equivocada", editor.email),
        ("Misión nueva", editor.email),
        ("Misión sembrada", "system"),
    ]
    [body] = site_text_revisions.diff_site_text_revisions(session, "mission", "es", history[1].id, history[0].id)
    assert [(line.kind, line.text) for line in body.lines] == [
        ("removed", "Misión nueva"),
        ("added", "Misión equivocada"),
        ("same", "Segunda línea"),
    ]
    text = site_text_revisions.restore_site_text_revision(session, "mission", "es", history[1].id, editor)
    assert text.body == "Misión nueva\nSegunda línea"
    latest = site_text_revisions.site_text_history(session, "mission", "es")[0]
    assert latest.restored_from == history[1].id
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "restore")).one().entity == "site_text"
    with pytest.raises(NotFound):
        site_text_revisions.restore_site_text_revision(session, "mission", "en", history[1].id, editor)
    assert session.exec(select(SiteTextRevision).where(SiteTextRevision.language == "en")).all() == []
