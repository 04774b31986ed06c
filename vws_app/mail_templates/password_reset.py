"""The forgotten-password mail: the one-time link and how long it works."""

from vws_app.i18n import translate
from vws_app.mail_templates.base import MailContent, escape, link


def build(language: str, *, reset_url: str, valid_minutes: int) -> MailContent:
    """The mail in `language`; the link opens a form, so opening it alone changes nothing."""

    def t(key: str, **params: object) -> str:
        return translate(key, language, **params)

    text = (
        f"{t('mail_reset_intro')}\n\n{reset_url}\n\n"
        f"{t('mail_reset_expiry', minutes=valid_minutes)}\n{t('mail_reset_ignore')}\n"
    )
    html = (
        f'<p style="margin:0 0 12px">{escape(t("mail_reset_intro"))}</p>'
        f'<p style="margin:0 0 16px;font-size:18px">{link(reset_url, t("mail_reset_link"))}</p>'
        f'<p style="margin:0 0 12px">{escape(t("mail_reset_expiry", minutes=valid_minutes))}</p>'
        f'<p style="margin:0 0 12px">{escape(t("mail_reset_ignore"))}</p>'
    )
    return MailContent(subject=t("mail_reset_subject"), text=text, html=html)
