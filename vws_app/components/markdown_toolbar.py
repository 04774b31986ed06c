"""Buttons above a Markdown textarea that put Markdown around the selection, and a short help.

The buttons work in the browser alone (`assets/admin_editor.js`, loaded here): each carries
what to insert in `data-md-*` attributes, and the script edits the textarea as typing would,
so the form state and the preview follow as usual. No image button yet: it belongs with a
media library, which the site does not have.
"""

import reflex as rx

from vws_app.components.translated import t

EDITOR_SCRIPT = "/admin_editor.js"

# (catalogue key of the label, what the button shows, the data-md-* attributes)
TOOLS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("md_bold", "B", {"data-md-before": "**", "data-md-after": "**"}),
    ("md_italic", "I", {"data-md-before": "_", "data-md-after": "_"}),
    ("md_heading", "H", {"data-md-line": "## "}),
    ("md_list", "•", {"data-md-line": "- "}),
    ("md_quote", "❝", {"data-md-line": "> "}),
    ("md_link", "🔗", {"data-md-before": "[", "data-md-after": "](https://)"}),
)


def editor_script() -> rx.Component:
    """The editor helpers' script (toolbar and unsaved-changes guard), once per page."""
    return rx.script(src=EDITOR_SCRIPT, id="admin-editor-script")


def markdown_toolbar(textarea_id: str) -> rx.Component:
    """The toolbar for the textarea `textarea_id`, with the help line under it."""
    placeholder = t("md_placeholder")
    buttons = [
        rx.el.button(
            symbol,
            type="button",
            title=t(key),
            aria_label=t(key),
            class_name=f"md-tool md-{key.removeprefix('md_')}",
            custom_attrs={"data-md-target": textarea_id, "data-md-placeholder": placeholder, **attrs},
            style={"min_width": "2.25rem", "min_height": "2.25rem", "padding": "0 0.5rem",
                   "border": "1px solid var(--gray-a7)", "border_radius": "var(--radius-2)",
                   "background": "var(--gray-a2)", "cursor": "pointer", "font_weight": "bold"},
        )
        for key, symbol, attrs in TOOLS
    ]
    return rx.flex(
        editor_script(),
        rx.flex(*buttons, gap="0.35rem", wrap="wrap", role="toolbar", aria_label=t("md_toolbar"),
                aria_controls=textarea_id),
        rx.text(t("md_help"), size="1", color="var(--gray-11)", id=f"{textarea_id}-help"),
        direction="column",
        gap="0.35rem",
    )
