"""An open letter's confirmation mail: which letter, the link to confirm (a page with a button), the link to withdraw."""

from vws_app.i18n import translate
from vws_app.mail_templates.base import MailContent, escape, link


def build(language: str, *, letter_title: str, confirm_url: str, withdraw_url: str, valid_days: int) -> MailContent:
    """The mail in the signer's `language`; opening a link alone changes nothing (each page has a button)."""

    def t(key: str, **params: object) -> str:
        return translate(key, language, **params)

    text = (
        f"{t('mail_sign_intro')}\n{letter_title}\n\n"
        f"{t('mail_sign_action')}\n{confirm_url}\n\n"
        f"{t('mail_sign_expiry', days=valid_days)}\n\n"
        f"{t('mail_sign_withdraw')}\n{withdraw_url}\n"
    )
    html = (
        f'<p style="margin:0 0 12px">{escape(t("mail_sign_intro"))}<br><strong>{escape(letter_title)}</strong></p>'
        f'<p style="margin:0 0 12px">{escape(t("mail_sign_action"))}</p>'
        f'<p style="margin:0 0 16px;font-size:18px">{link(confirm_url, t("mail_sign_link"))}</p>'
        f'<p style="margin:0 0 12px">{escape(t("mail_sign_expiry", days=valid_days))}</p>'
        f'<p style="margin:0 0 12px">{escape(t("mail_sign_withdraw"))} {link(withdraw_url, t("mail_sign_withdraw_link"))}</p>'
    )
    return MailContent(subject=t("mail_sign_subject"), text=text, html=html)
