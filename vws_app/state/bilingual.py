"""What the public pages' states share: their content in every language, loaded at once."""

import reflex as rx


class BilingualViews(rx.State, mixin=True):
    """Mixed into a page state whose `load` fills `_views` (language → what the page shows).

    Both languages are read together so the language toggle needs no query; `loaded` says the
    content has arrived (the page keeps the server's text on screen until then).
    """

    _views: dict = {}

    @rx.var
    def loaded(self) -> bool:
        """Whether `load` has filled the views."""
        return bool(self._views)
