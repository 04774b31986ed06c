"""State of an open letter's sign-on on its post page: the count, the goal, a page of names and the sign form's outcome.

Thin: every handler is async and hands the service to a thread (`read_off_loop` / `write_off_loop`), so a
locked database never stalls the event loop. Texts follow the visitor's language toggle
without another database read (both languages are read at load).
"""

import dataclasses

import reflex as rx

from vws_app.i18n import SUPPORTED_LANGUAGES, normalise_language, translate
from vws_app.services import letters_public
from vws_app.services.content import published_post
from vws_app.services.database import open_session
from vws_app.services.letter_fields import countries, country_name
from vws_app.services.letter_intake import sign_and_report, sign_request
from vws_app.services.letters_public import SignOnView
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import read_off_loop, write_off_loop

MAX_FIELD_LENGTH = 1000  # more than any field takes; the service refuses what is too long
OUTCOME_COLOURS = {"letters_sent": "green"}


@dataclasses.dataclass(frozen=True)
class SignerRow:
    """A listed signature, its country as a code (named in the reader's language when shown)."""

    name: str
    affiliation: str
    city: str
    country: str
    is_organisation: bool


@dataclasses.dataclass(frozen=True)
class LetterPage:
    """What one read of the database gives the page."""

    slug: str
    letter_id: int
    views: dict[str, SignOnView]
    signers: list[SignerRow]
    has_more: bool


def _read(slug: str, page: int) -> LetterPage | None:
    """The letter of the post at `slug` in both languages and one page of its names (on a worker thread)."""
    with open_session() as session:
        post = published_post(session, slug)
        letter = letters_public.letter_of_post(session, post.translation_key) if post is not None else None
        if letter is None:
            return None
        rows, more = letters_public.signature_rows(session, letter.id, page)
        views = {language: letters_public.sign_on_view(letter, language) for language in SUPPORTED_LANGUAGES}
    signers = [SignerRow(row.name, row.affiliation, row.city, row.country, row.is_organisation) for row in rows]
    return LetterPage(slug, letter.id or 0, views, signers, more)


class LetterState(LanguageState):
    """One letter's sign-on as its page shows it; nothing here is private."""

    slug: str = ""
    views: dict[str, SignOnView] = {}
    signer_rows: list[SignerRow] = []
    page: int = 1
    has_more: bool = False
    errors: dict[str, str] = {}
    outcome: str = ""
    retry_after_minutes: int = 0

    def _show(self, found: LetterPage | None) -> None:
        if found is None:
            self.views, self.signer_rows, self.has_more = {}, [], False
            return
        self.views, self.signer_rows, self.has_more = found.views, found.signers, found.has_more

    @rx.event
    async def load(self):
        """The letter of the post in the address (nothing when it has no sign-on)."""
        self.slug = self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:200]
        self.page, self.errors, self.outcome = 1, {}, ""
        self._show(await read_off_loop(_read, self.slug, 1))

    @rx.event
    async def change_page(self, direction: int):
        """The next (1) page of names, or back to the first (-1)."""
        page = self.page + 1 if direction > 0 and self.has_more else 1
        found = await read_off_loop(_read, self.slug, page)
        self.page = page
        self._show(found)

    @rx.event
    async def submit(self, form_data: dict):
        """Sign (the service runs in a thread); the same answer for every address."""
        fields = {
            name: str(value)[:MAX_FIELD_LENGTH] for name, value in form_data.items() if value not in (None, False)
        }
        client = self.router.session.client_ip or self.router.session.client_token
        request = sign_request(fields, normalise_language(self.lang))
        self.outcome = ""
        outcome, self.errors, self.retry_after_minutes = await write_off_loop(
            sign_and_report, self.slug, request, client
        )
        self.outcome = outcome
        if outcome == "letters_closed":
            self._show(await read_off_loop(_read, self.slug, 1))

    @rx.var
    def view(self) -> SignOnView:
        """The sign-on in the visitor's language (an empty view when the post has none)."""
        return self.views.get(normalise_language(self.lang), SignOnView())

    @rx.var
    def signers(self) -> list[dict[str, str]]:
        """The names on this page, with affiliation, city and country (named in the visitor's language)."""
        language = normalise_language(self.lang)
        return [
            {
                "name": row.name,
                "is_organisation": "yes" if row.is_organisation else "",
                "details": ", ".join(
                    part for part in (row.affiliation, row.city, country_name(row.country, language)) if part
                ),
            }
            for row in self.signer_rows
        ]

    @rx.var
    def country_options(self) -> list[list[str]]:
        """Every country as [code, name], named and sorted in the visitor's language."""
        return [[code, name] for code, name in countries(normalise_language(self.lang))]

    @rx.var
    def error_texts(self) -> dict[str, str]:
        """Each field's error in the visitor's language."""
        return {field: translate(key, self.lang) for field, key in self.errors.items()}

    @rx.var
    def outcome_text(self) -> str:
        """The form's result in the visitor's language."""
        if not self.outcome:
            return ""
        return translate(self.outcome, self.lang, minutes=self.retry_after_minutes)

    @rx.var
    def outcome_colour(self) -> str:
        return OUTCOME_COLOURS.get(self.outcome, "red")
