"""Whether a form differs from what was last loaded or saved, for the "leave without saving?" guard."""

import reflex as rx


class UnsavedChangesMixin(rx.State, mixin=True):
    """Mixed into a form state with a `form` dict; it calls `_mark_saved()` after loading or saving."""

    _saved_form: dict[str, str] = {}

    def _mark_saved(self) -> None:
        """The form as it is now is what the database holds."""
        self._saved_form = dict(self.form)

    @rx.var
    def has_unsaved_changes(self) -> bool:
        """True once the editor changed something not yet saved."""
        return bool(self.form) and self.form != self._saved_form
