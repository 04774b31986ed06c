"""Sending a post to the mailing list: each confirmed subscriber once, in their language, never twice."""

import json
import threading

import pytest
from sqlalchemy import update
from sqlmodel import Session, func, select

from tests.unit.content_builders import add_post, add_translation, days_ago
from tests.unit.mailing_builders import add_subscribers
from vws_app.models import AuditEntry, OutboxMessage, PostMailing, PostStatus, Subscriber
from vws_app.services import mailings
from vws_app.services.database import engine_for


@pytest.fixture
def post_pair(session):
    """A published English statement and its published Spanish translation."""
    english = add_post(session, "Solidarity with the oil workers")
    spanish = add_translation(session, english, "Solidaridad con los trabajadores petroleros")
    return english, spanish


def newsletter_rows(session) -> list[OutboxMessage]:
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "newsletter")).all())


def test_each_confirmed_subscriber_gets_the_post_once_in_their_language(session, editor, post_pair):
    english, spanish = post_pair
    english_ids = add_subscribers(session, 3, language="en")
    spanish_ids = add_subscribers(session, 2, language="es")
    add_subscribers(session, 2, language="es", status="pending", prefix="waiting")
    add_subscribers(session, 2, language="en", status="unsubscribed", prefix="gone")

    progress = mailings.send_to_subscribers(session, english.id, editor)

    rows = newsletter_rows(session)
    assert progress.total == len(rows) == 5
    assert progress.queued == 5 and not progress.finished
    assert sorted(row.recipient for row in rows) == sorted(
        [f"reader-en-{n}@example.org" for n in range(3)] + [f"reader-es-{n}@example.org" for n in range(2)]
    )
    for row in rows:
        expected = english if row.language == "en" else spanish
        assert row.subject == expected.title
        assert f"/posts/{expected.slug}" in row.text_body
        assert "only available" not in row.text_body and "solo está disponible" not in row.text_body
        assert row.mailing_id == progress.mailing_id
        headers = json.loads(row.headers_json)
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert headers["List-Unsubscribe"].startswith("<http") and "@" not in headers["List-Unsubscribe"]
        assert "/unsubscribe?t=" in row.text_body and "/unsubscribe?t=" in row.html_body
    keys = {row.dedupe_key for row in rows}
    assert keys == {f"newsletter:{english.translation_key}:{sid}" for sid in english_ids + spanish_ids}
    audit = session.exec(select(AuditEntry).where(AuditEntry.entity == "post", AuditEntry.action == "send")).one()
    assert audit.entity_id == english.id and audit.editor_id == editor.id


def test_a_post_without_a_translation_goes_out_in_its_language_with_a_notice(session, editor):
    english_only = add_post(session, "Statement on the elections")
    add_subscribers(session, 1, language="en")
    add_subscribers(session, 2, language="es")

    mailings.send_to_subscribers(session, english_only.id, editor)

    rows = newsletter_rows(session)
    assert len(rows) == 3
    for row in rows:
        assert row.subject == "Statement on the elections"
        notice = "Este texto solo está disponible en inglés."
        assert (notice in row.text_body and notice in row.html_body) == (row.language == "es")


def test_pressing_send_twice_enqueues_each_mail_once(session, editor, post_pair):
    english, spanish = post_pair
    add_subscribers(session, 4, language="en")
    add_subscribers(session, 3, language="es")
    first = mailings.send_to_subscribers(session, english.id, editor)

    with pytest.raises(mailings.AlreadySent) as again:
        mailings.send_to_subscribers(session, spanish.id, editor)  # the other version of the same pair

    assert again.value.mailing_id == first.mailing_id
    assert len(newsletter_rows(session)) == 7
    assert session.exec(select(func.count()).select_from(PostMailing)).one() == 1


