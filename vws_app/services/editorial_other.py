"""Editors' work on everything but posts: events, allied organisations and the site's texts."""

import dataclasses
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func
from sqlmodel import Session, col, select

from vws_app.i18n import SUPPORTED_LANGUAGES
from vws_app.models import AllyLink, Editor, Event, SiteText, utc_now
from vws_app.services import audit, rsvp_mail
from vws_app.services.editorial_common import (
    ValidationFailed,
    aware_or_none,
    commit_or_conflict,
    delete_audited,
    flush_or_conflict,
    get_or_raise,
    save_audited,
)
from vws_app.services.recurrence import rule_error
from vws_app.services.rsvp_changes import calendar_change
from vws_app.services.site_text_revisions import ensure_site_text_baseline, record_site_text_revision
from vws_app.settings import events_timezone

TITLE_MAX_LENGTH = 300
PLACE_MAX_LENGTH = 300
URL_MAX_LENGTH = 500
ALLY_NAME_MAX_LENGTH = 200
SITE_TEXT_KEYS = ("mission", "goal")


def is_web_url(value: str) -> bool:
    """True for an http(s) address with a host: what visitors may safely be sent to."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname) and not any(c.isspace() for c in value)


def _check_url(errors: dict[str, str], field: str, value: str, *, required: bool) -> None:
    """Note in `errors` what is wrong with a link field (empty is fine unless `required`)."""
    if not value:
        if required:
            errors[field] = "admin_error_url_required"
    elif len(value) > URL_MAX_LENGTH or not is_web_url(value):
        errors[field] = "admin_error_url_invalid"


def _is_time_zone(name: str) -> bool:
    """True when `name` is an IANA zone this machine knows ("America/Caracas")."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


@dataclasses.dataclass(frozen=True)
class EventInput:
    """What the event form sends. Times are timezone-aware; `starts_at=None` means not given."""

    title_en: str
    title_es: str = ""
    description_en: str = ""
    description_es: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    timezone: str = dataclasses.field(default_factory=events_timezone)
    place: str = ""
    place_es: str = ""  # "" = as in English
    online_url: str = ""  # private: only people who RSVP receive it
    recurrence: str = ""  # an RRULE value; empty for a one-off event


def _event_errors(data: EventInput, starts_at: datetime | None, ends_at: datetime | None) -> dict[str, str]:
    """Every field of an event that is wrong, as field -> catalogue key."""
    errors: dict[str, str] = {}
    if not data.title_en.strip():
        errors["title_en"] = "admin_error_title_required"
    elif len(data.title_en.strip()) > TITLE_MAX_LENGTH:
        errors["title_en"] = "admin_error_title_too_long"
    if len(data.title_es.strip()) > TITLE_MAX_LENGTH:
        errors["title_es"] = "admin_error_title_too_long"
    if starts_at is None:
        errors["starts_at"] = "admin_error_starts_at_required"
    elif ends_at is not None and ends_at < starts_at:
        errors["ends_at"] = "admin_error_ends_before_start"
    if not _is_time_zone(data.timezone.strip()):
        errors["timezone"] = "admin_error_timezone_invalid"
    for field in ("place", "place_es"):
        if len(getattr(data, field).strip()) > PLACE_MAX_LENGTH:
            errors[field] = "admin_error_too_long"
    _check_url(errors, "online_url", data.online_url.strip(), required=False)
    if recurrence_error := rule_error(data.recurrence, starts_at, data.timezone.strip()):
        errors["recurrence"] = recurrence_error
    return errors


def _save_event(session: Session, event: Event | None, data: EventInput, editor: Editor) -> Event:
    """Validate `data` into `event` (or a new one), audit and commit.

    Raises:
        ValidationFailed: a field is wrong; nothing is saved.
        ValueError: a time is naive.
    """
    starts_at, ends_at = aware_or_none(data.starts_at), aware_or_none(data.ends_at)
    errors = _event_errors(data, starts_at, ends_at)
    if errors:
        raise ValidationFailed(errors)
    assert starts_at is not None  # _event_errors refused it otherwise
    action = "update" if event is not None else "create"
    event = event or Event(title_en="", starts_at=starts_at)
    event.title_en, event.title_es = data.title_en.strip(), data.title_es.strip()
    event.description_en, event.description_es = data.description_en.strip(), data.description_es.strip()
    event.starts_at, event.ends_at = starts_at, ends_at
    event.timezone = data.timezone.strip()
    event.place, event.place_es, event.online_url = data.place.strip(), data.place_es.strip(), data.online_url.strip()
    event.recurrence = data.recurrence.strip().removeprefix("RRULE:")
    event.updated_at = utc_now()
    if event.id is not None and calendar_change(event):
        # Calendar apps see the change by its SEQUENCE; people who RSVPed by mail, in this commit.
        event.sequence += 1
        rsvp_mail.enqueue_change_notices(session, event)
    return save_audited(session, event, editor, action, "event", event.title_en)


def create_event(session: Session, data: EventInput, editor: Editor) -> Event:
    """Save a new event with its "create" audit entry, in one commit.

    Raises:
        ValidationFailed: a field is wrong; nothing is saved.
        ValueError: a time is naive.
    """
    return _save_event(session, None, data, editor)


def update_event(session: Session, event_id: int, data: EventInput, editor: Editor) -> Event:
    """Change an event, audited as "update".

    Raises:
        NotFound: no such event.
        ValidationFailed: a field is wrong; nothing is saved.
        ValueError: a time is naive.
    """
    return _save_event(session, get_or_raise(session, Event, event_id), data, editor)


