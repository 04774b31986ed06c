"""A labelled form field whose error shows beside it, announced to screen readers."""

import reflex as rx
from reflex.vars.base import Var

from vws_app.components.translated import t


def form_field(
    *,
    field: str,
    label_key: str,
    value: Var,
    errors: Var,
    on_change,
    on_blur,
    input_type: str = "text",
    required: bool = True,
    multiline: bool = False,
    autocomplete: str = "",
    max_length: int | None = None,
) -> rx.Component:
    """Label, input and error for one field; the input is marked invalid while it has an error."""
    input_id = f"contact-{field}"
    error_id = f"{input_id}-error"
    has_error = errors.contains(field)
    common = dict(
        id=input_id,
        name=field,
        value=value,
        on_change=on_change,
        on_blur=on_blur,
        required=required,
        max_length=max_length,
        aria_invalid=rx.cond(has_error, "true", "false"),
        aria_describedby=error_id,
        width="100%",
    )
    control = (
        rx.text_area(rows="6", **common)
        if multiline
        else rx.input(type=input_type, auto_complete=autocomplete or None, size="3", **common)
    )
    return rx.flex(
        rx.el.label(rx.text(t(label_key), weight="medium", size="2"), html_for=input_id),
        control,
        rx.text(
            rx.cond(has_error, errors[field], ""),
            id=error_id,
            color_scheme="red",
            size="2",
            aria_live="polite",
            class_name="field-error",
        ),
        direction="column",
        gap="0.35rem",
    )
