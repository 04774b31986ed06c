"""The forgotten-password mail against a real SMTP server, sent by the `mail-worker` process, and its pages over HTTP."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from tests.unit.test_subscription_mail import SITE, message_to, parts, site, smtp  # noqa: F401 - fixtures
from vws_app.i18n import CATALOGUES
from vws_app.models import OutboxMessage
from vws_app.services import auth

EN, ES = CATALOGUES["en"], CATALOGUES["es"]
EMAIL = "ana@example.org"
PASSWORD = "correct horse battery"
NEW_PASSWORD = "a completely new passphrase"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Real argon2 with cheap parameters: these tests check the mail and pages, not hashing cost."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def ask(client, address: str, language: str = "es"):
    return client.post(
        "/admin/forgot", data={"email": address}, headers={"origin": SITE, "cookie": f"vws_lang={language}"}
    )


def test_the_reset_mail_arrives_and_its_link_sets_a_new_password_once(site, session):  # noqa: F811
    client, collector = site
    auth.create_editor(session, EMAIL, PASSWORD)
    session.commit()
    signed_in = auth.sign_in(session, EMAIL, PASSWORD, "203.0.113.1")
    for_editor, for_stranger = ask(client, EMAIL), ask(client, "nobody@example.org")
    assert for_editor.status_code == for_stranger.status_code == 200
    assert for_editor.text == for_stranger.text, "the answer says nothing about who is an editor"
    assert ES["admin_forgot_sent"] in unescape(for_editor.text)
    message = message_to(collector, EMAIL)
    assert message["Subject"] == ES["mail_reset_subject"]
    text, html = parts(message)
    link = re.search(r"https?://\S+/admin/reset\?t=[\w-]+", text).group(0)
    assert unescape(re.search(r'href="([^"]+/admin/reset[^"]+)"', html).group(1)) == link
    target = urlsplit(link)
    form_page = client.get(f"{target.path}?{target.query}", headers={"cookie": "vws_lang=es"})
    assert form_page.status_code == 200 and 'id="reset-form"' in form_page.text and "<script" not in form_page.text
    token = target.query.removeprefix("t=")
    assert (
        client.post(
            "/admin/reset", data={"t": token, "password": NEW_PASSWORD}, headers={"origin": "https://elsewhere.example"}
        ).status_code
        == 403
    )
    weak = client.post("/admin/reset", data={"t": token, "password": "qwerty123456"}, headers={"origin": SITE})
    assert weak.status_code == 422 and 'id="reset-form"' in weak.text
    done = client.post("/admin/reset", data={"t": token, "password": NEW_PASSWORD}, headers={"origin": SITE})
    assert done.status_code == 200 and 'id="reset-sign-in"' in done.text
    again = client.post(
        "/admin/reset", data={"t": token, "password": "yet another passphrase"}, headers={"origin": SITE}
    )
    assert again.status_code == 410
    session.expire_all()
    with pytest.raises(auth.NotAuthorised):
        auth.editor_for_token(session, signed_in)
    assert auth.sign_in(session, EMAIL, NEW_PASSWORD, "203.0.113.1")
    assert [row.recipient for row in session.exec(select(OutboxMessage)).all()] == [EMAIL]
