"""What every admin form state shares: its field errors and its notice, shown in the editor's language."""

import reflex as rx

from vws_app.i18n import translate


class AdminFormMixin(rx.State, mixin=True):
    """Mixed into each admin form state (each gets its own copy of these vars).

    Handlers store catalogue keys; these computed vars turn them into text, so a
    language toggle re-words every error and notice without another round trip.
    """

    form_errors: dict[str, str] = {}
    notice: str = ""

    @rx.var
    def error_texts(self) -> dict[str, str]:
        """Each form error in the editor's language."""
        return {field: translate(key, self.lang) for field, key in self.form_errors.items()}

    @rx.var
    def notice_text(self) -> str:
        """ "Saved." / "Deleted." in the editor's language."""
        return translate(self.notice, self.lang) if self.notice else ""
