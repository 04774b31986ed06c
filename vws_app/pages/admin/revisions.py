"""`/admin/posts/history?id=N` and `/admin/texts/history?slot=…`: revisions, a diff between two, restore.

Added and removed lines are told apart by a text marker ("+" / "−") and by `<ins>`/`<del>`,
which screen readers announce, as well as by colour.
"""

import reflex as rx

from vws_app.components.admin_form import SELECT_STYLE, notice
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t
from vws_app.state.admin_revisions import AdminPostRevisionsState, AdminTextRevisionsState
from vws_app.styles import MUTED_TEXT

LINE_STYLE = {
    "display": "block",
    "white_space": "pre-wrap",
    "font_family": "var(--code-font-family)",
    "font_size": "0.875rem",
    "padding": "0.1rem 0.5rem",
    "text_decoration": "none",
}
ADDED_STYLE = {**LINE_STYLE, "background": "var(--green-a4)", "border_left": "3px solid var(--green-9)"}
REMOVED_STYLE = {**LINE_STYLE, "background": "var(--red-a4)", "border_left": "3px solid var(--red-9)"}


def _diff_line(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.match(
        row["kind"],
        ("field", rx.heading(row["text"], size="3", as_="h3", margin_top="1rem", class_name="diff-field")),
        ("added", rx.el.ins("+ ", row["text"], style=ADDED_STYLE, class_name="diff-added")),
        ("removed", rx.el.del_("− ", row["text"], style=REMOVED_STYLE, class_name="diff-removed")),
        ("gap", rx.el.span("⋯", style={**LINE_STYLE, **MUTED_TEXT})),
        rx.el.span("  ", row["text"], style=LINE_STYLE, class_name="diff-same"),
    )


def _side_picker(state, label_key: str, element_id: str, value: rx.Var, on_change) -> rx.Component:
    return rx.flex(
        rx.el.label(rx.text(t(label_key), weight="medium", size="2"), html_for=element_id),
        rx.el.select(
            rx.foreach(
                state.revision_rows, lambda row: rx.el.option("#" + row["id"] + " · " + row["when"], value=row["id"])
            ),
            id=element_id,
            value=value,
            on_change=on_change,
            style=SELECT_STYLE,
        ),
        direction="column",
        gap="0.3rem",
    )


def _revision_row(state, row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell("#" + row["id"]),
        rx.table.cell(row["when"], white_space="nowrap"),
        rx.table.cell(row["who"]),
        rx.table.cell(
            rx.cond(row["restored_from"] != "", t("admin_revision_restored_from") + " #" + row["restored_from"], "")
        ),
        rx.table.cell(
            rx.button(
                t("admin_revision_restore"),
                size="1",
                variant="soft",
                on_click=state.restore(row["id"]),
                id="restore-" + row["id"],
            )
        ),
        class_name="revision-row",
    )


def _history(state) -> rx.Component:
    return rx.cond(
        state.revision_rows.length() > 0,
        rx.flex(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(t(key))
                            for key in (
                                "admin_revision_number",
                                "admin_audit_when",
                                "admin_audit_who",
                                "admin_revision_note",
                                "admin_revision_action",
                            )
                        ]
                    )
                ),
                rx.table.body(rx.foreach(state.revision_rows, lambda row: _revision_row(state, row))),
                width="100%",
                id="revision-list",
            ),
            rx.heading(t("admin_revision_compare"), size="4", as_="h2"),
            rx.flex(
                _side_picker(state, "admin_revision_older", "revision-older", state.older_id, state.compare_older),
                _side_picker(state, "admin_revision_newer", "revision-newer", state.newer_id, state.compare_newer),
                gap="1rem",
                wrap="wrap",
            ),
            rx.text(t("admin_revision_legend"), size="2", style=MUTED_TEXT),
            rx.cond(
                state.diff_rows.length() > 0,
                rx.box(rx.foreach(state.diff_rows, _diff_line), id="revision-diff", width="100%"),
                rx.text(t("admin_revision_no_difference"), id="revision-diff"),
            ),
            direction="column",
            gap="1rem",
        ),
        rx.text(t("admin_revision_none")),
    )


def _history_page(state, subject: rx.Component) -> rx.Component:
    """The heading, what the history is of (with a way back), the notice and the history."""
    return admin_shell(
        rx.heading(t("admin_revision_heading"), size="6", as_="h1"),
        rx.flex(subject, gap="1rem", align="center"),
        notice(state),
        _history(state),
    )


def admin_post_history_page() -> rx.Component:
    """A post's revisions."""
    state = AdminPostRevisionsState
    return _history_page(
        state,
        rx.fragment(
            rx.text(state.post_title, weight="medium"),
            rx.cond(
                state.post_id > 0,
                rx.link(
                    t("admin_edit"),
                    href="/admin/posts/edit?id=" + state.post_id.to_string(),
                    id="history-back-to-editor",
                ),
            ),
        ),
    )


def admin_text_history_page() -> rx.Component:
    """A site text's revisions."""
    state = AdminTextRevisionsState
    return _history_page(
        state,
        rx.fragment(
            rx.text(state.text_label, weight="medium"),
            rx.link(t("admin_nav_texts"), href="/admin/texts"),
        ),
    )
