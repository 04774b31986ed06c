"""`/admin/mail`: outgoing mail — counts by status, the failed e-mails and retrying them."""

import reflex as rx

from vws_app.components.admin_form import keyed_by_id
from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t
from vws_app.state.admin_mail import AdminMailState as State
from vws_app.styles import MUTED_TEXT

STATUSES = ("queued", "sending", "sent", "failed")


def _count(status: str) -> rx.Component:
    return rx.card(
        rx.text(t(f"admin_mail_status_{status}"), size="2", style=MUTED_TEXT),
        rx.text(State.counts.get(status, 0), size="6", weight="bold", class_name=f"mail-count-{status}"),
        min_width="8rem",
    )


def _failed_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return keyed_by_id(
        rx.table.row(
            rx.table.cell(row["recipient"]),
            rx.table.cell(row["kind"]),
            rx.table.cell(row["last_error"], style={"word_break": "break-word"}),
            rx.table.cell(row["attempts"]),
            rx.table.cell(row["time"], white_space="nowrap"),
            rx.table.cell(
                rx.button(
                    t("admin_mail_retry"),
                    on_click=State.retry(row["id"].to(int)),
                    size="1",
                    variant="soft",
                    class_name="mail-retry",
                )
            ),
            class_name="mail-failed-row",
        ),
        row["id"],
    )


def _failed_table() -> rx.Component:
    headers = (
        "admin_mail_col_recipient",
        "admin_mail_col_kind",
        "admin_mail_col_error",
        "admin_mail_col_attempts",
        "admin_mail_col_time",
    )
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *(rx.table.column_header_cell(t(key)) for key in headers),
                rx.table.column_header_cell(t("admin_mail_retry")),
            )
        ),
        rx.table.body(rx.foreach(State.failed, _failed_row)),
        width="100%",
    )


def admin_mail_page() -> rx.Component:
    """Outgoing mail."""
    return admin_shell(
        rx.heading(t("admin_nav_mail"), size="6", as_="h1"),
        rx.cond(
            ~State.mail_configured,
            rx.callout(t("admin_mail_not_configured"), color_scheme="amber", id="mail-not-configured", role="status"),
        ),
        rx.flex(*(_count(status) for status in STATUSES), gap="0.75rem", wrap="wrap"),
        rx.flex(
            rx.heading(t("admin_mail_failed_heading"), size="4", as_="h2"),
            rx.spacer(),
            rx.cond(
                State.failed.length() > 0,
                rx.button(t("admin_mail_retry_all"), on_click=State.retry_all, variant="outline", id="mail-retry-all"),
            ),
            align="center",
        ),
        rx.cond(
            State.retried_count >= 0,
            rx.text(State.retried_text, role="status", id="mail-retried"),
        ),
        rx.cond(State.failed.length() > 0, _failed_table(), rx.text(t("admin_mail_none_failed"))),
    )
