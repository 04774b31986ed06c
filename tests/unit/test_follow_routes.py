"""The mailing list without JavaScript: the form's POST, the confirmation link, the unsubscribe page and RFC 8058 one-click."""

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func
from sqlmodel import select
from starlette.testclient import TestClient

from vws_app.i18n import CATALOGUES
from vws_app.models import OutboxMessage, Subscriber, utc_now
from vws_app.server.routes import backend_routes
from vws_app.services.seo import section_meta
from vws_app.services.subscription_links import list_unsubscribe_headers, unsubscribe_token
from vws_app.settings import site_url

EN, ES = CATALOGUES["en"], CATALOGUES["es"]
ADDRESS = "marta.gil@example.org"
CONFIRM_LINK = re.compile(r"/follow/confirm\?t=([A-Za-z0-9_-]+)")


@pytest.fixture
def client(app_database) -> TestClient:
    """The backend's own routes on the test database; the client never follows redirects by itself."""
    return TestClient(backend_routes(), follow_redirects=False)


def post_form(client: TestClient, fields: dict, *, language: str = "es", origin: str | None = "own") -> object:
    headers = {"cookie": f"vws_lang={language}"}
    if origin is not None:
        headers["origin"] = site_url() if origin == "own" else origin
    return client.post("/follow", data=fields, headers=headers)


def valid(**changes) -> dict:
    return {"email": ADDRESS, "language": "es", "consent": "yes", "form_language": "es", "website": ""} | changes


