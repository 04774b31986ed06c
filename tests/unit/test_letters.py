"""Open letters' service on SQLite and PostgreSQL: one list per pair, dedupe, confirm, expiry, moderation, withdrawal, counts."""

import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlmodel import Session, select

from tests.unit.content_builders import add_post, add_translation
from vws_app.models import AuditEntry, LetterSignature, LetterSignOn, OutboxMessage, utc_now
from vws_app.services import content, letter_counts, letters, letters_admin, letters_public
from vws_app.services.letter_fields import SignRequest, email_key
from vws_app.services.letters import RateLimited, SignatureInvalid, SignOnClosed, TokenCheck


@pytest.fixture
def pair(session, editor):
    """A published English letter and its Spanish version, with sign-on open (not moderated)."""
    english = add_post(session, "Letter to the union", category="open_letter")
    spanish = add_translation(session, english, "Carta al sindicato")
    letters_admin.save_settings(session, english.translation_key, editor, is_open=True, moderated=False)
    return english, spanish


def request(name="Ana Díaz", email="ana@example.org", **fields) -> SignRequest:
    return SignRequest(name=name, email=email, consent=True, **fields)


def links(session: Session, address: str) -> dict[str, str]:
    """The tokens in the newest confirmation mail to `address`, by path."""
    row = session.exec(
        select(OutboxMessage).where(OutboxMessage.recipient == address).order_by(OutboxMessage.id.desc())
    ).first()
    found = {}
    for word in row.text_body.split():
        if word.startswith("http") and "?t=" in word:
            parsed = urlparse(word)
            found[parsed.path] = parse_qs(parsed.query)["t"][0]
    return found


def letter_of(session, post) -> LetterSignOn:
    session.expire_all()
    return letters.letter_for_key(session, post.translation_key)


def sign_and_confirm(session, post, name, email, client="198.51.100.1", **fields) -> LetterSignature:
    letters.sign(session, post.slug, request(name, email, **fields), client_address=client)
    check, row = letters.confirm(session, links(session, email)[letters.CONFIRM_PATH])
    assert check is TokenCheck.CONFIRMED
    return row


def test_both_versions_share_one_list_and_count(session, pair):
    english, spanish = pair
    sign_and_confirm(session, spanish, "Luis", "luis@example.org", language="es")
    sign_and_confirm(session, english, "Sindicato X", "org@example.org", is_organisation=True)
    letter = letter_of(session, english)
    assert (letter.people_count, letter.organisation_count) == (1, 1)
    assert letter_of(session, spanish).id == letter.id
    names, more = letters_public.signers_page(session, letter.id, "en")
    assert [signer.name for signer in names] == ["Sindicato X", "Luis"]  # organisations first
    assert not more
    spanish_cards = {card.slug: card.signature_label for card in content.latest_posts(session, "es")}
    english_cards = {card.slug: card.signature_label for card in content.latest_posts(session, "en")}
    assert spanish_cards[spanish.slug] == "1 persona y 1 organización han firmado"
    assert english_cards[english.slug] == "1 person and 1 organisation have signed"
    assert letter_counts.count_sentence(1234, 56, "en") == "1,234 people and 56 organisations have signed"
    assert letter_counts.count_sentence(1234, 56, "es") == "1.234 personas y 56 organizaciones han firmado"


def test_the_mail_is_in_the_signers_language_with_both_links(session, pair):
    _english, spanish = pair
    letters.sign(session, spanish.slug, request(language="es"), client_address="c")
    mail = session.exec(select(OutboxMessage)).one()
    assert mail.language == "es" and mail.subject == "Confirma tu firma" and "Carta al sindicato" in mail.text_body
    assert set(links(session, "ana@example.org")) == {letters.CONFIRM_PATH, letters.WITHDRAW_PATH}
    assert "ana@example.org" not in mail.text_body.replace(f"To: {mail.recipient}", "")


def test_the_same_person_signs_once_whatever_the_spelling_of_the_address(session, pair):
    english, _spanish = pair
    assert email_key("Ana.Diaz+letters@Example.org") == email_key("anadiaz@example.org")
    sign_and_confirm(session, english, "Ana", "anadiaz@example.org")
    for spelling in ("Ana.Diaz+letters@Example.org", "ANADIAZ@example.org"):
        letters.sign(session, english.slug, request("Ana again", spelling), client_address="another")
    assert len(session.exec(select(LetterSignature)).all()) == 1
    assert letter_of(session, english).people_count == 1
    assert len(session.exec(select(OutboxMessage)).all()) == 1  # nothing tells the second caller anything


def test_only_confirmed_signatures_count_and_expired_links_fail_and_get_purged(session, pair):
    english, _spanish = pair
    start = utc_now()
    letters.sign(session, english.slug, request(), client_address="c", now=start)
    token = links(session, "ana@example.org")[letters.CONFIRM_PATH]
    assert letter_of(session, english).people_count == 0
    later = start + letters.CONFIRMATION_VALID_FOR + timedelta(minutes=1)
    assert letters.confirm(session, token, now=later)[0] is TokenCheck.EXPIRED
    assert letters.purge_unconfirmed(session, now=later) == 1
    assert session.exec(select(LetterSignature)).all() == [] and session.exec(select(OutboxMessage)).all() == []
    assert letters.confirm(session, token)[0] is TokenCheck.UNKNOWN


