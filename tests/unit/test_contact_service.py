"""Contact form intake: cleaning, validation, abuse rules and storing each submission once."""

import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, func
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session, select

from vws_app.i18n import en
from vws_app.models import ContactMessage, as_utc
from vws_app.services import contact
from vws_app.services.contact import ContactSubmission, ContactValidationError, RateLimited
from vws_app.services.database import engine_for, upgrade_to_head

T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
CLIENT = "203.0.113.7"
OTHER_CLIENT = "198.51.100.23"


def submission(**changes) -> ContactSubmission:
    """A valid submission, with `changes` applied."""
    values = {"name": "Ana Pérez", "email": "ana@example.com", "message": "Quiero ayudar."}
    return ContactSubmission(**(values | changes))


def submit(session, sent: ContactSubmission, *, key="key-1", client=CLIENT, now=T0):
    return contact.submit_contact_message(session, sent, submission_key=key, client_address=client, now=now)


def stored_count(session) -> int:
    return session.exec(select(func.count()).select_from(ContactMessage)).one()


def only_row(session) -> ContactMessage:
    return session.exec(select(ContactMessage)).one()


def validation_errors(sent: ContactSubmission) -> dict[str, str]:
    """The errors `sent` is refused with, each checked to be a catalogue key.

    Pure rule checks need no database; storing nothing on error is tested once, with one
    (`test_invalid_submission_raises_with_every_wrong_field_and_stores_nothing`).
    """
    with pytest.raises(ContactValidationError) as refused:
        contact.clean_submission(sent)
    for key in refused.value.errors.values():
        assert key in en.MESSAGES
    return refused.value.errors


# --- storing a valid message -------------------------------------------------------------


def test_valid_submission_is_stored_once_as_new_with_time_language_and_normalised_email(session):
    sent = submission(email="Ana@Example.COM", phone="+58 412-555-1234", wants_meeting=True, language="es-VE")
    row = submit(session, sent, key="abc123")
    session.expire_all()
    stored = only_row(session)
    assert stored.id == row.id
    assert stored.status == "new"
    assert as_utc(stored.created_at) == T0
    assert stored.language == "es"
    assert stored.email == "Ana@example.com"
    assert (stored.name, stored.phone, stored.message) == ("Ana Pérez", "+58 412-555-1234", "Quiero ayudar.")
    assert stored.wants_meeting is True
    assert stored.submission_key == "abc123"
    assert stored.client_hash == contact.client_hash(CLIENT)


def test_created_at_defaults_to_the_current_time(session):
    before = datetime.now(UTC)
    row = contact.submit_contact_message(session, submission(), submission_key="k", client_address=CLIENT)
    assert before <= as_utc(row.created_at) <= datetime.now(UTC)


def test_unknown_language_is_stored_as_english(session):
    assert submit(session, submission(language="fr-FR")).language == "en"


def test_created_at_is_the_same_instant_when_now_is_given_in_another_timezone(session):
    caracas_morning = T0.astimezone(timezone(timedelta(hours=-4)))
    submit(session, submission(), now=caracas_morning)
    session.expire_all()
    assert as_utc(only_row(session).created_at) == T0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ana@Example.COM", "Ana@example.com"),
        ("josé@exämple.com", "josé@exämple.com"),
        ("用户@例子.广告", "用户@例子.广告"),
        ("  ana@example.com \t", "ana@example.com"),
    ],
)
def test_email_is_accepted_and_stored_normalised_including_internationalised(session, typed, stored):
    assert submit(session, submission(email=typed)).email == stored
    session.expire_all()
    assert only_row(session).email == stored


@pytest.mark.parametrize(
    "typed",
    [
        "plainaddress",
        "ana@",
        "@example.com",
        "ana example@example.com",
        "ana@@example.com",
        "ana@example..com",
        "ana@example",
        "a" * 250 + "@example.com",
        "ana@exa mple.com",
    ],
)
def test_invalid_email_is_refused_as_invalid(typed):
    assert validation_errors(submission(email=typed)) == {"email": "contact_error_email_invalid"}


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("name", "contact_error_name_required"),
        ("email", "contact_error_email_required"),
        ("message", "contact_error_message_required"),
    ],
)
@pytest.mark.parametrize("blank", ["", "   ", "\n\t ", "\x00\x07"])
def test_required_field_left_blank_is_refused(field, key, blank):
    assert validation_errors(submission(**{field: blank})) == {field: key}


def test_invalid_submission_raises_with_every_wrong_field_and_stores_nothing(session):
    with pytest.raises(ContactValidationError) as refused:
        submit(session, ContactSubmission(name="", email="nope", message="", phone="abc"))
    assert stored_count(session) == 0
    assert refused.value.errors == {
        "name": "contact_error_name_required",
        "email": "contact_error_email_invalid",
        "phone": "contact_error_phone_invalid",
        "message": "contact_error_message_required",
    }


# --- lengths ------------------------------------------------------------------------------


