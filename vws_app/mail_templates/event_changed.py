"""The notice that an event people RSVPed to changed or is cancelled."""

from vws_app.i18n import translate
from vws_app.mail_templates.base import MailContent
from vws_app.mail_templates.event_details import rsvp_mail


def build(language: str, *, cancelled: bool, **context: str) -> MailContent:
    """The new details (or the cancellation), with the updated `.ics` attached by the caller."""
    kind = "cancelled" if cancelled else "changed"
    subject = translate(f"mail_event_{kind}_subject", language, title=context["title"])
    return rsvp_mail(language, subject, translate(f"mail_event_{kind}_intro", language), context)
