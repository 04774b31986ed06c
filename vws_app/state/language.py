"""The visitor's language: chosen by toggle or `?lang=`, else by the browser; kept in a cookie."""

import reflex as rx

from vws_app.i18n import OTHER_LANGUAGE, is_supported, language_from_accept_header, normalise_language
from vws_app.settings import served_over_https

ONE_YEAR_SECONDS = 365 * 24 * 3600


class LanguageState(rx.State):
    """Base of every public page state: which language the visitor reads.

    `lang` is a cookie so the choice survives reloads and new tabs and so the server
    can read it too. It is public on purpose (it is no secret), and it only ever holds
    a supported code because its one setter checks it.
    """

    lang: str = rx.Cookie("", name="vws_lang", max_age=ONE_YEAR_SECONDS, same_site="lax", secure=served_over_https())

    @rx.event
    def init_language(self):
        """On every page load: `?lang=` wins, then the saved choice, then the browser's language."""
        requested = self.router.url.query_parameters.get("lang", "")
        if is_supported(requested):
            self.lang = normalise_language(requested)
        elif not is_supported(self.lang):
            self.lang = language_from_accept_header(self.router.headers.accept_language)

    @rx.event
    def set_language(self, language: str):
        """Switch the whole page to `language`; unknown codes are ignored."""
        if not is_supported(language):
            return
        self.lang = normalise_language(language)

    @rx.event
    def toggle_language(self):
        """Switch between English and Spanish."""
        self.lang = OTHER_LANGUAGE[normalise_language(self.lang)]
