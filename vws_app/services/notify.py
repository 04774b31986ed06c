"""Optional e-mail to editors about a new contact message; never in the way of storing it."""

import logging
import os
import smtplib
import threading
from email.message import EmailMessage
from email.policy import SMTPUTF8
from urllib.parse import unquote, urlsplit

from vws_app.models import ContactMessage

logger = logging.getLogger(__name__)
SMTP_TIMEOUT_SECONDS = 10


def smtp_settings() -> tuple[str, list[str], str] | None:
    """(`SMTP_URL`, recipients, sender) when notification is configured, else None.

    `SMTP_URL` is `smtp://user:password@host:port` (or `smtps://…` for TLS from the start);
    `CONTACT_NOTIFY_TO` is a comma-separated list; `CONTACT_NOTIFY_FROM` the sender.
    """
    url = os.environ.get("SMTP_URL", "")
    recipients = [part.strip() for part in os.environ.get("CONTACT_NOTIFY_TO", "").split(",") if part.strip()]
    if not url or not recipients:
        return None
    sender = os.environ.get("CONTACT_NOTIFY_FROM", recipients[0])
    return url, recipients, sender


def build_notification(row: ContactMessage, recipients: list[str], sender: str) -> EmailMessage:
    """The e-mail editors get: who wrote, how to answer, and the message (plain text)."""
    # SMTPUTF8 keeps internationalised addresses (josé@exämple.com) as typed in the headers.
    mail = EmailMessage(policy=SMTPUTF8)
    mail["Subject"] = f"New contact message from {row.name}"
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail["Reply-To"] = row.email
    wants = "yes" if row.wants_meeting else "no"
    mail.set_content(
        f"Name: {row.name}\nEmail: {row.email}\nPhone: {row.phone or '-'}\n"
        f"Wants to attend a meeting: {wants}\nLanguage: {row.language}\n\n{row.message}\n"
    )
    return mail


def send_notification(url: str, mail: EmailMessage) -> None:
    """Deliver `mail` through the SMTP server at `url`.

    Raises:
        OSError, smtplib.SMTPException: the server is down, slow or refuses.
    """
    parts = urlsplit(url)
    client_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with client_class(parts.hostname or "localhost", parts.port or 25, timeout=SMTP_TIMEOUT_SECONDS) as client:
        if parts.scheme == "smtp+starttls":
            client.starttls()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        needs_utf8 = any(not str(value).isascii() for value in mail.values())
        client.send_message(mail, mail_options=("SMTPUTF8",) if needs_utf8 else ())


def notify_in_background(row: ContactMessage) -> threading.Thread | None:
    """Send the notification on its own thread, after the message is stored; failures are logged.

    Returns the thread (tests join it), or None when notification is not configured.
    """
    settings = smtp_settings()
    if settings is None:
        return None
    url, recipients, sender = settings

    def deliver() -> None:
        try:
            send_notification(url, build_notification(row, recipients, sender))
        except (OSError, ValueError, smtplib.SMTPException):
            logger.exception("Could not e-mail editors about contact message %s", row.id)

    thread = threading.Thread(target=deliver, name=f"notify-contact-{row.id}", daemon=True)
    thread.start()
    return thread
