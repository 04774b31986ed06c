"""Open letters without JavaScript: the sign form's POST, the confirmation and withdrawal links, the count in the server's HTML."""

import re
from html import unescape

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from tests.unit.content_builders import add_post, add_translation
from vws_app.i18n import CATALOGUES
from vws_app.models import LetterSignature, OutboxMessage
from vws_app.services import letters_admin
from vws_app.settings import site_url

EN, ES = CATALOGUES["en"], CATALOGUES["es"]
LINK = re.compile(r"(/letters/(?:confirm|withdraw))\?t=([A-Za-z0-9_-]+)")


@pytest.fixture
def client(backend_client) -> TestClient:
    """The backend's own routes on the test database, with a stand-in page shell for post pages."""
    return backend_client


@pytest.fixture
def pair(session, editor):
    english = add_post(session, "Letter to the union", category="open_letter", slug="letter-en")
    spanish = add_translation(session, english, "Carta al sindicato", slug="carta-es")
    letters_admin.save_settings(session, english.translation_key, editor, is_open=True, moderated=False)
    return english, spanish


def sign(client, slug="carta-es", origin="own", **changes):
    fields = {
        "name": "Luisa <b>Pérez</b>",
        "email": "luisa@example.org",
        "city": "Maracaibo",
        "country": "VE",
        "is_public": "yes",
        "consent": "yes",
        "form_language": "es",
        "website": "",
    } | changes
    headers = {"origin": site_url() if origin == "own" else origin}
    return client.post(f"/posts/{slug}/sign", data=fields, headers=headers)


def mail_links(session) -> dict[str, str]:
    session.expire_all()
    mail = session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return dict(LINK.findall(mail.text_body))


def test_plain_form_signs_and_the_links_confirm_and_withdraw_only_on_post(client, session, pair):
    response = sign(client)
    assert response.status_code == 200 and ES["letters_sent"] in unescape(response.text)
    links = mail_links(session)
    page = client.get(f"/letters/confirm?t={links['/letters/confirm']}")
    assert ES["letters_confirm_button"] in unescape(page.text)
    assert session.exec(select(LetterSignature)).one().status == "pending"
    done = client.post("/letters/confirm", data={"t": links["/letters/confirm"]}, headers={"origin": site_url()})
    assert ES["letters_confirmed_text"] in unescape(done.text) and 'href="/posts/carta-es"' in done.text
    english = client.get("/posts/letter-en")
    assert "1 person has signed" in english.text and "Luisa &lt;b&gt;Pérez&lt;/b&gt;" in english.text
    assert '<meta name="description" content="1 person has signed.' in english.text
    assert "1 persona ha firmado" in client.get("/posts/carta-es").text
    assert ES["letters_withdraw_button"] in unescape(
        client.get(f"/letters/withdraw?t={links['/letters/withdraw']}").text
    )
    gone = client.post("/letters/withdraw", data={"t": links["/letters/withdraw"]}, headers={"origin": site_url()})
    assert ES["letters_withdrawn_text"] in unescape(gone.text)
    assert session.exec(select(LetterSignature)).all() == []
    assert EN["letters_count_none"] in client.get("/posts/letter-en").text


def test_errors_come_back_beside_their_fields_with_the_values_kept(client, session, pair):
    response = sign(client, email="not-an-address", consent="")
    text = unescape(response.text)
    assert response.status_code == 200 and '<html lang="es"' in response.text
    assert ES["letters_error_email_invalid"] in text and ES["letters_error_consent_required"] in text
    assert 'value="not-an-address"' in response.text and 'value="Maracaibo"' in response.text
    assert '<option value="VE" selected>Venezuela</option>' in response.text
    assert session.exec(select(LetterSignature)).all() == []


def test_another_sites_form_and_a_closed_letter_store_nothing(client, session, pair, editor):
    assert sign(client, origin="https://evil.example").status_code == 403
    letters_admin.save_settings(session, pair[0].translation_key, editor, is_open=False, moderated=False)
    closed = sign(client)
    assert closed.status_code == 409 and ES["letters_closed"] in unescape(closed.text)
    assert session.exec(select(LetterSignature)).all() == []
    assert 'id="sign-form-plain"' not in client.get("/posts/letter-en").text


def test_the_post_page_carries_a_form_that_works_without_javascript(client, pair):
    page = client.get("/posts/letter-en").text
    assert 'action="/posts/letter-en/sign"' in page and 'method="post"' in page
    assert "luisa@example.org" not in page


def test_the_live_page_reads_both_languages_and_the_first_names(client, session, pair):
    from vws_app.state.letter import _read

    assert sign(client, is_organisation="yes", name="Sindicato").status_code == 200
    assert (
        client.post(
            "/letters/confirm", data={"t": mail_links(session)["/letters/confirm"]}, headers={"origin": site_url()}
        ).status_code
        == 200
    )
    found = _read("carta-es", 1)
    assert found.views["es"].count_text == "1 organización ha firmado"
    assert found.views["en"].count_text == "1 organisation has signed"
    assert [(row.name, row.country, row.is_organisation) for row in found.signers] == [("Sindicato", "VE", True)]
