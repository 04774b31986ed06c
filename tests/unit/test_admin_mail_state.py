"""The outgoing-mail admin page's state, driven through Reflex's event processing as a browser tab would."""

import pytest
from sqlmodel import select

from tests.unit.test_admin_access import (  # noqa: F401  (fixtures: a seeded world with a failed e-mail)
    fast_password_hashing,
    new_tab,
    send,
    substate,
    token_of,
    world,
)
from vws_app.models import OutboxMessage
from vws_app.services.database import open_session
from vws_app.state.admin_mail import AdminMailState

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # state logic: one engine is enough


def test_without_smtp_url_the_page_says_mail_is_not_configured_and_lists_the_failed_mail(world, monkeypatch):
    monkeypatch.delenv("SMTP_URL", raising=False)
    root = new_tab(world, token_of("valid"))
    assert send(root, AdminMailState, "load", {}).error is None
    state = substate(root, AdminMailState)
    assert state.mail_configured is False
    assert state.counts == {"queued": 0, "sending": 0, "sent": 0, "failed": 1}
    [row] = state.failed
    assert (row["recipient"], row["kind"], row["attempts"], row["last_error"]) == (
        "canary-recipient@example.org",
        "contact_notice",
        "8",
        "550 no such user",
    )
    monkeypatch.setenv("SMTP_URL", "smtp://127.0.0.1:2525")
    send(root, AdminMailState, "load", {})
    assert substate(root, AdminMailState).mail_configured is True


@pytest.mark.parametrize("handler", ["retry", "retry_all"])
def test_retrying_queues_the_failed_mail_again_and_says_so(world, handler):
    root = new_tab(world, token_of("valid"))
    payload = {"outbox_id": world.ids[OutboxMessage]} if handler == "retry" else {}
    assert send(root, AdminMailState, handler, payload).error is None
    state = substate(root, AdminMailState)
    assert state.failed == [] and state.counts["queued"] == 1
    assert state.retried_text == "Queued again: 1."
    with open_session() as session:
        row = session.exec(select(OutboxMessage)).one()
    assert (row.status, row.attempts) == ("queued", 0)
