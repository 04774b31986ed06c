"""SMTP delivery of one outbox row: build the multipart message and hand it to the mail server."""

import base64
import json
import smtplib
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime
from urllib.parse import unquote, urlsplit

from vws_app.models import OutboxMessage, utc_now

# What a failed delivery can raise: the server is down, slow, refuses, or the address is unusable.
DELIVERY_ERRORS = (OSError, smtplib.SMTPException, ValueError, UnicodeError)


def needs_smtputf8(*addresses: str) -> bool:
    """Whether an address is internationalised (josé@exämple.com): then only SMTPUTF8 keeps it as typed."""
    return any(not address.isascii() for address in addresses)


def build_email(row: OutboxMessage, sender: str) -> EmailMessage:
    """The e-mail for `row`: plain text and HTML alternatives, its stored Message-ID, extra headers, attachments.

    Headers are MIME-encoded unless an address needs SMTPUTF8; then they travel as UTF-8.
    """
    extra = json.loads(row.headers_json or "{}")
    utf8 = needs_smtputf8(sender, row.recipient, *extra.values())
    mail = EmailMessage(policy=SMTPUTF8 if utf8 else SMTP)
    mail["Subject"] = row.subject
    mail["From"] = sender
    mail["To"] = row.recipient
    mail["Date"] = format_datetime(utc_now())
    mail["Message-ID"] = row.message_id
    for name, value in extra.items():
        mail[name] = value
    mail.set_content(row.text_body)
    mail.add_alternative(row.html_body, subtype="html")
    for attachment in json.loads(row.attachments_json or "[]"):
        maintype, _, subtype = attachment["content_type"].partition("/")
        mail.add_attachment(
            base64.b64decode(attachment["data"]), maintype=maintype, subtype=subtype, filename=attachment["filename"]
        )
    return mail


class SmtpConnection:
    """One connection to the server at `url`, opened on first use and reused for a batch.

    `url` is `smtp://user:password@host:port`, `smtps://…` (TLS from the start) or
    `smtp+starttls://…`; user and password are percent-decoded.
    """

    def __init__(self, url: str, timeout: float):
        self.url = url
        self.timeout = timeout
        self._client: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        parts = urlsplit(self.url)
        client_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        client = client_class(parts.hostname or "localhost", parts.port or 25, timeout=self.timeout)
        try:
            if parts.scheme == "smtp+starttls":
                client.starttls()
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
        except BaseException:
            client.close()
            raise
        return client

    def send(self, mail: EmailMessage) -> None:
        """Deliver `mail`; after any failure the connection is dropped and the next send reconnects.

        Raises:
            OSError, smtplib.SMTPException, ValueError: the server is down, slow or refuses.
        """
        if self._client is None:
            self._client = self._connect()
        try:
            self._client.send_message(mail, mail_options=("SMTPUTF8",) if getattr(mail.policy, "utf8", False) else ())
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Say goodbye to the server (or just drop the socket when it is gone)."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except DELIVERY_ERRORS:
            client.close()

    def __enter__(self) -> "SmtpConnection":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
