"""The answer to an RSVP: confirmed (with the `.ics`), on the waiting list, or promoted from it."""

from vws_app.i18n import translate
from vws_app.mail_templates.base import MailContent
from vws_app.mail_templates.event_details import rsvp_mail


def build(
    language: str,
    *,
    outcome: str,
    name: str,
    people: int,
    title: str,
    when: str,
    place: str,
    online_url: str,
    event_url: str,
    cancel_url: str,
) -> MailContent:
    """`outcome` is `confirmed`, `waitlisted` or `promoted`; the online link only goes to people with a place."""
    waiting = outcome == "waitlisted"
    context = {
        "title": title,
        "when": when,
        "place": place,
        "online_url": "" if waiting else online_url,
        "event_url": event_url,
        "cancel_url": cancel_url,
    }
    intro = translate(f"mail_rsvp_{outcome}_intro", language, name=name, people=people)
    after = "" if waiting else translate("mail_rsvp_calendar", language)
    subject = translate(f"mail_rsvp_{outcome}_subject", language, title=title)
    return rsvp_mail(language, subject, intro, context, after=after)
