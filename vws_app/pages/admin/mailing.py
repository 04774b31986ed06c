"""`/admin/mailing`: send a published post to the subscribers (preview, test, confirmed send) and its progress."""

import reflex as rx

from vws_app.components.admin_form import SELECT_STYLE, keyed_by_id
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t, t_by_code
from vws_app.state.admin_mailing import AdminMailingState as State
from vws_app.state.admin_mailing import MailingRow
from vws_app.styles import MUTED_TEXT


def progress_card(row: rx.Var[MailingRow]) -> rx.Component:
    """One mailing: its post, when, a progress bar and the waiting / sent / failed counts (read from the outbox)."""
    return keyed_by_id(
        rx.card(
            rx.flex(
                rx.text(row.title, weight="bold"),
                rx.text(row.created_at, size="2", style=MUTED_TEXT),
                rx.spacer(),
                rx.cond(row.finished, rx.badge(t("admin_mailing_done"), color_scheme="green")),
                gap="0.75rem",
                align="center",
                wrap="wrap",
            ),
            rx.progress(value=row.percent, max=100, margin_y="0.5rem", aria_label=row.title),
            rx.text(
                t("admin_mail_status_queued"),
                ": ",
                rx.el.span(row.queued, class_name="count-queued"),
                " · ",
                t("admin_mail_status_sent"),
                ": ",
                rx.el.span(row.sent, class_name="count-sent"),
                " · ",
                t("admin_mail_status_failed"),
                ": ",
                rx.el.span(row.failed, class_name="count-failed"),
                " · ",
                t("admin_mailing_total"),
                ": ",
                rx.el.span(row.total, class_name="count-total"),
                size="2",
            ),
            class_name="mailing-progress",
            data_finished=rx.cond(row.finished, "true", "false"),
        ),
        row.id,
    )


def _post_choice() -> rx.Component:
    return rx.flex(
        rx.el.label(rx.text(t("admin_mailing_choose_post"), weight="medium", size="2"), html_for="mailing-post"),
        rx.el.select(
            rx.el.option(t("admin_mailing_choose_placeholder"), value=""),
            rx.foreach(State.post_options, lambda option: rx.el.option(option["label"], value=option["id"])),
            id="mailing-post",
            value=State.selected_post_id,
            on_change=State.choose_post,
            style=SELECT_STYLE,
        ),
        direction="column",
        gap="0.3rem",
    )


def _confirm_send() -> rx.Component:
    """ "Send to N subscribers", asking first: a send cannot be taken back."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(t("admin_mailing_send"), id="mailing-send")),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("admin_mailing_send")),
            rx.alert_dialog.description(
                t("admin_mailing_confirm"),
                " ",
                rx.text(State.audience_total, as_="span", weight="bold"),
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("admin_cancel"), variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(t("admin_mailing_send"), on_click=State.send_now, id="mailing-send-confirm")
                ),
                gap="0.75rem",
                justify="end",
                margin_top="1rem",
            ),
        ),
    )


def _preview(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.card(
        rx.heading(t_by_code("language_name_", row["language"]), size="3", as_="h3"),
        rx.text(t("admin_mailing_subject"), ": ", rx.el.strong(row["subject"]), size="2", margin_y="0.5rem"),
        rx.box(
            rx.html(row["html"]),
            border="1px solid var(--gray-a5)",
            padding="0.75rem",
            class_name="mailing-preview-html",
        ),
        rx.el.details(
            rx.el.summary(t("admin_mailing_plain_text")),
            rx.el.pre(row["text"], style={"white_space": "pre-wrap", "font_size": "0.85rem"}),
        ),
        class_name="mailing-preview",
        data_language=row["language"],
        flex="1 1 20rem",
    )


def _selected_post() -> rx.Component:
    return rx.cond(
        State.selected_post_id != "",
        rx.flex(
            rx.text(
                t("admin_mailing_audience"),
                " ",
                rx.el.strong(State.audience_total, id="mailing-audience"),
                " (",
                t("language_name_en"),
                " ",
                State.audience["en"],
                ", ",
                t("language_name_es"),
                " ",
                State.audience["es"],
                ")",
            ),
            rx.cond(
                State.selected_was_sent,
                rx.callout.root(rx.callout.text(t("admin_mailing_already_sent")), color_scheme="gray"),
                rx.flex(
                    rx.button(
                        t("admin_mailing_send_test"),
                        on_click=State.send_test,
                        variant="outline",
                        id="mailing-send-test",
                    ),
                    _confirm_send(),
                    gap="0.75rem",
                ),
            ),
            rx.heading(t("admin_mailing_preview"), size="4", as_="h2"),
            rx.flex(rx.foreach(State.previews, _preview), gap="1rem", wrap="wrap"),
            direction="column",
            gap="1rem",
        ),
    )


def admin_mailing_page() -> rx.Component:
    """Choose a post, preview it in both languages, test it, send it; below, the latest mailings."""
    return admin_shell(
        rx.heading(t("admin_nav_mailing"), size="6", as_="h1"),
        rx.cond(
            ~State.mail_configured,
            rx.callout.root(rx.callout.text(t("admin_mail_not_configured")), color_scheme="amber"),
        ),
        rx.cond(
            State.message_text != "",
            rx.callout.root(
                rx.callout.text(State.message_text),
                color_scheme=rx.cond(State.is_error, "red", "green"),
                role="status",
                id="mailing-message",
            ),
        ),
        _post_choice(),
        rx.cond(
            (State.selected_post_id == "") & (State.selected_title != ""), rx.text(State.selected_title, weight="bold")
        ),
        _selected_post(),
        rx.heading(t("admin_mailing_recent"), size="4", as_="h2"),
        rx.cond(
            State.mailings.length() > 0,
            rx.flex(rx.foreach(State.mailings, progress_card), direction="column", gap="0.75rem", id="mailing-list"),
            rx.text(t("admin_empty")),
        ),
    )
