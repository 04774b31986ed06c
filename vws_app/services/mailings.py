"""Sending a published post to the mailing list: preview, a test to the editor, the one-time send and its progress.

A post pair (its versions share a `translation_key`) goes out once, ever: one `PostMailing`
row per key (unique) and one outbox row per subscriber with a unique dedupe key, written in
one transaction. Two editors pressing "send" at once, or one pressing twice, enqueue each
subscriber's mail once; the second press is told it was already sent.
"""

import dataclasses
from datetime import datetime
from typing import cast

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from vws_app.i18n import SUPPORTED_LANGUAGES
from vws_app.models import (
    Editor,
    OutboxMessage,
    OutboxStatus,
    Post,
    PostMailing,
    PostStatus,
    Subscriber,
    SubscriberStatus,
    as_utc,
    utc_now,
)
from vws_app.services import audit, outbox, subscriptions
from vws_app.services.editorial_common import NotFound, get_or_raise
from vws_app.services.mail_render import render
from vws_app.services.row_ids import id_of
from vws_app.services.subscription_links import UNSUBSCRIBE_PATH
from vws_app.settings import site_url

NEWSLETTER_KIND = "newsletter"
TEST_KIND = "test_newsletter"
TEMPLATE = "newsletter"
SENDABLE_POSTS_SHOWN = 100
RECENT_MAILINGS_SHOWN = 10

__all__ = [
    "AlreadySent",
    "NoSubscribers",
    "NotFound",
    "NotSendable",
    "Progress",
    "dedupe_key",
    "mailing_for",
    "newsletter_context",
    "preview",
    "progress",
    "recent_mailings",
    "send_test",
    "send_to_subscribers",
    "sendable_posts",
]


class NotSendable(Exception):
    """The post is a draft or scheduled for later: only what visitors can read is sent."""


class NoSubscribers(Exception):
    """Nobody has confirmed a subscription: sending now would mark the post sent for no one."""


class AlreadySent(Exception):
    """This post pair went to the list before (perhaps a moment ago, by another editor)."""

    def __init__(self, mailing_id: int):
        super().__init__(f"already sent as mailing {mailing_id}")
        self.mailing_id = mailing_id


@dataclasses.dataclass(frozen=True)
class Progress:
    """How far one mailing has gone, counted from its outbox rows."""

    mailing_id: int
    translation_key: str
    title: str
    created_at: datetime
    total: int
    queued: int  # waiting or being sent
    sent: int
    failed: int

    @property
    def finished(self) -> bool:
        """Nothing left to send (every row is sent or has failed for good)."""
        return self.queued == 0

    @property
    def percent(self) -> int:
        """Share of rows done (sent or failed), 0 to 100."""
        return 100 if not self.total else round(100 * (self.sent + self.failed) / self.total)


def dedupe_key(translation_key: str, subscriber_id: int | str) -> str:
    """The outbox key that lets a subscriber receive a post pair once."""
    return f"newsletter:{translation_key}:{subscriber_id}"


def _visible():
    return (col(Post.status) == PostStatus.PUBLISHED.value) & (col(Post.published_at) <= utc_now())


def sendable_posts(session: Session, limit: int = SENDABLE_POSTS_SHOWN) -> list[Post]:
    """Posts visitors can read now, newest first (each version of a pair is listed; either sends the pair)."""
    statement = select(Post).where(_visible()).order_by(col(Post.published_at).desc(), col(Post.id).desc())
    return list(session.exec(statement.limit(limit)).all())


def _versions(session: Session, post_id: int) -> tuple[Post, dict[str, Post]]:
    """The post and its readable versions by language.

    Raises:
        NotFound: no such post.
        NotSendable: the post itself is not readable by visitors.
    """
    post = get_or_raise(session, Post, post_id)
    versions = session.exec(select(Post).where(Post.translation_key == post.translation_key, _visible())).all()
    by_language = {version.language: version for version in versions}
    if post.language not in by_language or by_language[post.language].id != post.id:
        raise NotSendable(f"post {post_id} is not published")
    return post, by_language


