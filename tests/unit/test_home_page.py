"""The home page's choices: which post leads, and which meeting is next with its calendar file."""

from tests.unit.content_builders import add_event, days_ago
from vws_app.services.content import PostCard
from vws_app.services.home_page import featured_first, next_meetings


def _card(slug: str, image: str = "") -> PostCard:
    return PostCard(
        slug=slug,
        title=slug,
        excerpt="",
        language="en",
        category="statement",
        date_label="",
        image_path=image,
        image_credit="",
    )


def test_newest_post_with_a_picture_leads_and_the_others_keep_their_order():
    cards = [_card("new"), _card("pictured", "/_upload/a.jpg"), _card("old")]
    featured, others = featured_first(cards)
    assert [card.slug for card in featured] == ["pictured"]
    assert [card.slug for card in others] == ["new", "old"]


def test_without_pictures_the_newest_leads_and_without_posts_nothing_does():
    featured, others = featured_first([_card("new"), _card("old")])
    assert ([c.slug for c in featured], [c.slug for c in others]) == (["new"], ["old"])
    assert featured_first([]) == ([], [])


def test_next_meeting_is_the_soonest_upcoming_in_the_visitors_language_with_its_calendar_file(session):
    add_event(session, "Past assembly", days_ago(3), ends_at=days_ago(3))
    later = add_event(session, "Later assembly", days_ago(-20))
    sooner = add_event(session, "Sooner assembly", days_ago(-5), title_es="Asamblea próxima")
    [meeting] = next_meetings(session, "es")
    assert meeting.event.id == sooner.id and meeting.event.title == "Asamblea próxima"
    assert meeting.event.place == "Queens, NY" and meeting.event.date_label
    assert meeting.ics_path == f"/events/{sooner.id}.ics?lang=es"
    assert later.id != sooner.id


def test_a_cancelled_meeting_is_not_announced_and_none_scheduled_gives_nothing(session):
    assert next_meetings(session, "en") == []
    event = add_event(session, "Called off", days_ago(-2))
    event.cancelled = True
    session.add(event)
    session.commit()
    assert next_meetings(session, "en") == []
