"""SQLModel tables: the site's content, its contact messages and its editors."""

import enum
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field, Index, SQLModel


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC (all stored times are UTC)."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive value (SQLite drops the zone) is taken as already UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _utc_column(*, nullable: bool = False, index: bool = False) -> Column:
    """A timezone-aware timestamp column (naive datetimes are a bug magnet)."""
    return Column(DateTime(timezone=True), nullable=nullable, index=index)


class Language(str, enum.Enum):
    """The languages the site is written in."""

    EN = "en"
    ES = "es"


class PostStatus(str, enum.Enum):
    """Drafts are never shown to visitors."""

    DRAFT = "draft"
    PUBLISHED = "published"


class PostCategory(str, enum.Enum):
    """Kinds of text the organisation publishes."""

    STATEMENT = "statement"
    OPEN_LETTER = "open_letter"
    ARTICLE = "article"
    NEWS = "news"


class Post(SQLModel, table=True):
    """A statement, letter or article in one language.

    Versions of the same text in other languages share a `translation_key`
    (as Wagtail keys translations), so a post links to its translation without
    a pointer that could dangle.
    """

    __table_args__ = (
        UniqueConstraint("translation_key", "language", name="uq_post_translation_language"),
        Index("ix_post_listing", "status", "language", "published_at"),
        # The public lists' order, so a page is a walk from the newest end that stops; with
        # language and translation key in it, counting, the archive and skipping to a far
        # page read this index alone (bench/README.md §4).
        Index("ix_post_published", "status", "published_at", "id", "language", "translation_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=200, unique=True, index=True)
    language: str = Field(default=Language.EN.value, max_length=2)
    translation_key: str = Field(default_factory=lambda: uuid.uuid4().hex, max_length=32, index=True)
    title: str = Field(max_length=300)
    excerpt: str = Field(default="", sa_type=Text)
    body: str = Field(default="", sa_type=Text)
    body_is_excerpt: bool = Field(
        default=False,
        description="True when only the excerpt of the original text is on file.",
    )
    image_path: str = Field(default="", max_length=500)
    image_credit: str = Field(default="", max_length=300)
    # A photo from the media library (migration 0016); `image_path` then holds its fallback JPEG's
    # address, so every reader of `image_path` keeps working. Posts from before keep only `image_path`.
    media_image_id: int | None = Field(default=None, foreign_key="mediaimage.id", index=True)
    category: str = Field(default=PostCategory.STATEMENT.value, max_length=40, index=True)
    status: str = Field(default=PostStatus.DRAFT.value, max_length=20)
    published_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    updated_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class PostTableStamp(SQLModel, table=True):
    """One row whose `stamp` a database trigger sets to a new random value on every write to `post`.

    Counts of visible posts are cached while the stamp is unchanged (`services/post_counts.py`).
    A trigger (migration 0003), not the services, moves it, so every writer counts: editors,
    seeding, the CLI, a restore, another worker, a hand-typed UPDATE.
    """

    id: int = Field(default=1, primary_key=True)
    stamp: int = Field(default=0, sa_type=BigInteger)


class Event(SQLModel, table=True):
    """A meeting, talk or action, described in both languages.

    `online_url` is the private meeting link: only people who RSVP receive it (by mail), never a
    public page, feed or calendar file. `places_taken` counts confirmed people and moves only
    through one conditional UPDATE (`services/rsvp_places.py`), so capacity holds under
    concurrent RSVPs. `sequence` goes up on each change calendar apps should see.
    """

    id: int | None = Field(default=None, primary_key=True)
    title_en: str = Field(max_length=300)
    title_es: str = Field(default="", max_length=300)
    description_en: str = Field(default="", sa_type=Text)
    description_es: str = Field(default="", sa_type=Text)
    starts_at: datetime = Field(sa_column=_utc_column(index=True))
    ends_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    timezone: str = Field(default="America/New_York", max_length=64)
    place: str = Field(default="", max_length=300)  # in English (or the only language given)
    # --- The place in Spanish, "" = as in English (migration 0015); kept beside `place`, not
    # renamed to `place_en`, so the many readers of `place` stay as they are. ---
    place_es: str = Field(default="", max_length=300)
    online_url: str = Field(default="", max_length=500)
    # --- Meetings: RSVP, capacity, calendar state (migration 0008) ---
    rsvp_enabled: bool = Field(default=False)
    capacity: int | None = Field(default=None)
    places_taken: int = Field(default=0)
    recurrence: str = Field(default="", max_length=200)  # an RRULE value, e.g. FREQ=MONTHLY;BYDAY=2TU
    sequence: int = Field(default=0)
    cancelled: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    updated_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class AllyLink(SQLModel, table=True):
    """An allied organisation, shown on the allies page in editor-chosen order."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    url: str = Field(max_length=500)
    description_en: str = Field(default="", sa_type=Text)
    description_es: str = Field(default="", sa_type=Text)
    position: int = Field(default=0, index=True)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    updated_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class SiteText(SQLModel, table=True):
    """An editable block of site prose (the mission, the goal) in one language."""

    __table_args__ = (UniqueConstraint("key", "language", name="uq_site_text_key_language"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=60)
    language: str = Field(max_length=2)
    body: str = Field(sa_type=Text)
    updated_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class ContactStatus(str, enum.Enum):
    """Where a contact message is in the editors' inbox (`services/inbox.py` says which moves are allowed)."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    HANDLED = "handled"
    SPAM = "spam"


class ContactMessage(SQLModel, table=True):
    """One submission of the contact form."""

    __table_args__ = (
        Index("ix_contact_status_created", "status", "created_at"),
        # The inbox's other filters, each walked newest first (status is often combined).
        Index("ix_contact_assignee_status_created", "assignee_id", "status", "created_at"),
        Index("ix_contact_language_created", "language", "created_at"),
        Index("ix_contact_meeting_created", "wants_meeting", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    phone: str = Field(default="", max_length=50)
    message: str = Field(sa_type=Text)
    wants_meeting: bool = Field(default=False)
    language: str = Field(default=Language.EN.value, max_length=2)
    status: str = Field(default=ContactStatus.NEW.value, max_length=20)
    submission_key: str = Field(
        max_length=64,
        unique=True,
        description="Client-made id of one submission: a double submit stores one row.",
    )
    client_hash: str = Field(
        default="",
        max_length=64,
        index=True,
        description="Salted hash of the sender's address, for the per-client rate limit.",
    )
    assignee_id: int | None = Field(
        default=None,
        foreign_key="editor.id",
        ondelete="SET NULL",
        description="The editor who looks after this message; None when nobody does.",
    )
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column(index=True))
    # Which privacy notice the sender saw beside the form, when and in which language (0011).
    consent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    consent_language: str = Field(default=Language.EN.value, max_length=2)
    consent_notice_id: int | None = Field(default=None, foreign_key="privacytext.id")


class ContactNote(SQLModel, table=True):
    """An editors' internal note on a contact message: never sent or shown to the sender.

    The author's email is copied (as in the audit log) so a note still names who wrote it
    after the account is gone; deleting the message deletes its notes.
    """

    __table_args__ = (Index("ix_contact_note_message_created", "message_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="contactmessage.id", ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="editor.id", ondelete="SET NULL")
    author_email: str = Field(max_length=320)
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class EditorRole(str, enum.Enum):
    """Admins also manage editors; editors manage content and the inbox."""

    ADMIN = "admin"
    EDITOR = "editor"


class Editor(SQLModel, table=True):
    """A person who may sign in to the admin. Only a password hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, index=True)
    display_name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=300)
    role: str = Field(default=EditorRole.EDITOR.value, max_length=20)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class EditorSession(SQLModel, table=True):
    """A signed-in browser. The token itself is never stored, only its SHA-256 hash."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    editor_id: int = Field(foreign_key="editor.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    last_seen_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    expires_at: datetime = Field(sa_column=_utc_column(index=True))
    user_agent: str = Field(
        default="", max_length=300, description="The browser's own name for itself, shown in 'Your sessions'."
    )


class SignInFailure(SQLModel, table=True):
    """One failed sign-in, counted per account and client for the lockout."""

    __table_args__ = (Index("ix_signin_failure_lookup", "email", "client_hash", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320)
    client_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class AuditEntry(SQLModel, table=True):
    """Who created, changed, published or deleted what, and when."""

    id: int | None = Field(default=None, primary_key=True)
    editor_id: int | None = Field(default=None, foreign_key="editor.id", ondelete="SET NULL")
    editor_email: str = Field(max_length=320)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: int | None = Field(default=None)
    summary: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column(index=True))


class SeedMarker(SQLModel, table=True):
    """A one-time data step that has run (so first-run content is added once, ever)."""

    name: str = Field(primary_key=True, max_length=100)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


# ---- Editor accounts: two-factor sign-in, pending sign-ins, the account policy ----


class EditorTotp(SQLModel, table=True):
    """An editor's authenticator secret; sign-in asks for a code only once `confirmed`.

    `last_used_step` is the 30-second step of the last accepted code, so a code is never
    accepted twice (RFC 6238 §5.2).
    """

    editor_id: int = Field(primary_key=True, foreign_key="editor.id", ondelete="CASCADE")
    secret: str = Field(max_length=64)
    confirmed: bool = Field(default=False)
    last_used_step: int = Field(default=0, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class RecoveryCode(SQLModel, table=True):
    """One single-use recovery code of an editor; only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    editor_id: int = Field(foreign_key="editor.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class PendingSignIn(SQLModel, table=True):
    """A correct password still waiting for its second factor, bound to a browser by an HttpOnly cookie."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    editor_id: int = Field(foreign_key="editor.id", index=True, ondelete="CASCADE")
    user_agent: str = Field(default="", max_length=300)
    expires_at: datetime = Field(sa_column=_utc_column(index=True))


class PasswordResetToken(SQLModel, table=True):
    """A one-time link to set a new password, sent by e-mail; only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    editor_id: int = Field(foreign_key="editor.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    expires_at: datetime = Field(sa_column=_utc_column())
    used_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class AccountPolicy(SQLModel, table=True):
    """The one row of account rules an admin sets (changes are audited)."""

    id: int = Field(default=1, primary_key=True)
    require_two_factor: bool = Field(default=False)


# --- Outbox: every e-mail the site sends ---


class OutboxStatus(str, enum.Enum):
    """Where one outgoing e-mail is: waiting, being sent (leased), sent, or given up on."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(SQLModel, table=True):
    """One e-mail to send, written in the same transaction as what caused it.

    The sender claims due rows with a lease (`lease_until`); a sender that dies mid-send
    leaves a lease that expires, and the row is sent again with the same `message_id`.
    """

    __table_args__ = (Index("ix_outboxmessage_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    recipient: str = Field(max_length=320)
    language: str = Field(default=Language.EN.value, max_length=2)
    subject: str = Field(max_length=500)
    text_body: str = Field(sa_type=Text)
    html_body: str = Field(sa_type=Text)
    headers_json: str = Field(default="{}", sa_type=Text)
    message_id: str = Field(max_length=255, unique=True)
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    # Groups a newsletter's rows (the foreign key is added with the postmailing table, 0006).
    mailing_id: int | None = Field(default=None, foreign_key="postmailing.id", ondelete="SET NULL", index=True)
    status: str = Field(default=OutboxStatus.QUEUED.value, max_length=20)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    lease_until: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    sent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    last_error: str = Field(default="", max_length=500)
    # Files sent with the mail: a JSON list of {filename, content_type, data (base64)} (0008).
    attachments_json: str = Field(default="[]", sa_type=Text)


# --- Mailing list: subscribers and the posts sent to them ---


class SubscriberStatus(str, enum.Enum):
    """Double opt-in: an address receives nothing until its owner confirms it."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"


class Subscriber(SQLModel, table=True):
    """One address on the mailing list ("Follow our statements").

    Only the SHA-256 of the confirmation token is kept. Consent is recorded as given: when,
    in which language and the sentence shown. The last request's client hash and time feed the
    per-client rate limit (every request touches one row, whatever the address's state).
    """

    __table_args__ = (Index("ix_subscriber_client_requests", "last_request_client_hash", "last_request_at"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, index=True)
    language: str = Field(default=Language.EN.value, max_length=2)
    status: str = Field(default=SubscriberStatus.PENDING.value, max_length=20, index=True)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    token_expires_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    confirmation_sent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    consent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    consent_language: str = Field(default=Language.EN.value, max_length=2)
    consent_text: str = Field(default="", max_length=500)
    consent_notice_id: int | None = Field(default=None, foreign_key="privacytext.id")  # the privacy notice shown (0011)
    last_request_client_hash: str = Field(default="", max_length=64)
    last_request_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    confirmed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    unsubscribed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class PostMailing(SQLModel, table=True):
    """A post pair sent to the list: one row per `translation_key`, ever (the unique key stops a second send)."""

    id: int | None = Field(default=None, primary_key=True)
    translation_key: str = Field(max_length=32, unique=True)
    post_id: int | None = Field(default=None, foreign_key="post.id", ondelete="SET NULL")
    created_by: int | None = Field(default=None, foreign_key="editor.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    total: int = Field(default=0)


# --- Open letters: sign-on settings per letter and the signatures ---


class SignatureStatus(str, enum.Enum):
    """A signature counts only once confirmed, and (under moderation) once an editor approved it."""

    PENDING = "pending"  # the signer has not confirmed their address yet
    AWAITING = "awaiting"  # confirmed; waits for an editor (moderated letters only)
    SHOWN = "shown"  # confirmed and public: counted and listed
    HIDDEN = "hidden"  # an editor hid it: neither counted nor listed


class LetterSignOn(SQLModel, table=True):
    """Sign-on for one letter: a post translation pair (`translation_key`), so both languages share it.

    `people_count` and `organisation_count` are kept by the services in the same transaction as
    every change to a signature's status (each change locks this row first), so showing them
    costs one primary-key read however many have signed.
    """

    id: int | None = Field(default=None, primary_key=True)
    translation_key: str = Field(max_length=32, unique=True)
    is_open: bool = Field(default=False)
    closes_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    goal: int = Field(default=0)  # 0: no goal
    moderated: bool = Field(default=False)
    people_count: int = Field(default=0)
    organisation_count: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class LetterSignature(SQLModel, table=True):
    """One signature of one letter. The address is never shown; `email_key` (lower case, no dots or
    `+tag` in the local part) allows one signature per person and letter. Only SHA-256 hashes of
    the confirmation and withdrawal tokens are kept."""

    __table_args__ = (
        UniqueConstraint("letter_id", "email_key", name="uq_lettersignature_letter_email"),
        # The public list: shown, public names, organisations first, newest first, a page at a time.
        Index("ix_lettersignature_listing", "letter_id", "status", "is_public", "is_organisation", "shown_at", "id"),
        Index("ix_lettersignature_client_requests", "last_request_client_hash", "last_request_at"),
        Index("ix_lettersignature_pending_expiry", "status", "token_expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="lettersignon.id", ondelete="CASCADE")
    email: str = Field(max_length=320)
    email_key: str = Field(max_length=320)
    name: str = Field(max_length=200)
    affiliation: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=100)
    country: str = Field(default="", max_length=2)  # ISO 3166 code; its name comes from babel
    is_public: bool = Field(default=True)
    is_organisation: bool = Field(default=False)
    language: str = Field(default=Language.EN.value, max_length=2)
    status: str = Field(default=SignatureStatus.PENDING.value, max_length=20)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    token_expires_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    withdraw_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    confirmation_sent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    consent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    consent_language: str = Field(default=Language.EN.value, max_length=2)
    consent_text: str = Field(default="", max_length=500)
    consent_notice_id: int | None = Field(default=None, foreign_key="privacytext.id")  # the privacy notice shown (0011)
    last_request_client_hash: str = Field(default="", max_length=64)
    last_request_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    confirmed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    shown_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


# --- Meetings: who comes to an event ---


class RsvpStatus(str, enum.Enum):
    """A place held, or a place on the waiting list (a cancelled RSVP is deleted, not kept)."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"


class Rsvp(SQLModel, table=True):
    """One person's answer to an event: how many come, a note, their language and consent.

    One row per address and event. Removing an RSVP (by its owner's link or an editor) deletes
    the row and its mail: erasure leaves nothing behind.
    """

    __table_args__ = (
        UniqueConstraint("event_id", "email", name="uq_rsvp_event_email"),
        Index("ix_rsvp_event_status", "event_id", "status", "created_at"),
        Index("ix_rsvp_client_requests", "client_hash", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE")
    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    people: int = Field(default=1)
    note: str = Field(default="", sa_type=Text)
    language: str = Field(default=Language.EN.value, max_length=2)
    status: str = Field(default=RsvpStatus.CONFIRMED.value, max_length=20)
    attended: bool = Field(default=False)
    consent_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    consent_text: str = Field(default="", max_length=500)
    consent_language: str = Field(default=Language.EN.value, max_length=2)  # the privacy notice's (0011)
    consent_notice_id: int | None = Field(default=None, foreign_key="privacytext.id")
    client_hash: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


# --- Daily jobs: one run per job and UTC day, across every worker ---


class DailyJobRun(SQLModel, table=True):
    """A claim on one day's run of a daily job (the retention purge).

    A worker inserts the row before running the job; the unique key makes a second worker's
    insert fail, so however many mail-workers run, the job runs once per UTC day. A claim whose
    run died is not retried that day: the job runs again the next day.
    """

    __table_args__ = (UniqueConstraint("job_name", "day", name="uq_dailyjobrun_job_day"),)

    id: int | None = Field(default=None, primary_key=True)
    job_name: str = Field(max_length=60)
    day: date
    claimed_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    finished_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


# --- Revisions and redirects: every save kept, old addresses kept alive (migration 0012) ---


class PostRevision(SQLModel, table=True):
    """A post's fields as one save left them; a restore is itself a new revision.

    `editor_email` is copied (as in the audit log) so a revision still names who saved it after
    the account is gone; deleting the post deletes its history.
    """

    __table_args__ = (Index("ix_postrevision_post_created", "post_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", ondelete="CASCADE")
    title: str = Field(max_length=300)
    excerpt: str = Field(default="", sa_type=Text)
    body: str = Field(default="", sa_type=Text)
    image_path: str = Field(default="", max_length=500)
    image_credit: str = Field(default="", max_length=300)
    category: str = Field(default="", max_length=40)
    status: str = Field(default="", max_length=20)
    slug: str = Field(default="", max_length=200)
    editor_id: int | None = Field(default=None, foreign_key="editor.id", ondelete="SET NULL")
    editor_email: str = Field(max_length=320)
    restored_from: int | None = Field(default=None, description="The revision a restore brought back.")
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class SiteTextRevision(SQLModel, table=True):
    """One saved version of a site text (the mission or the goal) in one language."""

    __table_args__ = (Index("ix_sitetextrevision_key_language", "key", "language", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=60)
    language: str = Field(max_length=2)
    body: str = Field(sa_type=Text)
    editor_id: int | None = Field(default=None, foreign_key="editor.id", ondelete="SET NULL")
    editor_email: str = Field(max_length=320)
    restored_from: int | None = Field(default=None)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class Redirect(SQLModel, table=True):
    """An old address that answers a permanent redirect.

    To a post (`post_id`: wherever the post now lives, so a slug changed twice is still one
    hop, and the redirect goes with the post) or to a site path (`target_path`). `origin` says
    whether a slug change, an editor or an import made it.
    """

    id: int | None = Field(default=None, primary_key=True)
    old_path: str = Field(max_length=500, unique=True, index=True)
    post_id: int | None = Field(default=None, foreign_key="post.id", ondelete="CASCADE", index=True)
    target_path: str = Field(default="", max_length=500)
    origin: str = Field(default="manual", max_length=20)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


# --- Translation status: which version of its pair a post was brought in line with ---


class PostTranslationMark(SQLModel, table=True):
    """A post's text revision, and the other version's revision it was last brought in line with.

    `content_version` goes up each time the title, excerpt or body changes. `aligned_with` is the
    other version's `content_version` when this post was last made to match it (saved from the
    Translate view, linked as its translation, or marked up to date); None for an original that
    never was, which is never stale. A post without a row is at version 1 and an original.
    A table of its own (not columns on `post`), so marking a translation up to date does not
    touch the post row and its count-cache trigger.
    """

    post_id: int = Field(primary_key=True, foreign_key="post.id", ondelete="CASCADE")
    content_version: int = Field(default=1)
    aligned_with: int | None = Field(default=None)
    aligned_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


# --- Privacy: versioned notices and retention settings ---


class PrivacyTextKind(str, enum.Enum):
    """The short notice beside each public form, and the full privacy page."""

    SHORT = "short"
    FULL = "full"


class PrivacyText(SQLModel, table=True):
    """One version of a privacy text in one language; a save adds a version, none is ever changed.

    Site texts' (key, language) shape plus a version number: submissions point at the exact
    row the person saw (`consent_notice_id`), so an old version must stay as it was.
    """

    __table_args__ = (UniqueConstraint("kind", "language", "version", name="uq_privacytext_kind_language_version"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)
    language: str = Field(max_length=2)
    version: int
    body: str = Field(sa_type=Text)
    editor_id: int | None = Field(default=None, foreign_key="editor.id", ondelete="SET NULL")
    editor_email: str = Field(default="", max_length=320)  # kept when the account is gone; "" for the first text
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class RetentionSetting(SQLModel, table=True):
    """An admin's override of one retention period (`services/retention_policy.py` names the fields)."""

    name: str = Field(primary_key=True, max_length=60)
    value: int
    updated_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


# --- media library: photos stored as renditions, described and credited (migration 0016) ---


class MediaImage(SQLModel, table=True):
    """An uploaded photo: its renditions on disk under `file_stem`, its descriptions and its credit.

    The files are `<file_stem>-<width>.webp` and `.jpg` in the upload folder (`services/media.py`
    names them); `width`/`height` are the largest rendition's, so pages can reserve the space.
    Descriptions as `_en`/`_es` columns, as events and allies hold theirs: one image, one row,
    both languages always edited together (posts' `translation_key` rows suit texts that are
    written separately, not a photo). `created_by` is the editor's id (the audit log names them).
    """

    id: int | None = Field(default=None, primary_key=True)
    file_stem: str = Field(max_length=64, unique=True)
    width: int
    height: int
    alt_en: str = Field(default="", max_length=500)
    alt_es: str = Field(default="", max_length=500)
    credit_name: str = Field(default="", max_length=200)
    credit_url: str = Field(default="", max_length=500)
    credit_licence: str = Field(default="", max_length=30)
    has_original: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column(index=True))
    created_by: int | None = Field(default=None, foreign_key="editor.id", ondelete="SET NULL")
