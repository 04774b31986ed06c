"""Buttons above a Markdown textarea that put Markdown around the selection, and a short help.

The buttons work in the browser alone (`assets/admin_editor.js`, loaded here): each carries
what to insert in `data-md-*` attributes, and the script edits the textarea as typing would,
so the form state and the preview follow as usual. The image button (`image_tool`) inserts
a library photo as `![description](address "credit")` on a line of its own, which the reading
styles show as a figure with the credit as its caption.
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


TOOL_STYLE = {
    "min_width": "2.25rem",
    "min_height": "2.25rem",
    "padding": "0 0.5rem",
    "border": "1px solid var(--gray-a7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--gray-a2)",
    "cursor": "pointer",
    "font_weight": "bold",
}


def image_tool(textarea_id: str, after: rx.Var, description: rx.Var, disabled: rx.Var) -> rx.Component:
    """The Image button: the selection (else `description`) becomes the alt text of `![…` + `after`.

    `after` is `](address "caption")` and a blank line, from the editor's state; the button is
    disabled while no photo is chosen.
    """
    return rx.el.button(
        "🖼",
        type="button",
        title=t("md_image"),
        aria_label=t("md_image"),
        disabled=disabled,
        class_name="md-tool md-image",
        custom_attrs={
            "data-md-target": textarea_id,
            "data-md-placeholder": description,
            "data-md-before": "\n\n![",
            "data-md-after": after,
        },
        style=TOOL_STYLE,
    )


def markdown_toolbar(textarea_id: str, *extra_tools: rx.Component) -> rx.Component:
    """The toolbar for the textarea `textarea_id` (plus `extra_tools`, e.g. `image_tool`), with the help line under it."""
    placeholder = t("md_placeholder")
    buttons = [
        rx.el.button(
            symbol,
            type="button",
            title=t(key),
            aria_label=t(key),
            class_name=f"md-tool md-{key.removeprefix('md_')}",
            custom_attrs={"data-md-target": textarea_id, "data-md-placeholder": placeholder, **attrs},
            style=TOOL_STYLE,
        )
        for key, symbol, attrs in TOOLS
    ]
    buttons.extend(extra_tools)
    return rx.flex(
        editor_script(),
        rx.flex(
            *buttons, gap="0.35rem", wrap="wrap", role="toolbar", aria_label=t("md_toolbar"), aria_controls=textarea_id
        ),
        rx.text(t("md_help"), size="1", color="var(--gray-11)", id=f"{textarea_id}-help"),
        direction="column",
        gap="0.35rem",
    )
