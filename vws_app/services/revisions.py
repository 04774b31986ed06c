"""Every save of a post kept as a revision: the history, a diff between any two, and restoring one.

A revision is written in the same transaction as the save it records (the services call
`record_post_revision` before their commit), so there is no save without its revision. A restore
brings back the text fields of an older revision; it is itself a save, so it adds a revision
(naming the one it restored) and an audit entry. Address (slug) and publication state are left as
they are: a restore never moves or unpublishes a live post behind the editor's back.
"""

from datetime import datetime

from sqlmodel import Session, col, select

from vws_app.models import Editor, Post, PostRevision, utc_now
from vws_app.services import audit, translation_status
from vws_app.services.editorial_common import NotFound, get_or_raise
from vws_app.services.row_ids import id_of
from vws_app.services.text_diff import FieldDiff, diff_fields

POST_FIELDS = ("title", "excerpt", "body", "image_path", "image_credit", "category", "status", "slug")
RESTORED_FIELDS = ("title", "excerpt", "body", "image_path", "image_credit", "category")
HISTORY_LIMIT = 500


def record_post_revision(
    session: Session,
    post: Post,
    editor: Editor | None,
    *,
    restored_from: int | None = None,
    at: datetime | None = None,
) -> PostRevision:
    """Add the post's current fields as a revision (flushed, not committed: the caller's save commits it)."""
    session.flush()
    revision = PostRevision(
        post_id=id_of(post),
        **{field: getattr(post, field) for field in POST_FIELDS},
        editor_id=editor.id if editor else None,
        editor_email=editor.email if editor else audit.SYSTEM_ACTOR,
        restored_from=restored_from,
        created_at=at or utc_now(),
    )
    session.add(revision)
    session.flush()
    return revision


def ensure_baseline(session: Session, post: Post) -> None:
    """Before changing a post that has no revision yet (seeded, or saved before revisions existed):
    keep what it was, attributed to the system, so the first edit can be compared and undone."""
    if session.exec(select(PostRevision.id).where(PostRevision.post_id == post.id)).first() is None:
        record_post_revision(session, post, None, at=post.updated_at)


def post_history(session: Session, post_id: int) -> list[PostRevision]:
    """A post's revisions, newest first."""
    statement = (
        select(PostRevision)
        .where(col(PostRevision.post_id) == post_id)
        .order_by(col(PostRevision.id).desc())
        .limit(HISTORY_LIMIT)
    )
    return list(session.exec(statement).all())


def _revision_of(session: Session, post_id: int, revision_id: int) -> PostRevision:
    """Revision `revision_id` of post `post_id`.

    Raises:
        NotFound: no such revision of that post (another post's revision is not found either).
    """
    revision = session.get(PostRevision, revision_id)
    if revision is None or revision.post_id != post_id:
        raise NotFound(f"no revision {revision_id} of post {post_id}")
    return revision


def _values(revision: PostRevision) -> dict[str, str]:
    return {field: str(getattr(revision, field) or "") for field in POST_FIELDS}


def diff_post_revisions(session: Session, post_id: int, older_id: int, newer_id: int) -> list[FieldDiff]:
    """What changed from one revision of a post to another, field by field, line by line.

    Raises:
        NotFound: either revision is not one of this post's.
    """
    older, newer = _revision_of(session, post_id, older_id), _revision_of(session, post_id, newer_id)
    return diff_fields(_values(older), _values(newer), POST_FIELDS)


def restore_post_revision(session: Session, post_id: int, revision_id: int, editor: Editor) -> Post:
    """Bring back a revision's text fields as a new save (a new revision and a "restore" audit entry).

    Raises:
        NotFound: no such post, or the revision is not one of its own.
    """
    post = get_or_raise(session, Post, post_id)
    revision = _revision_of(session, post_id, revision_id)
    text_before = translation_status.post_text(post)
    for field in RESTORED_FIELDS:
        setattr(post, field, getattr(revision, field))
    post.updated_at = utc_now()
    session.add(post)
    session.flush()
    translation_status.note_saved(session, post, text_before, post.translation_key)  # a restore can make the pair stale
    record_post_revision(session, post, editor, restored_from=revision.id)
    audit.record(session, editor, "restore", "post", post.id, f"{post.title} (/{post.slug}) ← revision {revision.id}")
    session.commit()
    session.refresh(post)
    return post