def rows(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def confirmation_token(session) -> str:
    session.expire_all()
    mails = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return CONFIRM_LINK.findall(mails[-1].text_body)[0]


def text_of(response) -> str:
    return unescape(response.text)


def test_plain_post_stores_a_pending_subscriber_and_answers_in_the_visitors_language(client, session):
    response = post_form(client, valid())
    assert response.status_code == 200
    assert '<html lang="es"' in response.text and ES["follow_sent"] in text_of(response)
    assert response.headers["cache-control"] == "no-store"
    row = session.exec(select(Subscriber)).one()
    assert (row.email, row.status, row.language) == (ADDRESS, "pending", "es")
    assert rows(session, OutboxMessage) == 1
    assert ADDRESS not in str(response.url) and "@" not in str(response.url)


def test_errors_show_beside_the_fields_in_the_visitors_language_with_the_values_kept(client, session):
    response = post_form(client, valid(email="marta.gil@", consent=""), language="es")
    assert response.status_code == 200
    body = text_of(response)
    assert ES["follow_error_email_invalid"] in body and ES["follow_error_consent_required"] in body
    assert 'value="marta.gil@"' in response.text and 'aria-invalid="true"' in response.text
    english = text_of(post_form(client, valid(email=""), language="en"))
    assert EN["follow_error_email_required"] in english
    assert rows(session, Subscriber) == 0


def test_a_post_from_another_site_or_without_origin_is_refused(client, session):
    for origin in ("https://evil.example", None):
        response = post_form(client, valid(), origin=origin)
        assert response.status_code == 403 and ES["follow_error_other_site"] in text_of(response)
    assert rows(session, Subscriber) == 0


def test_the_answer_is_identical_for_new_pending_confirmed_and_unsubscribed_addresses(client, session):
    answers = [post_form(client, valid(email="nueva@example.org")).text]  # new
    post_form(client, valid())
    session.expire_all()
    answers.append(post_form(client, valid()).text)  # pending
    token = confirmation_token(session)
    client.post("/follow/confirm", data={"t": token}, headers={"origin": site_url()})
    answers.append(post_form(client, valid()).text)  # confirmed
    row = session.exec(select(Subscriber).where(Subscriber.email == ADDRESS)).one()
    client.post(f"/unsubscribe/one-click?t={unsubscribe_token(row)}", data={"List-Unsubscribe": "One-Click"})
    answers.append(post_form(client, valid()).text)  # unsubscribed
    assert len(set(answers)) == 1
    assert rows(session, Subscriber) == 2


def test_rate_limit_applies_to_plain_posts_too(client, session, monkeypatch):
    monkeypatch.setenv("SUBSCRIBE_RATE_LIMIT", "3")
    statuses = [post_form(client, valid(email=f"lector{n}@example.org")).status_code for n in range(6)]
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert rows(session, Subscriber) == 3
    assert "lector5@example.org" in post_form(client, valid(email="lector5@example.org")).text  # value kept


def test_the_confirmation_link_shows_a_button_and_only_the_post_confirms(client, session):
    post_form(client, valid())
    token = confirmation_token(session)
    page = client.get(f"/follow/confirm?t={token}")  # what a mail scanner fetches
    assert page.status_code == 200 and '<html lang="es"' in page.text
    assert ES["follow_confirm_button"] in text_of(page) and f'name="t" value="{token}"' in page.text
    assert 'action="/follow/confirm"' in page.text and "<script" not in page.text
    assert session.exec(select(Subscriber)).one().status == "pending"
    done = client.post("/follow/confirm", data={"t": token}, headers={"origin": site_url()})
    assert done.status_code == 200 and ES["follow_confirmed_heading"] in text_of(done)
    session.expire_all()
    assert session.exec(select(Subscriber)).one().status == "confirmed"
    assert rows(session, OutboxMessage) == 1


def test_an_expired_link_says_so_with_the_form_to_start_again(client, session):
    post_form(client, valid())
    token = confirmation_token(session)
    row = session.exec(select(Subscriber)).one()
    row.token_expires_at = utc_now() - timedelta(minutes=1)
    session.add(row)
    session.commit()
    for response in (
        client.get(f"/follow/confirm?t={token}"),
        client.post("/follow/confirm", data={"t": token}, headers={"origin": site_url()}),
    ):
        assert response.status_code == 410
        assert ES["follow_expired_heading"] in text_of(response) and 'action="/follow"' in response.text
    assert client.get("/follow/confirm?t=made-up").status_code == 404


def test_one_click_unsubscribe_needs_only_the_rfc_8058_body(client, session):
    post_form(client, valid())
    client.post("/follow/confirm", data={"t": confirmation_token(session)}, headers={"origin": site_url()})
    row = session.exec(select(Subscriber)).one()
    one_click = list_unsubscribe_headers(row)["List-Unsubscribe"].strip("<>").removeprefix(site_url())
    assert client.post(one_click, data={"other": "x"}).status_code == 400
    assert client.get(one_click).status_code == 303  # opening it in a browser changes nothing
    session.expire_all()
    assert session.exec(select(Subscriber)).one().status == "confirmed"
    response = client.post(one_click, data={"List-Unsubscribe": "One-Click"})  # no cookie, no Origin
    assert response.status_code == 200
    session.expire_all()
    assert session.exec(select(Subscriber)).one().status == "unsubscribed"
    assert client.post("/unsubscribe/one-click?t=1.forged", data={"List-Unsubscribe": "One-Click"}).status_code == 404


def test_the_unsubscribe_page_unsubscribes_with_a_button_or_changes_the_language(client, session):
    post_form(client, valid())
    client.post("/follow/confirm", data={"t": confirmation_token(session)}, headers={"origin": site_url()})
    row = session.exec(select(Subscriber)).one()
    token = unsubscribe_token(row)
    page = client.get(f"/unsubscribe?t={token}")
    assert ES["unsubscribe_button"] in text_of(page) and '<html lang="es"' in page.text
    own = {"origin": site_url()}
    saved = client.post("/unsubscribe", data={"t": token, "action": "language", "language": "en"}, headers=own)
    assert EN["unsubscribe_language_saved"].format(language_name="English") in text_of(saved)
    session.expire_all()
    assert (session.exec(select(Subscriber)).one().language, session.exec(select(Subscriber)).one().status) == (
        "en",
        "confirmed",
    )
    done = client.post("/unsubscribe", data={"t": token, "action": "unsubscribe"}, headers=own)
    assert EN["unsubscribe_done_heading"] in text_of(done)
    session.expire_all()
    assert session.exec(select(Subscriber)).one().status == "unsubscribed"
    assert client.get("/unsubscribe?t=12.nope").status_code == 404


def test_the_follow_page_has_its_own_title_and_text_in_each_language(session):
    meta = section_meta(session, "/follow", "es")
    assert meta.title == f"{ES['follow_heading']} · {ES['site_name']}"
    assert meta.paragraphs == [ES["follow_intro"]] and meta.alternates["en"] == "/follow?lang=en"
    assert section_meta(session, "/follow", "en").heading == EN["follow_heading"]
