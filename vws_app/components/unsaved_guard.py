"""A marker the editor script reads: while the form differs from what was saved, leaving asks first.

The browser's own prompt covers closing the tab or reloading; a link inside the app gets a
confirm with the catalogue's question (`assets/admin_editor.js`, loaded with the toolbar).
"""

import reflex as rx

from vws_app.components.markdown_toolbar import editor_script
from vws_app.components.translated import t


def unsaved_guard(state: type[rx.State]) -> rx.Component:
    """The hidden marker for `state` (a form state with `has_unsaved_changes`)."""
    return rx.fragment(
        editor_script(),
        rx.el.div(
            id="unsaved-guard",
            hidden=True,
            custom_attrs={
                "data-unsaved": rx.cond(state.has_unsaved_changes, "true", "false"),
                "data-unsaved-message": t("admin_unsaved_confirm"),
            },
        ),
    )
