"""The reminder the day before a meeting, to people with a place."""

from vws_app.i18n import translate
from vws_app.mail_templates.base import MailContent
from vws_app.mail_templates.event_details import rsvp_mail


def build(language: str, **context: str) -> MailContent:
    """The event's details again, with the online link and the cancel link."""
    subject = translate("mail_rsvp_reminder_subject", language, title=context["title"])
    return rsvp_mail(language, subject, translate("mail_rsvp_reminder_intro", language), context)