def test_name_of_exactly_200_characters_is_stored_even_in_multibyte_letters(session):
    name = "ñ" * 200
    assert submit(session, submission(name=name)).name == name
    session.expire_all()
    assert only_row(session).name == name


def test_name_over_200_characters_is_refused():
    assert validation_errors(submission(name="ñ" * 201)) == {"name": "contact_error_name_too_long"}


def test_length_is_counted_after_trimming(session):
    assert submit(session, submission(name="  " + "a" * 200 + "  ")).name == "a" * 200


def test_message_of_exactly_5000_characters_is_stored(session):
    message = "x" * 5000
    submit(session, submission(message=message))
    session.expire_all()
    assert only_row(session).message == message


def test_message_over_5000_characters_is_refused():
    errors = validation_errors(submission(message="x" * 5001))
    assert errors == {"message": "contact_error_message_too_long"}


def test_long_non_latin_message_with_line_breaks_is_stored_intact(session):
    paragraph = "Солидарность с работниками Венесуэлы. 团结委内瑞拉工人。تضامن مع عمال فنزويلا. 👩‍👩‍👧\n"
    message = (paragraph * 60).strip()
    assert 4000 < len(message) <= 5000
    submit(session, submission(message=message))
    session.expire_all()
    assert only_row(session).message == message


# --- cleaning -----------------------------------------------------------------------------


def test_surrounding_whitespace_is_trimmed_from_every_field(session):
    sent = ContactSubmission(
        name="  Ana  ", email=" ana@example.com\n", phone=" 0212 555 1234 ", message="\n  Hola  \n\n"
    )
    row = submit(session, sent)
    assert (row.name, row.email, row.phone, row.message) == ("Ana", "ana@example.com", "0212 555 1234", "Hola")


def test_control_characters_are_stripped_but_message_keeps_its_line_breaks_and_tabs(session):
    sent = submission(name="An\x00a\x07 Pé\x1brez", message="Line\x00 one\r\nLine\x07 two\n\tindented\x1b[31m")
    row = submit(session, sent)
    session.expire_all()
    stored = only_row(session)
    assert stored.id == row.id
    assert stored.name == "Ana Pérez"
    assert stored.message == "Line one\nLine two\n\tindented[31m"


@pytest.mark.parametrize(
    "name",
    [
        "José Ñúñez",
        "محمد",
        "👩‍👩‍👧 Family",
        "\u202bمحمد علي\u202c",
        "שרה כהן",
        "Nguyễn Thị Ánh",
        "李小龙",
        "e\u0301lodie",
    ],
)
def test_unicode_names_are_kept_exactly(session, name):
    assert submit(session, submission(name=name)).name == name
    session.expire_all()
    assert only_row(session).name == name


@pytest.mark.parametrize(
    ("field", "typed", "cleaned"),
    [
        ("name", " A\x00n\x1fa\x7f ", "Ana"),
        ("name", "line\nbreak", "linebreak"),
        ("message", "a\r\nb\x85c", "a\nbc"),
        ("message", "  \n keep\tinner \n ", "keep\tinner"),
        ("email", None, ""),
    ],
)
def test_clean_text_trims_and_strips_control_characters_but_message_keeps_breaks(field, typed, cleaned):
    assert contact.clean_text(field, typed) == cleaned


# --- phone --------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["", "   ", "+58 412-555-1234", "(0212) 555.1234", "04125551234"])
def test_phone_is_optional_and_accepts_usual_formats(phone):
    assert contact.clean_submission(submission(phone=phone)).phone == phone.strip()


@pytest.mark.parametrize(
    "phone",
    ["call me", "1234", "+58 412 555 1234; DROP TABLE", "12345abc", "1" * 51, "+58 ext. 12345", "++"],
)
def test_junk_phone_is_refused(phone):
    assert validation_errors(submission(phone=phone)) == {"phone": "contact_error_phone_invalid"}


def test_field_error_is_none_for_good_values_and_a_catalogue_key_otherwise():
    assert contact.field_error("email", "ana@example.com") is None
    assert contact.field_error("phone", "") is None
    for field, value in [("name", ""), ("email", "x"), ("phone", "x"), ("message", "y" * 5001)]:
        assert contact.field_error(field, value) in en.MESSAGES


# --- honeypot -----------------------------------------------------------------------------


def test_filled_honeypot_returns_none_and_stores_nothing(session):
    assert submit(session, submission(honeypot="http://spam.example")) is None
    assert stored_count(session) == 0


def test_whitespace_only_honeypot_counts_as_empty(session):
    assert submit(session, submission(honeypot="  ")) is not None
    assert stored_count(session) == 1


# --- client hash --------------------------------------------------------------------------


def test_client_hash_is_stable_per_client_salted_and_does_not_reveal_the_address(monkeypatch):
    monkeypatch.setenv("VWS_SECRET_KEY", "one salt")
    first = contact.client_hash(CLIENT)
    assert first == contact.client_hash(CLIENT)
    assert first != contact.client_hash(OTHER_CLIENT)
    assert CLIENT not in first and len(first) == 64
    monkeypatch.setenv("VWS_SECRET_KEY", "another salt")
    assert contact.client_hash(CLIENT) != first


