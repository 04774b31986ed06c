"""The editors' view of the mailing list: counts, search, CSV export, removal, weekly growth."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from tests.unit.mailing_builders import add_subscribers
from vws_app.models import AuditEntry, OutboxMessage, Subscriber
from vws_app.services import outbox, subscriber_admin


def test_counts_by_language_and_status_include_zeros(session):
    add_subscribers(session, 3, language="en")
    add_subscribers(session, 2, language="es", status="pending")
    add_subscribers(session, 1, language="es", status="unsubscribed", prefix="gone")

    assert subscriber_admin.counts(session) == {
        "en": {"pending": 0, "confirmed": 3, "unsubscribed": 0},
        "es": {"pending": 2, "confirmed": 0, "unsubscribed": 1},
    }


def test_search_matches_part_of_an_address_in_any_case_and_filters(session):
    add_subscribers(session, 3, language="en", prefix="Ana")
    add_subscribers(session, 2, language="es", prefix="luis")
    add_subscribers(session, 1, language="es", status="pending", prefix="ANA")

    rows, total = subscriber_admin.search(session, "ana")
    assert total == 4 and len(rows) == 4
    rows, total = subscriber_admin.search(session, "ana", language="es")
    assert [row.email for row in rows] == ["ANA-es-0@example.org"]
    _rows, total = subscriber_admin.search(session, status="confirmed", language="es")
    assert total == 2
    assert subscriber_admin.search(session, "100%")[1] == 0  # wildcards are literal
    assert subscriber_admin.search(session, "_")[1] == 0
    assert subscriber_admin.search(session, status="nonsense")[1] == 0


def test_search_pages_are_clamped(session):
    add_subscribers(session, 7)
    rows, total = subscriber_admin.search(session, page=2, per_page=5)
    assert total == 7 and len(rows) == 2
    assert len(subscriber_admin.search(session, per_page=10_000)[0]) == 7
    assert len(subscriber_admin.search(session, page=-3, per_page=0)[0]) == 1


def test_csv_export_is_spreadsheet_safe(session):
    session.add(Subscriber(email="=HYPERLINK(1)@example.org", language="es", status="confirmed"))
    session.add(Subscriber(email="josé@exämple.org", language="es", status="pending"))
    session.commit()

    text = subscriber_admin.export_csv(session)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == list(subscriber_admin.CSV_HEADER)
    emails = {row[1] for row in rows[1:]}
    assert emails == {"'=HYPERLINK(1)@example.org", "josé@exämple.org"}
    only_pending = subscriber_admin.export_csv(session, status="pending")
    assert "josé@exämple.org" in only_pending and "HYPERLINK" not in only_pending


def test_removing_a_subscriber_is_audited_and_drops_their_unsent_newsletters(session, editor):
    keep_id, remove_id = add_subscribers(session, 2)
    removed = session.get(Subscriber, remove_id)
    removed_email = removed.email
    for status, key in (("queued", "a"), ("sent", "b")):
        row = outbox.enqueue(
            session,
            kind="newsletter",
            to=removed_email,
            language="en",
            template="newsletter",
            dedupe_key=key,
            context={
                "title": "T",
                "body": "B",
                "post_url": "https://example.org/posts/t",
                "post_language": "en",
                "unsubscribe_url": "https://example.org/unsubscribe",
            },
        )
        row.status = status
    session.commit()

    subscriber_admin.remove_subscriber(session, remove_id, editor)

    assert session.get(Subscriber, remove_id) is None and session.get(Subscriber, keep_id) is not None
    assert [row.status for row in session.exec(select(OutboxMessage)).all()] == ["sent"]
    entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "subscriber")).one()
    assert (entry.action, entry.entity_id, entry.editor_id) == ("delete", remove_id, editor.id)
    assert removed_email not in entry.summary and entry.summary.startswith("r…@example.org")
    with pytest.raises(subscriber_admin.NotFound):
        subscriber_admin.remove_subscriber(session, remove_id, editor)


def test_growth_counts_confirmed_subscribers_at_the_end_of_each_week(session):
    monday = date(2026, 11, 2)  # weeks: Nov 2, 9, 16, 23 (today is in the last)
    add_subscribers(session, 2, confirmed_at=datetime(2026, 11, 3, 9, tzinfo=UTC), prefix="early")
    add_subscribers(session, 3, confirmed_at=datetime(2026, 11, 17, 23, 30, tzinfo=UTC), prefix="late")
    add_subscribers(session, 4, status="pending", prefix="waiting")
    leaver = session.exec(select(Subscriber).where(Subscriber.email == "early-en-0@example.org")).one()
    leaver.status, leaver.unsubscribed_at = "unsubscribed", datetime(2026, 11, 25, tzinfo=UTC)
    session.add(leaver)
    session.commit()

    points = subscriber_admin.growth_by_week(session, weeks=5, today=date(2026, 11, 26))

    assert [(point.week, point.confirmed) for point in points] == [
        (date(2026, 10, 26), 0),
        (monday, 2),
        (date(2026, 11, 9), 2),
        (date(2026, 11, 16), 5),
        (date(2026, 11, 23), 4),
    ]
