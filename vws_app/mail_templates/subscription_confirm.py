"""The mailing list's confirmation mail: what was asked, the link to confirm (a page with a button), how long it works."""

from vws_app.i18n import translate
from vws_app.mail_templates.base import MailContent, escape, link


def build(language: str, *, confirm_url: str, valid_days: int) -> MailContent:
    """The mail in the subscriber's `language`; nothing is confirmed by opening the link alone."""

    def t(key: str, **params: object) -> str:
        return translate(key, language, **params)

    text = (
        f"{t('mail_confirm_intro')}\n\n"
        f"{t('mail_confirm_action')}\n{confirm_url}\n\n"
        f"{t('mail_confirm_expiry', days=valid_days)}\n"
    )
    html = (
        f'<p style="margin:0 0 12px">{escape(t("mail_confirm_intro"))}</p>'
        f'<p style="margin:0 0 12px">{escape(t("mail_confirm_action"))}</p>'
        f'<p style="margin:0 0 16px;font-size:18px">{link(confirm_url, t("mail_confirm_link"))}</p>'
        f'<p style="margin:0 0 12px">{escape(t("mail_confirm_expiry", days=valid_days))}</p>'
    )
    return MailContent(subject=t("mail_confirm_subject"), text=text, html=html)
