"""Privacy texts in versions, consent stored with every kind of submission, the privacy page and retention settings, on SQLite and PostgreSQL."""

import re

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from tests.unit import meeting_builders
from tests.unit.content_builders import add_post, add_translation
from tests.unit.fake_build import page, write_build
from vws_app.i18n import CATALOGUES
from vws_app.models import (
    AuditEntry,
    ContactMessage,
    Editor,
    EditorRole,
    LetterSignature,
    PrivacyText,
    RetentionSetting,
    Rsvp,
    Subscriber,
    as_utc,
    utc_now,
)
from vws_app.server import page_shell
from vws_app.server.routes import backend_routes
from vws_app.services import contact, letters, letters_admin, privacy_page, privacy_texts, rsvp, subscriptions
from vws_app.services.consent import notice_id_from
from vws_app.services.editorial_common import ValidationFailed
from vws_app.services.letter_fields import SignRequest
from vws_app.services.retention_policy import (
    DEFAULT_RETENTION,
    MAX_DAYS,
    MAX_MONTHS,
    NotAllowed,
    load_retention_policy,
    save_retention_settings,
)
from vws_app.services.seo import section_meta
from vws_app.services.subscriptions import FollowRequest

EN, ES = CATALOGUES["en"], CATALOGUES["es"]
SITE = "http://testserver"
CLIENT = "198.51.100.7"


@pytest.fixture
def admin(session) -> Editor:
    row = Editor(
        email="ines@example.org", display_name="Inés", password_hash="not-a-real-hash", role=EditorRole.ADMIN.value
    )
    session.add(row)
    session.commit()
    return row


def test_the_first_notice_comes_from_the_catalogue_once_in_each_language(session):
    english = privacy_texts.current_notice(session, "en")
    spanish = privacy_texts.current_notice(session, "es")
    assert (english.version, english.body, english.editor_email) == (1, EN["privacy_initial_short"], "")
    assert (spanish.version, spanish.body) == (1, ES["privacy_initial_short"])
    assert privacy_texts.current_notice(session, "en").id == english.id
    assert len(session.exec(select(PrivacyText)).all()) == 2


def test_each_save_adds_a_version_audited_and_keeps_the_old_one(session, editor):
    first = privacy_texts.current_text(session, "full", "es")
    second = privacy_texts.save_version(session, "full", "es", "  Guardamos poco.\r\n\r\nLo borramos pronto. ", editor)
    third = privacy_texts.save_version(session, "full", "es", "Guardamos menos.", editor)
    assert [first.version, second.version, third.version] == [1, 2, 3]
    assert second.body == "Guardamos poco.\n\nLo borramos pronto."
    assert (third.editor_id, third.editor_email) == (editor.id, "marta@example.org")
    session.expire_all()
    kept = session.get(PrivacyText, first.id)
    assert kept.body == ES["privacy_initial_full"]  # never overwritten
    assert [row.version for row in privacy_texts.history(session, "full", "es")] == [3, 2, 1]
    assert privacy_texts.current_text(session, "full", "es").id == third.id
    assert privacy_texts.current_text(session, "full", "en").version == 1  # the other language is its own text
    audits = session.exec(select(AuditEntry).where(AuditEntry.entity == "privacytext")).all()
    assert sorted(entry.entity_id for entry in audits) == [second.id, third.id]
    assert (
        privacy_texts.save_version(session, "full", "es", "Guardamos menos.", editor).id == third.id
    )  # unchanged: no version


def test_an_empty_or_too_long_text_is_refused(session, editor):
    with pytest.raises(ValidationFailed) as empty:
        privacy_texts.save_version(session, "short", "en", "   ", editor)
    assert empty.value.errors == {"body": "admin_error_body_required"}
    with pytest.raises(ValidationFailed) as long:
        privacy_texts.save_version(session, "short", "en", "x" * 2001, editor)
    assert long.value.errors == {"body": "admin_error_too_long"}
    with pytest.raises(ValueError):
        privacy_texts.save_version(session, "other", "en", "text", editor)


def _consent(row) -> tuple:
    return row.consent_notice_id, row.consent_language, row.consent_at is not None