def post_url(post: Post) -> str:
    """The post's public address, opening in its own language."""
    return f"{site_url()}/posts/{post.slug}?lang={post.language}"


def newsletter_context(versions: dict[str, Post], language: str, unsubscribe_url: str) -> dict[str, str]:
    """The template's values for a reader of `language`: their version, else the other one (the template says so)."""
    post = versions.get(language) or next(iter(versions.values()))
    return {
        "title": post.title,
        "body": post.body or post.excerpt,
        "post_url": post_url(post),
        "post_language": post.language,
        "unsubscribe_url": unsubscribe_url,
    }


def _sample_unsubscribe_url() -> str:
    """Previews and tests go to editors, who are not subscribers: their link leads to the page itself."""
    return site_url() + UNSUBSCRIBE_PATH


def preview(session: Session, post_id: int) -> dict[str, tuple[str, str, str]]:
    """(subject, text, HTML) per language, as subscribers of each language will get the post.

    Raises:
        NotFound, NotSendable: as `_versions`.
    """
    _post, versions = _versions(session, post_id)
    return {
        language: render(TEMPLATE, language, **newsletter_context(versions, language, _sample_unsubscribe_url()))
        for language in SUPPORTED_LANGUAGES
    }


def send_test(session: Session, post_id: int, editor: Editor) -> int:
    """Queue the mail in each language to the editor's own address (kind "test_newsletter"); how many.

    Raises:
        NotFound, NotSendable: as `_versions`.
    """
    _post, versions = _versions(session, post_id)
    for language in SUPPORTED_LANGUAGES:
        outbox.enqueue(
            session,
            kind=TEST_KIND,
            to=editor.email,
            language=language,
            template=TEMPLATE,
            context=newsletter_context(versions, language, _sample_unsubscribe_url()),
        )
    session.commit()
    return len(SUPPORTED_LANGUAGES)


def mailing_for(session: Session, translation_key: str) -> PostMailing | None:
    """The mailing of a post pair, if it was sent."""
    return session.exec(select(PostMailing).where(PostMailing.translation_key == translation_key)).first()


def _outbox_rows(versions: dict[str, Post], translation_key: str, subscribers: list[Subscriber]) -> list[dict]:
    """enqueue_many's rows: each in the subscriber's language, with RFC 8058 headers."""
    return [
        {
            "kind": NEWSLETTER_KIND,
            "to": subscriber.email,
            "language": subscriber.language,
            "template": TEMPLATE,
            "context": newsletter_context(versions, subscriber.language, subscriptions.unsubscribe_url(subscriber)),
            "headers": subscriptions.list_unsubscribe_headers(subscriber),
            "dedupe_key": dedupe_key(translation_key, id_of(subscriber)),
        }
        for subscriber in subscribers
    ]


def send_to_subscribers(session: Session, post_id: int, editor: Editor) -> Progress:
    """Queue the post pair for every confirmed subscriber, once ever; the new mailing's progress.

    The rows are prepared from a first read. Then one transaction bulk-inserts them (enqueue_many
    renders every mail before its first INSERT, so SQLite's write lock is held only while rows
    are written, not while thousands of mails are rendered), adds the `PostMailing` row (its
    unique key makes a concurrent second send fail, and roll back its rows), ties the rows to
    it, drops those of anyone who left the list meanwhile and records the send in the audit
    log. Slow for a big list: call it off the event loop.

    Raises:
        NotFound, NotSendable: as `_versions`.
        AlreadySent: this post pair has a mailing already.
        NoSubscribers: the list has no confirmed subscriber.
    """
    post, versions = _versions(session, post_id)
    key, title, editor_id = post.translation_key, post.title, editor.id
    existing = mailing_for(session, key)
    if existing is not None:
        raise AlreadySent(id_of(existing))
    rows = _outbox_rows(versions, key, subscriptions.confirmed_subscribers(session))
    if not rows:
        raise NoSubscribers("nobody has confirmed a subscription yet")
    session.rollback()  # end the read: on SQLite a read transaction cannot become the writer later
    outbox.enqueue_many(session, rows)
    mailing = PostMailing(translation_key=key, post_id=post_id, created_by=editor_id)
    session.add(mailing)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise AlreadySent(id_of(mailing_for(session, key))) from None
    ours = (col(OutboxMessage.dedupe_key).startswith(dedupe_key(key, "")), col(OutboxMessage.mailing_id).is_(None))
    session.exec(update(OutboxMessage).where(*ours).values(mailing_id=mailing.id))
    confirmed = select(Subscriber.email).where(Subscriber.status == SubscriberStatus.CONFIRMED.value)
    in_mailing = col(OutboxMessage.mailing_id) == mailing.id
    session.exec(delete(OutboxMessage).where(in_mailing, col(OutboxMessage.recipient).not_in(confirmed)))
    mailing.total = session.exec(select(func.count()).select_from(OutboxMessage).where(in_mailing)).one()
    session.add(mailing)
    audit.record(session, editor, "send", "post", post_id, f"{title} ({mailing.total})")
    session.commit()
    return progress(session, id_of(mailing))