def test_two_editors_sending_at_the_same_moment_enqueue_each_mail_once(database_url, session, editor, post_pair):
    """Two threads, two sessions, released together: one mailing, N rows; the other is told it was sent."""
    english, spanish = post_pair
    add_subscribers(session, 40, language="en")
    add_subscribers(session, 30, language="es")
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def press(post_id: int) -> None:
        with Session(engine_for(database_url)) as own_session:
            pressing_editor = own_session.get(type(editor), editor.id)
            start.wait()
            try:
                outcomes.append(mailings.send_to_subscribers(own_session, post_id, pressing_editor))
            except mailings.AlreadySent as refused:
                outcomes.append(refused)

    threads = [threading.Thread(target=press, args=(post.id,)) for post in (english, spanish)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["AlreadySent", "Progress"]
    session.expire_all()
    assert len(newsletter_rows(session)) == 70
    assert session.exec(select(func.count()).select_from(PostMailing)).one() == 1


def test_pending_and_unsubscribed_addresses_get_nothing_and_an_empty_list_sends_nothing(session, editor, post_pair):
    add_subscribers(session, 2, status="pending")
    add_subscribers(session, 2, status="unsubscribed", prefix="gone")

    with pytest.raises(mailings.NoSubscribers):
        mailings.send_to_subscribers(session, post_pair[0].id, editor)

    assert newsletter_rows(session) == []
    assert session.exec(select(func.count()).select_from(PostMailing)).one() == 0


def test_drafts_and_scheduled_posts_cannot_be_sent(session, editor):
    add_subscribers(session, 2)
    draft = add_post(session, "Draft", status=PostStatus.DRAFT.value)
    scheduled = add_post(session, "Scheduled", published_at=days_ago(-3))
    for post_id in (draft.id, scheduled.id):
        with pytest.raises(mailings.NotSendable):
            mailings.send_to_subscribers(session, post_id, editor)
    with pytest.raises(mailings.NotFound):
        mailings.send_to_subscribers(session, 999_999, editor)
    assert newsletter_rows(session) == []


def test_preview_shows_each_language_and_a_test_goes_to_the_editor_only(session, editor):
    english_only = add_post(session, "Letter to the unions")
    add_subscribers(session, 3)

    preview = mailings.preview(session, english_only.id)
    assert set(preview) == {"en", "es"}
    assert preview["en"][0] == preview["es"][0] == "Letter to the unions"
    assert "solo está disponible en inglés" in preview["es"][1] and "only available" not in preview["en"][1]

    assert mailings.send_test(session, english_only.id, editor) == 2
    tests = session.exec(select(OutboxMessage)).all()
    assert {(row.kind, row.recipient, row.language) for row in tests} == {
        ("test_newsletter", editor.email, "en"),
        ("test_newsletter", editor.email, "es"),
    }
    assert session.exec(select(func.count()).select_from(PostMailing)).one() == 0  # a test is not the send


def test_progress_counts_the_mailing_rows_by_status(session, editor, post_pair):
    add_subscribers(session, 5)
    progress = mailings.send_to_subscribers(session, post_pair[0].id, editor)
    ids = [row.id for row in newsletter_rows(session)]
    session.exec(update(OutboxMessage).where(OutboxMessage.id.in_(ids[:3])).values(status="sent"))
    session.exec(update(OutboxMessage).where(OutboxMessage.id == ids[3]).values(status="failed"))
    session.exec(update(OutboxMessage).where(OutboxMessage.id == ids[4]).values(status="sending"))
    session.commit()

    now = mailings.progress(session, progress.mailing_id)
    assert (now.total, now.queued, now.sent, now.failed, now.finished) == (5, 1, 3, 1, False)
    session.exec(update(OutboxMessage).where(OutboxMessage.id == ids[4]).values(status="sent"))
    session.commit()
    done = mailings.recent_mailings(session)
    assert [(row.mailing_id, row.sent, row.finished, row.percent) for row in done] == [
        (progress.mailing_id, 4, True, 100)
    ]
    assert done[0].title == post_pair[0].title


def test_a_subscriber_removed_before_the_send_gets_nothing(session, editor, post_pair):
    ids = add_subscribers(session, 3)
    session.delete(session.get(Subscriber, ids[0]))
    session.commit()
    assert mailings.send_to_subscribers(session, post_pair[0].id, editor).total == 2