def test_a_contact_message_records_the_notice_version_it_was_shown(session, editor):
    shown = privacy_texts.current_notice(session, "es")
    privacy_texts.save_version(
        session, "short", "es", "Una versión más nueva.", editor
    )  # saved after the page was shown
    submission = contact.ContactSubmission(
        name="Ana", email="ana@example.org", message="Hola", language="es", notice_id=shown.id
    )
    row = contact.submit_contact_message(session, submission, submission_key="k1", client_address=CLIENT)
    assert _consent(row) == (shown.id, "es", True)


def test_without_a_known_notice_id_the_current_one_of_the_language_is_recorded(session, editor):
    newest = privacy_texts.save_version(session, "short", "en", "Newest notice.", editor)
    full = privacy_texts.current_text(session, "full", "en")
    for key, notice_id in (("k1", None), ("k2", 999_999), ("k3", full.id)):  # none, unknown, not a short notice
        submission = contact.ContactSubmission(
            name="Ana", email=f"{key}@example.org", message="Hi", notice_id=notice_id
        )
        row = contact.submit_contact_message(session, submission, submission_key=key, client_address=key)
        assert _consent(row) == (newest.id, "en", True)
    assert [notice_id_from(value) for value in ("12", 12, "", "x1", "-3", True, None, "9" * 13)] == [
        12,
        12,
        None,
        None,
        None,
        None,
        None,
        None,
    ]


def test_a_subscriber_records_the_notice_version_when_and_language(session):
    shown = privacy_texts.current_notice(session, "es")
    subscriptions.subscribe(
        session,
        FollowRequest(email="ana@example.org", language="en", consent=True, form_language="es", notice_id=shown.id),
        client_address=CLIENT,
    )
    row = session.exec(select(Subscriber)).one()
    assert _consent(row) == (shown.id, "es", True)
    assert row.consent_text == ES["follow_consent"]
    assert row.language == "en"


def test_a_letter_signature_records_the_notice_version_when_and_language(session, editor):
    english = add_post(session, "Letter to the union", category="open_letter")
    add_translation(session, english, "Carta al sindicato")
    letters_admin.save_settings(session, english.translation_key, editor, is_open=True, moderated=False)
    shown = privacy_texts.current_notice(session, "en")
    letters.sign(
        session,
        english.slug,
        SignRequest(name="Ana Díaz", email="ana@example.org", consent=True, language="en", notice_id=shown.id),
        client_address=CLIENT,
    )
    row = session.exec(select(LetterSignature)).one()
    assert _consent(row) == (shown.id, "en", True)


def test_an_rsvp_records_the_notice_version_when_and_language(session):
    event = meeting_builders.add_meeting(session)
    shown = privacy_texts.current_notice(session, "es")
    rsvp.rsvp(session, event.id, meeting_builders.request(1, language="es", notice_id=shown.id), client_address=CLIENT)
    row = session.exec(select(Rsvp)).one()
    assert _consent(row) == (shown.id, "es", True)


def test_retention_overrides_are_merged_with_the_defaults_and_audited(session, admin):
    assert load_retention_policy(session) == DEFAULT_RETENTION
    values = {
        field: str(getattr(DEFAULT_RETENTION, field))
        for field in ("spam_contact_days", "sent_mail_days", "sign_in_failure_days", "past_rsvp_days")
    }
    policy = save_retention_settings(session, {**values, "handled_contact_months": " 12 "}, admin)
    assert policy.handled_contact_months == 12 and policy.spam_contact_days == DEFAULT_RETENTION.spam_contact_days
    assert load_retention_policy(session) == policy
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.entity == "retention")).all()
    assert entry.summary == "handled_contact_months 6→12"
    session.add(RetentionSetting(name="no_longer_a_field", value=3))
    session.commit()
    assert load_retention_policy(session) == policy  # unknown names are ignored


@pytest.mark.parametrize("bad", ["0", "-1", "2.5", "", "abc", str(MAX_DAYS + 1), None, True])
def test_retention_periods_must_be_whole_numbers_in_range(session, admin, bad):
    values = {
        "handled_contact_months": "6",
        "spam_contact_days": bad,
        "sent_mail_days": "30",
        "sign_in_failure_days": "30",
        "past_rsvp_days": str(MAX_DAYS),
    }
    with pytest.raises(ValidationFailed) as refused:
        save_retention_settings(session, values, admin)
    assert refused.value.errors == {"spam_contact_days": "privacy_error_retention_range"}
    with pytest.raises(ValidationFailed):
        save_retention_settings(
            session, {**values, "spam_contact_days": "5", "handled_contact_months": str(MAX_MONTHS + 1)}, admin
        )
    assert session.exec(select(RetentionSetting)).all() == []


