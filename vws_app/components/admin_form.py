"""Pieces every admin form shares: labelled inputs with their errors, and the delete confirmation.

An admin form state has a `form` dict of field values, a `set_form_field(field, value)`
handler and an `error_texts` dict of field errors in the editor's language.
"""

import reflex as rx

from vws_app.components.translated import t

SELECT_STYLE = {
    "padding": "0.4rem",
    "border_radius": "var(--radius-2)",
    "border": "1px solid var(--gray-a7)",
    "max_width": "100%",
}


def field_error(state: type[rx.State], prefix: str, field: str) -> rx.Component:
    """The error beside a field, announced to screen readers when it appears."""
    return rx.text(
        rx.cond(state.error_texts.contains(field), state.error_texts[field], ""),
        color_scheme="red",
        size="2",
        id=f"{prefix}-{field}-error",
        aria_live="polite",
    )


def labelled(state: type[rx.State], prefix: str, field: str, label_key: str, control: rx.Component) -> rx.Component:
    """A label, its control and the control's error, stacked."""
    return rx.flex(
        rx.el.label(rx.text(t(label_key), weight="medium", size="2"), html_for=f"{prefix}-{field}"),
        control,
        field_error(state, prefix, field),
        direction="column",
        gap="0.3rem",
        width="100%",
    )


def _bound(state: type[rx.State], prefix: str, field: str) -> dict:
    """The props that tie a control to the state's form."""
    return dict(
        id=f"{prefix}-{field}",
        value=state.form[field],
        on_change=lambda value: state.set_form_field(field, value),
        aria_describedby=f"{prefix}-{field}-error",
    )


def text_field(state: type[rx.State], prefix: str, field: str, label_key: str, **props) -> rx.Component:
    """A one-line input of the form."""
    return labelled(state, prefix, field, label_key, rx.input(**_bound(state, prefix, field), **props))


def text_area_field(
    state: type[rx.State], prefix: str, field: str, label_key: str, rows: str = "4", above: rx.Component | None = None
) -> rx.Component:
    """A multi-line input of the form; `above` (a toolbar) goes between the label and the input."""
    area = rx.text_area(rows=rows, **_bound(state, prefix, field))
    return labelled(state, prefix, field, label_key, area if above is None else rx.fragment(above, area))


def select_field(
    state: type[rx.State], prefix: str, field: str, label_key: str, options: list, extra: rx.Component | None = None
) -> rx.Component:
    """A native select of (value, label) options; `extra` adds options rendered from state."""
    children = [rx.el.option(label, value=value) for value, label in options]
    if extra is not None:
        children.append(extra)
    return labelled(
        state, prefix, field, label_key, rx.el.select(*children, style=SELECT_STYLE, **_bound(state, prefix, field))
    )


def filter_with_label(label_key: str, control_id: str, control: rx.Component) -> rx.Component:
    """A list filter (search box, select) with its label visible above it, not only announced."""
    return rx.flex(
        rx.el.label(rx.text(t(label_key), size="2", weight="medium"), html_for=control_id),
        control,
        direction="column",
        gap="0.25rem",
    )


def form_error(state: type[rx.State]) -> rx.Component:
    """An error about the whole form (e.g. someone else saved at the same moment)."""
    return rx.cond(
        state.error_texts.contains("form"),
        rx.callout.root(rx.callout.text(state.error_texts["form"]), color_scheme="red", role="alert"),
    )


def confirm_delete(on_confirm: rx.event.EventType) -> rx.Component:
    """A delete button that asks first; `on_confirm` runs only after the editor confirms."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(t("admin_delete"), color_scheme="red", variant="soft", size="1")),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("admin_delete")),
            rx.alert_dialog.description(t("admin_confirm_delete")),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("admin_cancel"), variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button(t("admin_delete"), color_scheme="red", on_click=on_confirm)),
                gap="0.75rem",
                justify="end",
                margin_top="1rem",
            ),
        ),
    )


def keyed_by_id(row: rx.Component, row_id: rx.Var) -> rx.Component:
    """`row` keyed by its record's id, not its position, so that an open dialog in it (a delete
    confirmation) stays with the same record when the list refreshes underneath."""
    row.key = row_id
    return row


def notice(state: type[rx.State]) -> rx.Component:
    """ "Saved." / "Deleted." after an action, announced to screen readers."""
    return rx.cond(
        state.notice_text != "", rx.callout.root(rx.callout.text(state.notice_text), role="status", id="admin-notice")
    )


def record_page_top(
    state: type[rx.State], title_key: str, new_key: str, new_id: str, form: rx.Component
) -> rx.Component:
    """A list-plus-one-form page's heading with its "New …" button, the notice, and the form once loaded."""
    return rx.fragment(
        rx.flex(
            rx.heading(t(title_key), size="6", as_="h1"),
            rx.spacer(),
            rx.button(t(new_key), on_click=state.start_new, id=new_id),
            align="center",
        ),
        notice(state),
        rx.cond(state.loaded, form, rx.spinner(size="3")),
    )


def edit_and_delete(state: type[rx.State], record_id: rx.Var) -> rx.Component:
    """A row's Edit button and its Delete button that asks first."""
    return rx.flex(
        rx.button(t("admin_edit"), on_click=state.edit(record_id.to(int)), size="1", variant="soft"),
        confirm_delete(state.delete(record_id.to(int))),
        gap="0.5rem",
    )
