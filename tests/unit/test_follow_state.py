"""The live form's state, driven through Reflex's own event processing: same rules as the service, any payload survives."""

import inspect

from reflex.state import State
from sqlmodel import select

from tests.unit.test_admin_access import send, substate
from vws_app.i18n import CATALOGUES
from vws_app.models import OutboxMessage, Subscriber
from vws_app.services.database import open_session
from vws_app.state.follow import FollowState

ES = CATALOGUES["es"]
ROUTER_DATA = {
    "pathname": "/",
    "asPath": "/",
    "query": {},
    "token": "follow-tab",
    "sid": "sid",
    "ip": "203.0.113.40",
    "headers": {"origin": "http://localhost:3000"},
}


def spanish_tab() -> State:
    """A fresh state tree for one tab reading the site in Spanish."""
    root = State(_reflex_internal_init=True)
    root.router_data = root._update_router_vars(ROUTER_DATA, {})
    substate(root, FollowState).lang = "es"
    return root


def stored() -> list[Subscriber]:
    with open_session() as session:
        return list(session.exec(select(Subscriber)))


def test_the_handler_is_async_so_the_database_wait_leaves_the_event_loop_free():
    assert inspect.iscoroutinefunction(FollowState.event_handlers["submit"].fn)


def test_a_valid_submission_stores_a_pending_subscriber_in_the_pages_language(app_database):
    root = spanish_tab()
    outcome = send(root, FollowState, "submit", {"form_data": {"email": "Ines@Example.org", "consent": "yes"}})
    state = substate(root, FollowState)
    assert outcome.error is None and state.outcome == "sent" and state.outcome_text == ES["follow_sent"]
    [row] = stored()
    assert (row.email, row.language, row.status, row.consent_language) == ("ines@example.org", "es", "pending", "es")
    with open_session() as session:
        assert session.exec(select(OutboxMessage)).one().language == "es"


def test_a_chosen_language_wins_over_the_pages(app_database):
    root = spanish_tab()
    send(root, FollowState, "choose_language", {"language": "en"})
    send(root, FollowState, "choose_language", {"language": "xx"})  # ignored
    assert substate(root, FollowState).form_language == "en"
    send(root, FollowState, "submit", {"form_data": {"email": "ines@example.org", "consent": "yes"}})
    assert stored()[0].language == "en"


def test_errors_are_shown_in_the_visitors_language_and_odd_payloads_do_not_crash(app_database):
    root = spanish_tab()
    outcome = send(
        root, FollowState, "submit", {"form_data": {"email": ["x"], "consent": ["yes"], "website": {"a": 1}}}
    )
    state = substate(root, FollowState)
    assert outcome.error is None and state.outcome == "invalid"
    assert state.error_texts == {
        "email": ES["follow_error_email_invalid"],
        "consent": ES["follow_error_consent_required"],
    }
    assert stored() == []