# --- rate limit ---------------------------------------------------------------------------


def send_five(session, *, client=CLIENT, start=T0) -> None:
    """Five different messages from `client`, one minute apart from `start`."""
    for minute in range(contact.RATE_LIMIT_COUNT):
        submit(
            session,
            submission(message=f"Message {minute}"),
            key=f"{client}-{minute}",
            client=client,
            now=start + timedelta(minutes=minute),
        )


def test_sixth_message_within_ten_minutes_is_refused_with_minutes_to_wait_and_not_stored(session):
    send_five(session)
    with pytest.raises(RateLimited) as limited:
        submit(session, submission(message="Sixth"), key="sixth", now=T0 + timedelta(minutes=5))
    assert limited.value.retry_after_minutes == 5
    assert stored_count(session) == 5
    assert session.exec(select(ContactMessage).where(ContactMessage.submission_key == "sixth")).first() is None


@pytest.mark.parametrize(
    ("later", "minutes"),
    [
        (timedelta(minutes=4, seconds=1), 6),
        (timedelta(minutes=9, seconds=30), 1),
        (timedelta(minutes=9, seconds=59), 1),
    ],
)
def test_minutes_to_wait_round_up_and_are_never_zero(session, later, minutes):
    send_five(session)
    with pytest.raises(RateLimited) as limited:
        submit(session, submission(message="Sixth"), key="sixth", now=T0 + later)
    assert limited.value.retry_after_minutes == minutes


def test_another_client_is_not_limited_by_someone_elses_messages(session):
    send_five(session)
    row = submit(session, submission(message="Sixth"), key="other", client=OTHER_CLIENT, now=T0 + timedelta(minutes=5))
    assert row is not None
    assert stored_count(session) == 6


def test_client_may_send_again_once_the_oldest_message_leaves_the_window(session):
    send_five(session)
    with pytest.raises(RateLimited):
        submit(session, submission(message="Sixth"), key="sixth", now=T0 + timedelta(minutes=10))
    row = submit(session, submission(message="Sixth"), key="sixth", now=T0 + timedelta(minutes=10, seconds=1))
    assert row.message == "Sixth"
    assert stored_count(session) == 6


# --- duplicates ---------------------------------------------------------------------------


def test_same_submission_key_twice_stores_one_row_and_returns_it(session):
    first = submit(session, submission(), key="double-click")
    again = submit(session, submission(), key="double-click", now=T0 + timedelta(seconds=1))
    assert again.id == first.id
    assert stored_count(session) == 1


def test_same_text_from_same_client_with_new_key_stores_one_row(session):
    first = submit(session, submission(name="Ana "), key="first")
    again = submit(session, submission(name=" Ana"), key="second", now=T0 + timedelta(minutes=2))
    assert again.id == first.id
    assert stored_count(session) == 1


def test_repeated_text_does_not_count_towards_or_trip_the_rate_limit(session):
    send_five(session)
    again = submit(session, submission(message="Message 0"), key="resend", now=T0 + timedelta(minutes=6))
    assert again.submission_key == f"{CLIENT}-0"
    assert stored_count(session) == 5


def test_same_text_from_another_client_or_after_the_window_is_a_new_message(session):
    submit(session, submission(), key="first")
    submit(session, submission(), key="other-client", client=OTHER_CLIENT, now=T0 + timedelta(minutes=1))
    submit(session, submission(), key="much-later", now=T0 + timedelta(minutes=11))
    assert stored_count(session) == 3


# --- database failure ---------------------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A migrated SQLite database file of its own, whose writes another connection can block."""
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    upgrade_to_head(url)
    yield url
    engine_for(url).dispose()


def test_database_fault_raises_stores_nothing_and_a_retry_stores_exactly_one_row(sqlite_url):
    # Tests run as root, and chmod 0o444 on the file and its directory does not stop root from
    # writing (checked). The fault used instead is one a live site meets: another process holds
    # SQLite's write lock (BEGIN EXCLUSIVE) for longer than our busy timeout, so the INSERT
    # fails with "database is locked". The app waits 15 s; this engine only 0.1 s, to stay fast.
    engine = engine_for(sqlite_url)
    event.listen(engine, "connect", lambda connection, _record: connection.execute("PRAGMA busy_timeout=100"))
    engine.dispose()
    blocker = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with Session(engine) as session, pytest.raises(SQLAlchemyError) as failed:
            submit(session, submission(), key="retry-me")
        assert isinstance(failed.value, OperationalError)
        assert "locked" in str(failed.value)
    finally:
        blocker.rollback()
        blocker.close()
    with Session(engine) as session:
        assert stored_count(session) == 0
        row = submit(session, submission(), key="retry-me", now=T0 + timedelta(seconds=5))
        assert row.id is not None
    with Session(engine) as session:
        assert stored_count(session) == 1
        assert only_row(session).submission_key == "retry-me"
