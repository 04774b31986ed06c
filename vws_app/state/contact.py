"""State of the contact form: what the visitor typed (kept as a draft), errors, and the outcome."""

import logging
import uuid

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from vws_app.i18n import translate
from vws_app.models import ContactMessage
from vws_app.services import contact
from vws_app.services.consent import NOTICE_FIELD, notice_id_from
from vws_app.services.contact import ContactSubmission, ContactValidationError, RateLimited
from vws_app.services.database import open_session
from vws_app.settings import check_email_deliverability
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import lookup_off_loop, write_off_loop

logger = logging.getLogger(__name__)


class ContactState(LanguageState):
    """The form's fields live in local storage, so a reload or a crash loses nothing typed.

    The submission key is backend-only and kept until a message is stored, so a retry
    after a fault, a double click or Enter pressed twice store one row.
    """

    name: str = rx.LocalStorage("", name="vws_contact_name")
    email: str = rx.LocalStorage("", name="vws_contact_email")
    phone: str = rx.LocalStorage("", name="vws_contact_phone")
    message: str = rx.LocalStorage("", name="vws_contact_message")
    wants_meeting: bool = False
    errors: dict[str, str] = {}
    outcome: str = ""
    retry_after_minutes: int = 0
    _submission_key: str = ""

    @rx.event
    def set_field(self, field: str, value: str):
        """Keep what the visitor types; clear that field's error once it is fixed."""
        if field not in contact.FIELDS:
            return
        setattr(self, field, str(value)[: contact.MESSAGE_MAX_LENGTH * 2])
        if field in self.errors and contact.field_error(field, getattr(self, field)) is None:
            self.errors = {key: value for key, value in self.errors.items() if key != field}

    @rx.event
    def set_wants_meeting(self, checked: bool):
        """The "I'd like to attend a meeting" box."""
        self.wants_meeting = bool(checked)

    @rx.event
    async def check_field(self, field: str):
        """On leaving a field: show its error, if any, beside it (in a thread when the check asks DNS)."""
        if field not in contact.FIELDS:
            return
        if self.outcome == "sent" and not getattr(self, field).strip():
            return  # the form was just sent and emptied: leaving an empty field is no mistake
        value, asks_dns = getattr(self, field), check_email_deliverability()
        if asks_dns:
            error = await lookup_off_loop(contact.field_error, field, value, check_deliverability=True)
        else:  # rules only: microseconds, and never queued behind messages that wait on the database
            error = contact.field_error(field, value)
        remaining = {key: value for key, value in self.errors.items() if key != field}
        self.errors = {**remaining, field: error} if error else remaining

    @rx.event
    async def submit(self, form_data: dict):
        """Validate and store the message; on any failure keep every value and say why.

        The database work runs in a thread (see `off_loop`): a locked table makes this visitor
        wait, not everyone. The state lock is held meanwhile, so a double click is handled after.
        """
        if self.outcome == "sent" and not any(str(form_data.get(field, "")).strip() for field in contact.FIELDS):
            return  # the second click of a double click, after the form was emptied: keep the thanks
        for field in contact.FIELDS:
            if field in form_data:
                setattr(self, field, str(form_data[field]))
        self._submission_key = self._submission_key or uuid.uuid4().hex
        submission = ContactSubmission(
            name=self.name,
            email=self.email,
            phone=self.phone,
            message=self.message,
            wants_meeting=self.wants_meeting,
            language=self.lang,
            honeypot=str(form_data.get("website", "")),
            notice_id=notice_id_from(form_data.get(NOTICE_FIELD)),
        )
        self.outcome = ""
        client_address = self.router.session.client_ip or self.router.session.client_token
        try:
            await write_off_loop(_store, submission, self._submission_key, client_address)
        except ContactValidationError as invalid:
            self.errors = invalid.errors
            self.outcome = "invalid"
            return
        except RateLimited as limited:
            self.retry_after_minutes = limited.retry_after_minutes
            self.outcome = "rate_limited"
            return
        except SQLAlchemyError:
            logger.exception("Could not store a contact message")
            self.outcome = "failed"
            return
        self._clear_form()
        self.outcome = "sent"

    def _clear_form(self) -> None:
        """Empty the form and the saved draft, and start a new submission."""
        self.name = self.email = self.phone = self.message = ""
        self.wants_meeting = False
        self.errors = {}
        self._submission_key = ""

    @rx.var
    def error_texts(self) -> dict[str, str]:
        """Each field's error in the visitor's language."""
        return {field: translate(key, self.lang, limit=_limit_for(field)) for field, key in self.errors.items()}

    @rx.var
    def outcome_text(self) -> str:
        """The form's result, in the visitor's language."""
        messages = {
            "sent": "contact_thanks",
            "failed": "contact_failed",
            "invalid": "contact_form_has_errors",
            "rate_limited": "contact_error_rate_limited",
        }
        if self.outcome not in messages:
            return ""
        return translate(messages[self.outcome], self.lang, minutes=self.retry_after_minutes)


def _store(submission: ContactSubmission, submission_key: str, client_address: str) -> ContactMessage | None:
    """Validate and store one submission in its own session (the service says what it raises)."""
    with open_session() as session:
        return contact.submit_contact_message(
            session,
            submission,
            submission_key=submission_key,
            client_address=client_address,
            check_deliverability=check_email_deliverability(),
        )


def _limit_for(field: str) -> int:
    """The length limit an error message for `field` may quote."""
    return contact.NAME_MAX_LENGTH if field == "name" else contact.MESSAGE_MAX_LENGTH
