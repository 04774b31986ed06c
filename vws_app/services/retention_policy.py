"""How long the site keeps what it stores about people: one policy, read by the privacy page and the daily purge.

The defaults below are what a fresh site promises. An admin may change each period
(`save_retention_settings`, audited); `load_retention_policy` returns the defaults with those
changes, so what the privacy page says and what the purge job does cannot drift apart.
"""

import dataclasses

from sqlmodel import Session, select

from vws_app.models import Editor, EditorRole, RetentionSetting, utc_now
from vws_app.services import audit
from vws_app.services.editorial_common import ValidationFailed, commit_or_conflict


@dataclasses.dataclass(frozen=True)
class RetentionPolicy:
    """Periods after which rows about people are deleted (whole days or months, as named)."""

    handled_contact_months: int = 6  # contact messages marked handled, counted from the last change
    spam_contact_days: int = 30  # contact messages marked spam
    sent_mail_days: int = 30  # outbox messages already sent or given up (they hold addresses)
    sign_in_failure_days: int = 30  # failed sign-ins, kept only to rate-limit guessing
    past_rsvp_days: int = 90  # RSVPs to meetings that ended this long ago


DEFAULT_RETENTION = RetentionPolicy()
FIELDS = tuple(field.name for field in dataclasses.fields(RetentionPolicy))
# The longest period an admin may set, per unit: five years. Keeping things longer is no
# retention policy; a shorter minimum than one would delete things before anyone can act on them.
MAX_MONTHS = 60
MAX_DAYS = 1825
AUDIT_ENTITY = "retention"


class NotAllowed(Exception):
    """Only admins change the retention periods."""


def maximum(field: str) -> int:
    """The largest value `field` may take (its unit is the last word of its name)."""
    return MAX_MONTHS if field.endswith("_months") else MAX_DAYS


def parse_period(field: str, value: object) -> int | None:
    """`value` as a whole number from 1 to `maximum(field)`, or None when it is anything else."""
    if isinstance(value, bool):
        return None
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if not text.isdigit() or len(text) > 6:
        return None
    number = int(text)
    return number if 1 <= number <= maximum(field) else None


def load_retention_policy(session: Session) -> RetentionPolicy:
    """The policy in force: the defaults, with whatever an admin has changed.

    A stored value that no longer fits (a field renamed, a limit lowered) is ignored, so the
    purge never runs on a period the admin page would refuse.
    """
    overrides = {}
    for setting in session.exec(select(RetentionSetting)).all():
        if setting.name in FIELDS and parse_period(setting.name, setting.value) is not None:
            overrides[setting.name] = setting.value
    return dataclasses.replace(DEFAULT_RETENTION, **overrides)


def save_retention_settings(session: Session, values: dict[str, object], editor: Editor) -> RetentionPolicy:
    """Store an admin's periods (every field of the policy), audited in the same commit; returns the policy now in force.

    Raises:
        NotAllowed: `editor` is not an admin; nothing is stored.
        ValidationFailed: a field is missing or not a whole number from 1 to its maximum
            ("privacy_error_retention_range"), or another admin saved at the same moment.
    """
    if editor.role != EditorRole.ADMIN.value:
        raise NotAllowed(editor.email)
    parsed = {field: parse_period(field, values.get(field)) for field in FIELDS}
    errors = {field: "privacy_error_retention_range" for field, number in parsed.items() if number is None}
    if errors:
        raise ValidationFailed(errors)
    before = load_retention_policy(session)
    changes = [
        f"{field} {getattr(before, field)}→{parsed[field]}"
        for field in FIELDS
        if getattr(before, field) != parsed[field]
    ]
    if not changes:
        return before
    now, stored = utc_now(), {setting.name: setting for setting in session.exec(select(RetentionSetting)).all()}
    for field in FIELDS:
        setting = stored.get(field) or RetentionSetting(name=field, value=0)
        number = parsed[field]
        assert number is not None  # refused above
        setting.value, setting.updated_at = number, now
        session.add(setting)
    audit.record(session, editor, "update", AUDIT_ENTITY, None, ", ".join(changes))
    commit_or_conflict(session)
    return load_retention_policy(session)
