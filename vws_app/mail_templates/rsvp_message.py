"""The editors' message to everyone who RSVPed to an event (their words, escaped, with the event's details)."""

from vws_app.i18n import translate
from vws_app.mail_templates.base import MailContent
from vws_app.mail_templates.event_details import rsvp_mail


def build(language: str, *, subject: str, body: str, **context: str) -> MailContent:
    """The editors' `subject` and `body` as written; the intro says which event it is about."""
    intro = f"{translate('mail_rsvp_message_intro', language, title=context['title'])}\n\n{body}"
    return rsvp_mail(language, subject, intro, context)