def test_only_admins_change_retention(session, editor):
    with pytest.raises(NotAllowed):
        save_retention_settings(session, {"handled_contact_months": "1"}, editor)
    assert session.exec(select(RetentionSetting)).all() == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_privacy_page_shows_the_full_text_and_the_periods_in_force(session, admin, language):
    catalogue = CATALOGUES[language]
    save_retention_settings(
        session,
        {
            "handled_contact_months": "9",
            "spam_contact_days": "14",
            "sent_mail_days": "30",
            "sign_in_failure_days": "30",
            "past_rsvp_days": "90",
        },
        admin,
    )
    shown = privacy_page.privacy_page(session, language)
    assert shown.paragraphs[0] == catalogue["privacy_initial_full"].split("\n\n")[0]
    assert catalogue["privacy_retention_handled_contact_months"].format(value=9) in shown.retention
    assert catalogue["privacy_retention_spam_contact_days"].format(value=14) in shown.retention
    meta = section_meta(session, "/privacy", language)
    assert meta.heading == catalogue["privacy_heading"]
    assert catalogue["privacy_retention_spam_contact_days"].format(value=14) in meta.paragraphs


@pytest.fixture
def client(app_database, monkeypatch, tmp_path) -> TestClient:
    """The backend's routes on the test database, with a stand-in build holding the contact and privacy pages."""
    build = write_build(tmp_path / "client")
    for name in ("contact.html", "privacy.html"):
        (build / name).write_text(page('import("/assets/x.js");'), encoding="utf-8")
    monkeypatch.setattr(page_shell, "build_dir", lambda: build)
    monkeypatch.setenv("SITE_URL", SITE)
    monkeypatch.delenv("SMTP_URL", raising=False)
    return TestClient(backend_routes(), base_url=SITE)


def _hidden_notice_id(text: str) -> int:
    return int(re.search(r'name="notice_id" value="(\d+)"', text).group(1))


def test_the_form_without_javascript_sends_the_notice_it_showed(client, session, editor):
    shown_page = client.get("/contact?lang=es").text
    shown_id = _hidden_notice_id(shown_page)
    assert ES["privacy_initial_short"].split(":")[0] in shown_page and 'href="/privacy?lang=es"' in shown_page
    privacy_texts.save_version(session, "short", "es", "Otra versión.", editor)  # edited while the visitor typed
    fields = {"name": "Ana", "email": "ana@example.org", "message": "Hola", "notice_id": str(shown_id)}
    assert client.post("/contact?lang=es", data=fields, headers={"origin": SITE}).status_code == 200
    session.expire_all()
    row = session.exec(select(ContactMessage)).one()
    assert _consent(row) == (shown_id, "es", True)
    assert as_utc(row.consent_at) <= utc_now()


def test_the_rsvp_form_without_javascript_records_consent(client, session):
    event = meeting_builders.add_meeting(session)
    shown = privacy_texts.current_notice(session, "en")
    fields = {"name": "Ana", "email": "ana@example.org", "people": "1", "consent": "yes", "notice_id": str(shown.id)}
    assert client.post(f"/events/{event.id}/rsvp?lang=en", data=fields, headers={"origin": SITE}).status_code == 200
    session.expire_all()
    assert _consent(session.exec(select(Rsvp)).one()) == (shown.id, "en", True)


def test_the_privacy_page_is_served_in_both_languages(client, session):
    english = client.get("/privacy?lang=en")
    assert english.status_code == 200 and EN["privacy_retention_heading"] in english.text
    moved = client.get("/es/privacy", follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (308, "/privacy?lang=es")
    spanish = client.get("/es/privacy")
    assert ES["privacy_retention_past_rsvp_days"].format(value=90) in spanish.text
    assert client.get("/xx/privacy").status_code == 404
    assert "/privacy?lang=es" in client.get("/sitemap.xml").text
