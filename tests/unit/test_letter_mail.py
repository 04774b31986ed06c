"""Open letters against a real SMTP server, with `mail-worker` running: the confirmation mail and the purge."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

from sqlmodel import select

from tests.unit.content_builders import add_post, add_translation
from tests.unit.smtp_server import wait_until
from tests.unit.test_subscription_mail import SITE, message_to, parts, site, smtp  # noqa: F401 - fixtures
from vws_app.i18n import CATALOGUES
from vws_app.models import LetterSignature, utc_now
from vws_app.services import letters, letters_admin
from vws_app.services.letter_fields import SignRequest

ES = CATALOGUES["es"]


def open_letter(session, editor):
    english = add_post(session, "Letter to the union", category="open_letter", slug="letter-en")
    spanish = add_translation(session, english, "Carta al sindicato", slug="carta-es")
    letters_admin.save_settings(session, english.translation_key, editor, is_open=True, moderated=False)
    return english, spanish


def test_spanish_confirmation_mail_arrives_and_its_link_confirms_the_signature(site, session, editor):
    client, collector = site
    english, _spanish = open_letter(session, editor)
    response = client.post(
        "/posts/carta-es/sign",
        headers={"origin": SITE},
        data={
            "name": "Rosa Peña",
            "email": "rosa@example.org",
            "country": "VE",
            "is_public": "yes",
            "consent": "yes",
            "form_language": "es",
        },
    )
    assert ES["letters_sent"] in unescape(response.text)
    message = message_to(collector, "rosa@example.org")
    assert message["Subject"] == ES["mail_sign_subject"]
    text, html = parts(message)
    assert "Carta al sindicato" in text and ES["mail_sign_link"] in unescape(html)
    link = re.search(r"https?://\S+/letters/confirm\?t=[\w-]+", text).group(0)
    withdraw = re.search(r"https?://\S+/letters/withdraw\?t=[\w-]+", text).group(0)
    assert "rosa" not in link + withdraw and "@" not in link + withdraw
    target = urlsplit(link)
    assert ES["letters_confirm_button"] in unescape(client.get(f"{target.path}?{target.query}").text)
    done = client.post(target.path, data={"t": target.query.removeprefix("t=")}, headers={"origin": SITE})
    assert ES["letters_confirmed_heading"] in unescape(done.text)
    session.expire_all()
    assert letters.letter_for_key(session, english.translation_key).people_count == 1


def test_the_mail_worker_purges_signatures_whose_link_expired(site, session, editor):
    english, _spanish = open_letter(session, editor)
    long_ago = utc_now() - letters.CONFIRMATION_VALID_FOR - timedelta(hours=1)
    letters.sign(
        session,
        english.slug,
        SignRequest(name="Never", email="never@example.org", consent=True),
        client_address="c",
        now=long_ago,
    )
    letters.sign(
        session, english.slug, SignRequest(name="Fresh", email="fresh@example.org", consent=True), client_address="c"
    )

    def purged():
        session.expire_all()
        return [row.name for row in session.exec(select(LetterSignature)).all()] == ["Fresh"] or None

    assert wait_until(purged, timeout=60)