def _counts_by_mailing(session: Session, mailing_ids: list[int]) -> dict[int, dict[str, int]]:
    statement = (
        select(OutboxMessage.mailing_id, OutboxMessage.status, func.count())
        .where(col(OutboxMessage.mailing_id).in_(mailing_ids))
        .group_by(col(OutboxMessage.mailing_id), col(OutboxMessage.status))
    )
    counts: dict[int, dict[str, int]] = {mailing_id: {} for mailing_id in mailing_ids}
    for mailing_id, status, number in session.exec(statement).all():
        counts[cast(int, mailing_id)][status] = number  # in mailing_ids, so never None
    return counts


def _titles(session: Session, mailings: list[PostMailing]) -> dict[str, str]:
    """A title per translation key: the version that was sent, else any version left."""
    keys = [mailing.translation_key for mailing in mailings]
    posts = session.exec(select(Post).where(col(Post.translation_key).in_(keys))).all()
    sent_ids = {mailing.post_id for mailing in mailings}
    titles: dict[str, str] = {}
    for post in sorted(posts, key=lambda post: post.id in sent_ids):  # the sent version last, so it wins
        titles[post.translation_key] = post.title
    return titles


def _progress_of(
    mailings: list[PostMailing], counts: dict[int, dict[str, int]], titles: dict[str, str]
) -> list[Progress]:
    result = []
    for mailing in mailings:
        by_status = counts.get(id_of(mailing), {})
        result.append(
            Progress(
                mailing_id=id_of(mailing),
                translation_key=mailing.translation_key,
                title=titles.get(mailing.translation_key, ""),
                created_at=as_utc(mailing.created_at),
                total=mailing.total,
                queued=by_status.get(OutboxStatus.QUEUED.value, 0) + by_status.get(OutboxStatus.SENDING.value, 0),
                sent=by_status.get(OutboxStatus.SENT.value, 0),
                failed=by_status.get(OutboxStatus.FAILED.value, 0),
            )
        )
    return result


def recent_mailings(session: Session, limit: int = RECENT_MAILINGS_SHOWN) -> list[Progress]:
    """The latest mailings, newest first, each with its counts (two grouped queries in all)."""
    mailings = list(
        session.exec(
            select(PostMailing).order_by(col(PostMailing.created_at).desc(), col(PostMailing.id).desc()).limit(limit)
        ).all()
    )
    if not mailings:
        return []
    ids = [id_of(mailing) for mailing in mailings]
    return _progress_of(mailings, _counts_by_mailing(session, ids), _titles(session, mailings))


def progress(session: Session, mailing_id: int) -> Progress:
    """One mailing's counts.

    Raises:
        NotFound: no such mailing.
    """
    mailing = get_or_raise(session, PostMailing, mailing_id)
    return _progress_of([mailing], _counts_by_mailing(session, [id_of(mailing)]), _titles(session, [mailing]))[0]
