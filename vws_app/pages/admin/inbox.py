"""`/admin/inbox`: contact messages, newest first, with their status, assignee and internal notes."""

import reflex as rx

from vws_app.components.admin_form import SELECT_STYLE, confirm_delete, keyed_by_id
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t, t_by_code
from vws_app.services.inbox_notes import NOTE_MAX_LENGTH
from vws_app.state.admin_inbox import AdminInboxState
from vws_app.styles import MUTED_TEXT

STATUS_COLOURS = {"new": "red", "in_progress": "amber", "handled": "gray", "spam": "brown"}


def _filter_button(status: str, label_key: str) -> rx.Component:
    return rx.button(
        t(label_key),
        on_click=AdminInboxState.filter_by(status),
        variant=rx.cond(AdminInboxState.status_filter == status, "solid", "soft"),
        high_contrast=True,  # white on the accent colour is below 4.5:1 at this size
        size="1",
        aria_pressed=rx.cond(AdminInboxState.status_filter == status, "true", "false"),
        id=f"inbox-filter-status-{status or 'all'}",
    )


def _filter_select(name: str, label_key: str, value: rx.Var, options: list[tuple[str, str]]) -> rx.Component:
    return rx.flex(
        rx.el.label(rx.text(t(label_key), size="2", weight="medium"), html_for=f"inbox-filter-{name}"),
        rx.el.select(
            *[rx.el.option(t(key), value=option) for option, key in options],
            id=f"inbox-filter-{name}",
            value=value,
            on_change=lambda chosen: AdminInboxState.set_filter(name, chosen),
            style=SELECT_STYLE,
        ),
        align="center",
        gap="0.4rem",
    )


def _filters() -> rx.Component:
    return rx.flex(
        rx.flex(
            _filter_button("", "admin_any"),
            _filter_button("new", "admin_status_new"),
            _filter_button("in_progress", "admin_status_in_progress"),
            _filter_button("handled", "admin_status_handled"),
            _filter_button("spam", "admin_status_spam"),
            gap="0.5rem",
            wrap="wrap",  # five buttons do not fit a phone's width in Spanish
            role="group",
            aria_label=t("inbox_filter_status"),
        ),
        _filter_select(
            "assignee",
            "inbox_filter_assignee",
            AdminInboxState.assignee_filter,
            [
                ("", "inbox_assignee_anyone"),
                ("me", "inbox_assignee_me"),
                ("nobody", "inbox_assignee_nobody"),
            ],
        ),
        _filter_select(
            "language",
            "inbox_filter_language",
            AdminInboxState.language_filter,
            [
                ("", "inbox_language_any"),
                ("en", "language_name_en"),
                ("es", "language_name_es"),
            ],
        ),
        rx.el.label(
            rx.flex(
                rx.checkbox(
                    checked=AdminInboxState.meeting_only,
                    on_change=lambda checked: AdminInboxState.set_filter("meeting", rx.cond(checked, "true", "false")),
                    id="inbox-filter-meeting",
                    aria_label=t("inbox_filter_meeting"),
                ),
                rx.text(t("inbox_filter_meeting"), size="2"),
                gap="0.4rem",
                align="center",
            ),
            html_for="inbox-filter-meeting",
        ),
        gap="1rem",
        wrap="wrap",
        align="center",
    )


def _status_button(label_key: str, row: rx.Var, status: str | rx.Var, class_name: str) -> rx.Component:
    return rx.button(
        t(label_key),
        on_click=AdminInboxState.set_status(row["id"].to(int), status),
        size="1",
        variant="soft",
        class_name=class_name,
    )


def _actions(row: rx.Var) -> rx.Component:
    reopen = row["toggle_to"] == "new"
    return rx.flex(
        rx.button(
            rx.cond(reopen, t("admin_mark_new"), t("admin_mark_handled")),
            on_click=AdminInboxState.set_status(row["id"].to(int), row["toggle_to"]),
            size="1",
            variant="soft",
            class_name="inbox-toggle-status",
        ),
        rx.cond(
            row["can_start"] == "true", _status_button("inbox_mark_in_progress", row, "in_progress", "inbox-start")
        ),
        rx.cond(row["can_spam"] == "true", _status_button("inbox_mark_spam", row, "spam", "inbox-spam")),
        rx.cond(
            row["assignee_id"] != AdminInboxState.viewer_id,
            rx.button(
                t("inbox_assign_me"),
                on_click=AdminInboxState.assign_to_me(row["id"].to(int)),
                size="1",
                variant="outline",
                class_name="inbox-assign-me",
            ),
        ),
        rx.link(t("inbox_reply"), href=row["reply_href"], size="2", class_name="inbox-reply"),
        confirm_delete(AdminInboxState.delete_message(row["id"].to(int))),
        gap="0.5rem",
        align="center",
        wrap="wrap",
    )


def _assignee_select(row: rx.Var) -> rx.Component:
    select_id = "inbox-assignee-" + row["id"]
    return rx.flex(
        rx.el.label(rx.text(t("inbox_assignee_label"), size="2", weight="medium"), html_for=select_id),
        rx.el.select(
            rx.el.option(t("inbox_assignee_nobody"), value=""),
            rx.foreach(AdminInboxState.assignees, lambda editor: rx.el.option(editor["email"], value=editor["id"])),
            id=select_id,
            value=row["assignee_id"],
            on_change=lambda chosen: AdminInboxState.assign(row["id"].to(int), chosen),
            style=SELECT_STYLE,
            class_name="inbox-assignee",
        ),
        align="center",
        gap="0.4rem",
    )


