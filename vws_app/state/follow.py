"""State of the "Follow our statements" form (footer and `/follow`): the chosen language, errors and the outcome."""

import logging

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from vws_app.i18n import is_supported, normalise_language, translate
from vws_app.services import subscriptions
from vws_app.services.consent import NOTICE_FIELD, notice_id_from
from vws_app.services.database import open_session
from vws_app.services.subscriptions import FollowRequest, RateLimited, SubscriptionInvalid
from vws_app.settings import check_email_deliverability
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import write_off_loop

logger = logging.getLogger(__name__)
MAX_FIELD_LENGTH = 1000  # longer than any address; more is junk, cut before it reaches the service
CHECKED = {"yes", "on", "true", True}


def _subscribe(request: FollowRequest, client_address: str) -> None:
    """The service call, in the write pool (it may wait on the database; see `off_loop`)."""
    with open_session() as session:
        subscriptions.subscribe(
            session, request, client_address=client_address, check_deliverability=check_email_deliverability()
        )


def _ticked(value: object) -> bool:
    """Whether the consent box was ticked (any client may send any value, a list included)."""
    return isinstance(value, (str, bool)) and value in CHECKED


class FollowState(LanguageState):
    """Only what the form shows: the typed address stays in the page's own input until it is taken."""

    chosen_language: str = ""  # empty: the language of the page
    errors: dict[str, str] = {}
    outcome: str = ""
    retry_after_minutes: int = 0

    @rx.event
    def choose_language(self, language: str):
        """The language the e-mails should be in; unknown codes are ignored."""
        if is_supported(language):
            self.chosen_language = normalise_language(language)

    @rx.event
    async def submit(self, form_data: dict):
        """Take the request (stored off the event loop, see `off_loop`); the same answer for every address."""
        request = FollowRequest(
            email=str(form_data.get("email", ""))[:MAX_FIELD_LENGTH],
            language=self.chosen_language or self.lang,
            consent=_ticked(form_data.get("consent")),
            form_language=normalise_language(self.lang),
            honeypot=str(form_data.get("website", "")),
            notice_id=notice_id_from(form_data.get(NOTICE_FIELD)),
        )
        client = self.router.session.client_ip or self.router.session.client_token
        self.outcome = ""
        try:
            await write_off_loop(_subscribe, request, client)
        except SubscriptionInvalid as invalid:
            self.errors, self.outcome = invalid.errors, "invalid"
            return
        except RateLimited as limited:
            self.errors, self.retry_after_minutes, self.outcome = {}, limited.retry_after_minutes, "rate_limited"
            return
        except SQLAlchemyError:
            logger.exception("Could not store a subscription")
            self.outcome = "failed"
            return
        self.errors, self.outcome = {}, "sent"

    @rx.var
    def form_language(self) -> str:
        """The language picked in the form: the visitor's choice, else the page's."""
        return self.chosen_language or normalise_language(self.lang)

    @rx.var
    def error_texts(self) -> dict[str, str]:
        """Each field's error in the visitor's language."""
        return {field: translate(key, self.lang) for field, key in self.errors.items()}

    @rx.var
    def outcome_text(self) -> str:
        """The form's result, in the visitor's language."""
        keys = {
            "sent": "follow_sent",
            "invalid": "follow_form_has_errors",
            "rate_limited": "follow_error_rate_limited",
            "failed": "follow_failed",
        }
        if self.outcome not in keys:
            return ""
        return translate(keys[self.outcome], self.lang, minutes=self.retry_after_minutes)