def test_a_second_confirmation_changes_nothing(session, pair):
    english, _spanish = pair
    letters.sign(session, english.slug, request(), client_address="c")
    token = links(session, "ana@example.org")[letters.CONFIRM_PATH]
    assert letters.confirm(session, token)[0] is TokenCheck.CONFIRMED
    assert letters.confirm(session, token)[0] is TokenCheck.CONFIRMED
    assert letter_of(session, english).people_count == 1


def test_moderated_letters_count_only_what_an_editor_approved(session, pair, editor):
    english, _spanish = pair
    letters_admin.save_settings(session, english.translation_key, editor, is_open=True, moderated=True)
    row = sign_and_confirm(session, english, "Ana", "ana@example.org")
    letter = letter_of(session, english)
    assert row.status == "awaiting" and letter.people_count == 0
    assert letters_admin.moderate(session, letter.id, [row.id], "approve", editor) == 1
    assert letter_of(session, english).people_count == 1
    assert letters_admin.moderate(session, letter.id, [row.id], "hide", editor) == 1
    assert letter_of(session, english).people_count == 0
    assert letters_public.signers_page(session, letter.id, "en")[0] == []


def test_withdrawal_and_erasure_remove_the_signer_everywhere(session, pair, editor):
    english, _spanish = pair
    sign_and_confirm(session, english, "Ana", "ana@example.org")
    withdraw = links(session, "ana@example.org")[letters.WITHDRAW_PATH]
    assert letters.withdraw(session, withdraw) == "en"
    assert letters.withdraw(session, withdraw) is None
    assert letter_of(session, english).people_count == 0
    assert session.exec(select(OutboxMessage)).all() == []
    row = sign_and_confirm(session, english, "Bea Secret", "bea@example.org")
    letters_admin.moderate(session, row.letter_id, [row.id], "delete", editor)
    assert session.exec(select(LetterSignature)).all() == [] and letter_of(session, english).people_count == 0
    entries = session.exec(select(AuditEntry).where(AuditEntry.entity == "signature")).all()
    assert entries and all("Bea" not in entry.summary and "bea@" not in entry.summary for entry in entries)


def test_closed_letters_bad_fields_honeypot_and_rate_limit(session, pair, editor, monkeypatch):
    english, _spanish = pair
    with pytest.raises(SignatureInvalid) as invalid:
        letters.sign(
            session, english.slug, SignRequest(name="", email="nope", country="XX", city="x" * 101), client_address="c"
        )
    assert set(invalid.value.errors) == {"name", "email", "country", "city", "consent"}
    letters.sign(session, english.slug, request(honeypot="http://spam"), client_address="c")
    assert session.exec(select(LetterSignature)).all() == []
    monkeypatch.setenv("LETTER_SIGN_RATE_LIMIT", "2")
    for number in range(2):
        letters.sign(session, english.slug, request(email=f"p{number}@example.org"), client_address="same")
    with pytest.raises(RateLimited):
        letters.sign(session, english.slug, request(email="p9@example.org"), client_address="same")
    letters_admin.save_settings(
        session,
        english.translation_key,
        editor,
        is_open=True,
        moderated=False,
        closes_on=(utc_now() - timedelta(days=2)).date().isoformat(),
    )
    with pytest.raises(SignOnClosed):
        letters.sign(session, english.slug, request(email="late@example.org"), client_address="d")


def test_admin_counts_chart_csv_and_text(session, pair, editor):
    english, _spanish = pair
    sign_and_confirm(session, english, "=HYPERLINK(1)", "a@example.org", city="Caracas", country="VE")
    sign_and_confirm(session, english, "Union", "u@example.org", is_organisation=True)
    letter = letter_of(session, english)
    assert letters_admin.counts(session, letter.id)["shown"] == 2
    assert sum(number for _day, number in letters_admin.confirmed_per_day(session, letter.id)) == 2
    text = letters_admin.export_csv(session, letter.id)
    assert text.startswith("\ufeff") and "'=HYPERLINK(1)" in text
    assert letters_admin.list_as_text(session, letter.id, "es").splitlines() == [
        "Union",
        "=HYPERLINK(1), Caracas, Venezuela",
    ]
    assert letters_admin.search(session, letter.id, "UNION")[1] == 1


def test_concurrent_confirmations_keep_the_count_exact(session, pair):
    """Several threads confirm 40 signatures (each token twice) at once: 40 counted, no more."""
    english, _spanish = pair
    tokens = []
    for number in range(40):
        address = f"s{number}@example.org"
        letters.sign(
            session,
            english.slug,
            request(f"S{number}", address, is_organisation=number % 4 == 0),
            client_address=f"client-{number}",
        )
        tokens.append(links(session, address)[letters.CONFIRM_PATH])
    barrier = threading.Barrier(8)
    errors = []

    def confirm_share(share):
        barrier.wait()
        try:
            with Session(session.get_bind()) as own:
                for token in share:
                    letters.confirm(own, token)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    shares = [tokens[index::4] for index in range(4)] * 2
    threads = [threading.Thread(target=confirm_share, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    letter = letter_of(session, english)
    assert (letter.people_count, letter.organisation_count) == (30, 10)
