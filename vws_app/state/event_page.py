"""State of one event's page: the event in both languages, and its RSVP form's errors and outcome."""

import logging

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from vws_app.i18n import SUPPORTED_LANGUAGES, normalise_language, translate
from vws_app.services import rsvp
from vws_app.services.consent import NOTICE_FIELD, notice_id_from
from vws_app.services.database import open_session
from vws_app.services.event_details import EventDetails, event_details
from vws_app.services.rsvp import ANSWER_KEY, RateLimited, RsvpClosed, RsvpInvalid, RsvpRequest
from vws_app.state.bilingual import BilingualViews
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import read_off_loop, write_off_loop

logger = logging.getLogger(__name__)
MAX_FIELD_LENGTH = 2000  # longer than any field allows; more is junk, cut before the service
CHECKED = {"yes", "on", "true", True}
OUTCOME_KEYS = {
    "sent": ANSWER_KEY,
    "invalid": "rsvp_form_has_errors",
    "closed": "rsvp_closed",
    "rate_limited": "rsvp_error_rate_limited",
    "failed": "rsvp_failed",
}


def _event_id_from_path(path: str) -> int:
    """The id in `/events/<id>` (0 when it is not a number)."""
    raw = path.rstrip("/").rsplit("/", 1)[-1]
    return int(raw) if raw.isdigit() and len(raw) < 12 else 0


def _load(event_id: int) -> dict[str, EventDetails]:
    """Both languages' views, in a worker thread (it waits on the database)."""
    with open_session() as session:
        return {language: event_details(session, event_id, language) for language in SUPPORTED_LANGUAGES}


def _take(event_id: int, request: RsvpRequest, client: str) -> None:
    """Store the RSVP; its outcome is left out on purpose (the mail tells it, the page never does)."""
    with open_session() as session:
        rsvp.rsvp(session, event_id, request, client_address=client)


class EventPageState(BilingualViews, LanguageState):
    """The event follows the language toggle; what the reader types stays in the page's own inputs."""

    _views: dict[str, EventDetails] = {}
    _event_id: int = 0
    errors: dict[str, str] = {}
    outcome: str = ""
    retry_after_minutes: int = 0

    @rx.event
    async def load(self):
        """Read the event named by the address (both languages at once, off the event loop)."""
        self._event_id = _event_id_from_path(self.router.url.path)
        self.errors, self.outcome = {}, ""
        self._views = await read_off_loop(_load, self._event_id)

    @rx.event
    async def submit(self, form_data: dict):
        """Take the RSVP (stored in a thread); errors beside the fields, or the outcome."""

        def field(name: str) -> str:
            return str(form_data.get(name, ""))[:MAX_FIELD_LENGTH]

        request = RsvpRequest(
            name=field("name"),
            email=field("email"),
            people=field("people"),
            note=field("note"),
            consent=form_data.get("consent") in CHECKED,
            language=normalise_language(self.lang),
            notice_id=notice_id_from(form_data.get(NOTICE_FIELD)),
            honeypot=field("website"),
        )
        client = self.router.session.client_ip or self.router.session.client_token
        try:
            await write_off_loop(_take, self._event_id, request, client)
            self.errors, self.outcome = {}, "sent"  # never the status: it would say whether the address was listed
        except RsvpInvalid as invalid:
            self.errors, self.outcome = invalid.errors, "invalid"
        except RsvpClosed:
            self.errors, self.outcome = {}, "closed"
        except RateLimited as limited:
            self.errors, self.retry_after_minutes, self.outcome = {}, limited.retry_after_minutes, "rate_limited"
        except SQLAlchemyError:
            logger.exception("Could not store an RSVP")
            self.outcome = "failed"

    @rx.var
    def event(self) -> EventDetails:
        """The event in the visitor's language."""
        return self._views.get(normalise_language(self.lang), EventDetails())

    @rx.var
    def page_title(self) -> str:
        """The browser tab's title: the event's own, then the site's name."""
        site = translate("site_name", self.lang)
        view = self._views.get(normalise_language(self.lang))
        return f"{view.title} · {site}" if view and view.found else site

    @rx.var
    def error_texts(self) -> dict[str, str]:
        """Each field's error in the visitor's language."""
        return {name: translate(key, self.lang) for name, key in self.errors.items()}

    @rx.var
    def outcome_text(self) -> str:
        """The form's result in the visitor's language."""
        key = OUTCOME_KEYS.get(self.outcome)
        return translate(key, self.lang, minutes=self.retry_after_minutes) if key else ""

    @rx.var
    def taken(self) -> bool:
        """The RSVP was taken: the form gives way to the answer."""
        return self.outcome == "sent"
