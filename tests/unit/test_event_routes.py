"""The RSVP form without JavaScript (POST /events/<id>/rsvp) and the cancel link's pages."""

import re

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from tests.unit.meeting_builders import add_meeting
from vws_app.models import OutboxMessage, Rsvp
from vws_app.server.routes import backend_routes
from vws_app.settings import site_url

CANCEL_LINK = re.compile(r"/rsvp/cancel\?t=([0-9]+\.[A-Za-z0-9_-]+)")


@pytest.fixture
def client(app_database) -> TestClient:
    return TestClient(backend_routes())


def post_rsvp(client: TestClient, event_id: int, fields: dict, *, origin: str | None = "own"):
    headers = {"cookie": "vws_lang=es"}
    if origin is not None:
        headers["origin"] = site_url() if origin == "own" else origin
    return client.post(f"/events/{event_id}/rsvp", data=fields, headers=headers)


VALID = {"name": "Lucía", "email": "lucia@example.org", "people": "2", "note": "Intérprete", "consent": "yes"}


def test_an_rsvp_without_javascript_is_taken_and_answered_in_spanish(client, session):
    event = add_meeting(session, capacity=5)
    response = post_rsvp(client, event.id, VALID)
    assert response.status_code == 200
    assert "Revisa tu correo" in response.text and f"/events/{event.id}.ics?lang=es" in response.text
    row = session.exec(select(Rsvp)).one()
    assert (row.name, row.people, row.language) == ("Lucía", 2, "es")


def test_a_listed_address_gets_the_same_page_as_a_new_one_and_its_status_by_mail(client, session):
    event = add_meeting(session, capacity=2)
    answers = [
        post_rsvp(client, event.id, VALID),  # new: a place
        post_rsvp(client, event.id, {**VALID, "name": "Otra persona", "people": "1"}),  # already listed
        post_rsvp(client, event.id, {**VALID, "email": "nueva@example.org", "name": "Nueva"}),  # new: waiting list
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert answers[0].text == answers[1].text == answers[2].text
    assert [(row.email, row.status) for row in session.exec(select(Rsvp).order_by(Rsvp.id))] == [
        ("lucia@example.org", "confirmed"),
        ("nueva@example.org", "waitlisted"),
    ]
    kinds = [(mail.kind, mail.recipient) for mail in session.exec(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert kinds == [
        ("rsvp_confirmed", "lucia@example.org"),
        ("rsvp_status", "lucia@example.org"),
        ("rsvp_waitlisted", "nueva@example.org"),
    ]


def test_errors_show_beside_the_fields_in_spanish_with_the_values_kept(client, session):
    event = add_meeting(session)
    response = post_rsvp(client, event.id, {**VALID, "email": "no-es-un-correo", "consent": ""})
    assert response.status_code == 200
    assert 'id="rsvp-email-error" aria-live="polite">Este correo electrónico no parece correcto.' in response.text
    assert "Marca la casilla para aceptar." in response.text
    assert 'value="no-es-un-correo"' in response.text and ">Intérprete</textarea>" in response.text
    assert not session.exec(select(Rsvp)).all()


@pytest.mark.parametrize("origin", [None, "https://evil.example"])
def test_a_post_from_another_site_or_without_origin_stores_nothing(client, session, origin):
    event = add_meeting(session)
    response = post_rsvp(client, event.id, VALID, origin=origin)
    assert response.status_code == 403
    assert not session.exec(select(Rsvp)).all()


def test_the_cancel_link_shows_a_button_and_only_the_post_cancels(client, session):
    event = add_meeting(session)
    post_rsvp(client, event.id, VALID)
    mail = session.exec(select(OutboxMessage)).one()
    token = CANCEL_LINK.search(mail.text_body).group(1)
    page = client.get(f"/rsvp/cancel?t={token}")
    assert page.status_code == 200 and "Cancelar mi asistencia" in page.text and "Asamblea mensual" in page.text
    assert session.exec(select(Rsvp)).one()
    done = client.post("/rsvp/cancel", data={"t": token}, headers={"origin": site_url()})
    assert done.status_code == 200 and "Tu asistencia está cancelada" in done.text
    session.expire_all()
    assert not session.exec(select(Rsvp)).all() and not session.exec(select(OutboxMessage)).all()
    assert client.get(f"/rsvp/cancel?t={token}").status_code == 404
    forged = token.split(".")[0] + ".AAAA"
    assert client.post("/rsvp/cancel", data={"t": forged}, headers={"origin": site_url()}).status_code == 404