def _note(note: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(note["author"], " · ", note["created_at"], size="1", style=MUTED_TEXT),
        rx.text(note["body"], as_="p", size="2", style={"white_space": "pre-wrap"}),
        class_name="inbox-note",
        margin_bottom="0.5rem",
    )


def _notes() -> rx.Component:
    return rx.box(
        rx.heading(t("inbox_notes_heading"), size="3", as_="h3"),
        rx.text(t("inbox_notes_hint"), size="1", style=MUTED_TEXT),
        rx.cond(
            AdminInboxState.notes.length() > 0,
            rx.el.ul(
                rx.foreach(AdminInboxState.notes, _note),
                style={"list_style": "none", "padding": 0, "margin": "0.5rem 0"},
            ),
            rx.text(t("inbox_no_notes"), size="2"),
        ),
        rx.form(
            rx.el.label(rx.text(t("inbox_note_label"), size="2", weight="medium"), html_for="inbox-note-text"),
            rx.text_area(
                id="inbox-note-text",
                name="note",
                rows="3",
                value=AdminInboxState.note_draft,
                on_change=AdminInboxState.keep_note_draft,
                max_length=NOTE_MAX_LENGTH,
                aria_describedby="inbox-note-error",
            ),
            rx.text(
                AdminInboxState.note_error_message,
                color_scheme="red",
                size="2",
                id="inbox-note-error",
                aria_live="polite",
            ),
            rx.button(
                t("inbox_add_note"),
                type="submit",
                size="1",
                id="inbox-add-note",
                high_contrast=True,
                margin_top="0.5rem",
            ),
            on_submit=AdminInboxState.add_note,
        ),
        margin_top="1rem",
        padding_top="0.75rem",
        border_top="1px solid var(--gray-a5)",
    )


def _message(row: rx.Var[dict[str, str]]) -> rx.Component:
    return keyed_by_id(
        rx.card(
            rx.flex(
                rx.badge(
                    t_by_code("admin_status_", row["status"]),
                    color_scheme=rx.match(row["status"], *STATUS_COLOURS.items(), "gray"),
                    class_name="inbox-status",
                ),
                rx.link(
                    rx.text(row["name"], weight="bold"),
                    on_click=AdminInboxState.open_message(row["id"].to(int)),
                    href="#",
                    as_="button",
                ),
                rx.text(row["email"], size="2"),
                rx.text(row["created_at"], size="2", style=MUTED_TEXT),
                rx.text(
                    t("inbox_assignee_label"),
                    ": ",
                    rx.cond(row["assignee"] != "", row["assignee"], t("inbox_assignee_nobody")),
                    size="2",
                    class_name="inbox-assignee-text",
                ),
                gap="0.75rem",
                align="center",
                wrap="wrap",
            ),
            rx.box(_actions(row), margin_top="0.5rem"),
            rx.cond(
                AdminInboxState.opened_id == row["id"],
                rx.box(
                    rx.text(row["phone"], size="2"),
                    rx.cond(row["wants_meeting"] == "true", rx.badge(t("admin_wants_meeting"))),
                    rx.text(row["message"], as_="p", style={"white_space": "pre-wrap"}, margin_y="0.5rem"),
                    _assignee_select(row),
                    _notes(),
                    margin_top="0.75rem",
                ),
            ),
            class_name="inbox-message",
        ),
        row["id"],
    )


def _pager() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            rx.button(
                t("inbox_newer"),
                on_click=AdminInboxState.go_to_page(AdminInboxState.page - 1),
                disabled=AdminInboxState.page <= 1,
                variant="soft",
                size="1",
            ),
            rx.text(AdminInboxState.page_label, size="2", id="inbox-page-label"),
            rx.button(
                t("inbox_older"),
                on_click=AdminInboxState.go_to_page(AdminInboxState.page + 1),
                disabled=AdminInboxState.page >= AdminInboxState.page_count,
                variant="soft",
                size="1",
            ),
            gap="1.5rem",
            align="center",
            justify="center",
        ),
        aria_label=AdminInboxState.page_label,
    )


def admin_inbox_page() -> rx.Component:
    """The contact inbox."""
    return admin_shell(
        rx.flex(
            rx.heading(t("admin_nav_inbox"), size="6", as_="h1"),
            rx.spacer(),
            rx.button(t("admin_export_csv"), on_click=AdminInboxState.export_csv, variant="outline", id="inbox-export"),
            align="center",
        ),
        _filters(),
        rx.cond(
            AdminInboxState.error_message != "",
            rx.callout.root(
                rx.callout.text(AdminInboxState.error_message), color_scheme="red", role="alert", id="inbox-error"
            ),
        ),
        rx.cond(
            AdminInboxState.messages.length() > 0,
            rx.flex(rx.foreach(AdminInboxState.messages, _message), direction="column", gap="0.75rem"),
            rx.text(t("admin_empty")),
        ),
        _pager(),
    )
