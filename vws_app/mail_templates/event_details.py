"""The event block RSVP mails share (when, where, the private online link, the event page and the cancel link); not a template itself."""

from vws_app.i18n import translate
from vws_app.mail_templates.base import MailContent, escape, link, paragraphs


def details(language: str, *, title: str, when: str, place: str, online_url: str, event_url: str) -> tuple[str, str]:
    """(plain text, HTML) of the event's title, time, place and online link."""

    def t(key: str) -> str:
        return translate(key, language)

    lines = [title, f"{t('mail_rsvp_when')}: {when}"]
    html = [
        f'<p style="margin:0 0 8px;font-weight:bold">{escape(title)}</p>',
        f'<p style="margin:0 0 8px">{escape(t("mail_rsvp_when"))}: {escape(when)}</p>',
    ]
    if place:
        lines.append(f"{t('mail_rsvp_where')}: {place}")
        html.append(f'<p style="margin:0 0 8px">{escape(t("mail_rsvp_where"))}: {escape(place)}</p>')
    if online_url:
        lines.append(f"{t('rsvp_online_link')}: {online_url}")
        html.append(f'<p style="margin:0 0 8px">{escape(t("rsvp_online_link"))}: {link(online_url)}</p>')
    lines.append(f"{t('mail_rsvp_event_page')}: {event_url}")
    html.append(f'<p style="margin:0 0 16px">{link(event_url, t("mail_rsvp_event_page"))}</p>')
    return "\n".join(lines), "".join(html)


def rsvp_mail(language: str, subject: str, intro: str, context: dict, *, after: str = "") -> MailContent:
    """A whole RSVP mail: `intro`, the event's details, `after` (plain text) and the cancel link."""
    text_details, html_details = details(
        language,
        title=context["title"],
        when=context["when"],
        place=context["place"],
        online_url=context["online_url"],
        event_url=context["event_url"],
    )
    cancel = translate("mail_rsvp_cancel", language)
    text = f"{intro}\n\n{text_details}\n\n" + (f"{after}\n\n" if after else "") + f"{cancel}\n{context['cancel_url']}\n"
    html = (
        paragraphs(intro)
        + html_details
        + (paragraphs(after) if after else "")
        + f'<p style="margin:0 0 12px">{escape(cancel)} {link(context["cancel_url"])}</p>'
    )
    return MailContent(subject=subject, text=text, html=html)
