"""The editors' notice of a new contact message: who wrote, how to answer, and the message."""

from vws_app.i18n import translate
from vws_app.mail_templates.base import MailContent, escape, link, paragraphs


def build(
    language: str,
    *,
    name: str,
    email: str,
    phone: str,
    wants_meeting: bool,
    message_language: str,
    message: str,
    inbox_url: str,
) -> MailContent:
    """The notice in the editors' `language`; the visitor's own words are quoted as typed."""

    def t(key: str, **params: object) -> str:
        return translate(key, language, **params)

    fields = [
        (t("mail_contact_field_name"), name),
        (t("mail_contact_field_email"), email),
        (t("mail_contact_field_phone"), phone or "-"),
        (t("mail_contact_field_meeting"), t("mail_yes") if wants_meeting else t("mail_no")),
        (t("mail_contact_field_language"), t(f"language_name_{message_language}")),
    ]
    text = (
        f"{t('mail_contact_intro')}\n\n"
        + "\n".join(f"{label}: {value}" for label, value in fields)
        + f"\n\n{message}\n\n{t('mail_contact_reply_hint')}\n{t('mail_contact_inbox')}: {inbox_url}\n"
    )
    rows = "".join(
        f'<tr><th align="left" style="padding:2px 12px 2px 0;vertical-align:top">{escape(label)}</th>'
        f"<td>{escape(value)}</td></tr>"
        for label, value in fields
    )
    html = (
        f'<p style="margin:0 0 12px">{escape(t("mail_contact_intro"))}</p>'
        f'<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">{rows}</table>'
        f'<div style="border-left:3px solid #d0d7de;padding-left:12px;margin:0 0 16px">{paragraphs(message)}</div>'
        f'<p style="margin:0 0 12px">{escape(t("mail_contact_reply_hint"))}</p>'
        f'<p style="margin:0">{link(inbox_url, t("mail_contact_inbox"))}</p>'
    )
    return MailContent(subject=t("mail_contact_subject", name=name), text=text, html=html)