def delete_event(session: Session, event_id: int, editor: Editor) -> None:
    """Delete an event, audited.

    Raises:
        NotFound: no such event.
    """
    event = get_or_raise(session, Event, event_id)
    delete_audited(session, event, editor, "event", event.title_en)


def list_events_admin(session: Session) -> list[Event]:
    """Every event, past and future, the latest start first."""
    return list(session.exec(select(Event).order_by(col(Event.starts_at).desc(), col(Event.id).desc())).all())


@dataclasses.dataclass(frozen=True)
class AllyInput:
    """What the ally form sends."""

    name: str
    url: str
    description_en: str = ""
    description_es: str = ""


def _save_ally(session: Session, ally: AllyLink | None, data: AllyInput, editor: Editor) -> AllyLink:
    """Validate `data` into `ally` (or a new one at the end of the list), audit and commit.

    Raises:
        ValidationFailed: a field is wrong; nothing is saved.
    """
    errors: dict[str, str] = {}
    name, url = data.name.strip(), data.url.strip()
    if not name:
        errors["name"] = "admin_error_name_required"
    elif len(name) > ALLY_NAME_MAX_LENGTH:
        errors["name"] = "admin_error_too_long"
    _check_url(errors, "url", url, required=True)
    if errors:
        raise ValidationFailed(errors)
    action = "update" if ally is not None else "create"
    if ally is None:
        last = session.exec(select(func.max(AllyLink.position))).one()
        ally = AllyLink(name=name, url=url, position=0 if last is None else last + 1)
    ally.name, ally.url = name, url
    ally.description_en, ally.description_es = data.description_en.strip(), data.description_es.strip()
    ally.updated_at = utc_now()
    return save_audited(session, ally, editor, action, "ally", ally.name)


def create_ally(session: Session, data: AllyInput, editor: Editor) -> AllyLink:
    """Add an allied organisation at the end of the list, audited.

    Raises:
        ValidationFailed: a field is wrong; nothing is saved.
    """
    return _save_ally(session, None, data, editor)


def update_ally(session: Session, ally_id: int, data: AllyInput, editor: Editor) -> AllyLink:
    """Change an allied organisation (its place in the list stays), audited.

    Raises:
        NotFound: no such ally.
        ValidationFailed: a field is wrong; nothing is saved.
    """
    return _save_ally(session, get_or_raise(session, AllyLink, ally_id), data, editor)


def delete_ally(session: Session, ally_id: int, editor: Editor) -> None:
    """Remove an allied organisation, audited.

    Raises:
        NotFound: no such ally.
    """
    ally = get_or_raise(session, AllyLink, ally_id)
    delete_audited(session, ally, editor, "ally", ally.name)


def list_allies_admin(session: Session) -> list[AllyLink]:
    """Every allied organisation in the order visitors see them."""
    return list(session.exec(select(AllyLink).order_by(col(AllyLink.position), col(AllyLink.id))).all())


def move_ally(session: Session, ally_id: int, direction: int, editor: Editor) -> list[AllyLink]:
    """Swap an ally with its neighbour above (-1) or below (+1); returns the new order.

    Positions are renumbered 0, 1, 2… on the way, so ties left by older data cannot make
    a move do nothing. Moving the first up or the last down changes and records nothing.

    Raises:
        NotFound: no such ally.
        ValueError: `direction` is not -1 or +1.
    """
    if direction not in (-1, 1):
        raise ValueError(f"direction must be -1 or +1, got {direction!r}")
    ally = get_or_raise(session, AllyLink, ally_id)
    order = list_allies_admin(session)
    index = order.index(ally)
    target = index + direction
    if not 0 <= target < len(order):
        return order
    order[index], order[target] = order[target], order[index]
    for position, row in enumerate(order):
        if row.position != position:
            row.position = position
            session.add(row)
    audit.record(session, editor, "move", "ally", ally.id, f"{ally.name} {'up' if direction < 0 else 'down'}")
    session.commit()
    return list_allies_admin(session)


def update_site_text(session: Session, key: str, language: str, body: str, editor: Editor) -> SiteText:
    """Save the mission or goal text in one language (created if missing), audited as "update".

    Raises:
        ValidationFailed: unknown key or language, or an empty body; nothing is saved.
            {"form": "admin_error_conflict"} when another editor created the same text
            at the same moment.
    """
    errors: dict[str, str] = {}
    if key not in SITE_TEXT_KEYS:
        errors["key"] = "admin_error_site_text_key_invalid"
    if language not in SUPPORTED_LANGUAGES:
        errors["language"] = "admin_error_language_invalid"
    if not body.strip():
        errors["body"] = "admin_error_body_required"
    if errors:
        raise ValidationFailed(errors)
    text = session.exec(select(SiteText).where(SiteText.key == key, SiteText.language == language)).first()
    text = text or SiteText(key=key, language=language, body="")
    ensure_site_text_baseline(session, text)
    text.body = body.strip()
    text.updated_at = utc_now()
    session.add(text)
    flush_or_conflict(session)
    record_site_text_revision(session, text, editor)
    audit.record(session, editor, "update", "site_text", text.id, f"{key} ({language})")
    commit_or_conflict(session)
    session.refresh(text)
    return text


def site_texts_admin(session: Session) -> dict[tuple[str, str], str]:
    """Every editable text by (key, language), '' where none is saved yet, for the form."""
    texts = {(key, language): "" for key in SITE_TEXT_KEYS for language in SUPPORTED_LANGUAGES}
    for row in session.exec(select(SiteText).where(col(SiteText.key).in_(SITE_TEXT_KEYS))).all():
        texts[(row.key, row.language)] = row.body
    return texts
