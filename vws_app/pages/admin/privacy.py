"""`/admin/privacy`: the short notice and the full privacy page in both languages (saved as versions), and the retention periods."""

import reflex as rx

from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t
from vws_app.i18n import SUPPORTED_LANGUAGES
from vws_app.services.privacy_texts import KINDS
from vws_app.services.retention_policy import FIELDS
from vws_app.state.admin_privacy import AdminPrivacyState
from vws_app.state.admin_session import AdminState
from vws_app.state.admin_texts import slot_name


def _earlier(slot: str) -> rx.Component:
    return rx.el.details(
        rx.el.summary(t("admin_privacy_history")),
        rx.foreach(
            AdminPrivacyState.history,
            lambda row: rx.cond(
                row["slot"] == slot,
                rx.box(
                    rx.text(row["version"], " · ", row["when"], " · ", row["who"], size="1", weight="medium"),
                    rx.text(row["body"], size="1", white_space="pre-wrap"),
                    margin_top="0.5rem",
                ),
            ),
        ),
    )


def _text_editor(kind: str, language: str) -> rx.Component:
    slot = slot_name(kind, language)
    area_id = f"privacy-{slot}"
    return rx.flex(
        rx.el.label(rx.text(t(f"language_name_{language}"), weight="medium", size="2"), html_for=area_id),
        rx.text(
            rx.cond(AdminPrivacyState.version_texts.contains(slot), AdminPrivacyState.version_texts[slot], ""),
            size="1",
            id=f"{area_id}-version",
        ),
        rx.text_area(
            id=area_id,
            value=AdminPrivacyState.texts[slot],
            rows="10" if kind == "full" else "5",
            lang=language,
            on_change=lambda value: AdminPrivacyState.set_text(slot, value),
            aria_describedby=f"{area_id}-error",
        ),
        rx.text(
            rx.cond(AdminPrivacyState.error_texts.contains(slot), AdminPrivacyState.error_texts[slot], ""),
            color_scheme="red",
            size="2",
            id=f"{area_id}-error",
            aria_live="polite",
        ),
        rx.flex(
            rx.button(
                t("admin_privacy_save_version"), on_click=AdminPrivacyState.save_text(slot), id=f"{area_id}-save"
            ),
            rx.cond(AdminPrivacyState.saved_slot == slot, rx.text(t("admin_saved"), size="2", role="status")),
            align="center",
            gap="0.75rem",
        ),
        _earlier(slot),
        direction="column",
        gap="0.4rem",
        width="100%",
    )


def _retention_field(field: str) -> rx.Component:
    field_id = f"retention-{field.replace('_', '-')}"
    return rx.flex(
        rx.el.label(rx.text(t(f"admin_retention_{field}"), size="2", weight="medium"), html_for=field_id),
        rx.input(
            id=field_id,
            type="number",
            min=1,
            value=AdminPrivacyState.retention[field],
            on_change=lambda value: AdminPrivacyState.keep_period(field, value),
            aria_describedby=f"{field_id}-error",
            read_only=~AdminState.is_admin,
        ),
        rx.text(
            rx.cond(
                AdminPrivacyState.retention_error_texts.contains(field),
                AdminPrivacyState.retention_error_texts[field],
                "",
            ),
            color_scheme="red",
            size="2",
            id=f"{field_id}-error",
            aria_live="polite",
        ),
        direction="column",
        gap="0.35rem",
    )


def _retention() -> rx.Component:
    return rx.el.section(
        rx.heading(t("admin_privacy_retention_heading"), size="4", as_="h2", margin_bottom="0.5rem"),
        rx.text(t("admin_privacy_retention_intro"), size="2"),
        rx.grid(
            *[_retention_field(field) for field in FIELDS],
            columns=rx.breakpoints(initial="1", md="3"),
            gap="1rem",
            margin_y="0.75rem",
        ),
        rx.cond(
            AdminState.is_admin,
            rx.flex(
                rx.button(t("admin_retention_save"), on_click=AdminPrivacyState.save_retention, id="retention-save"),
                rx.cond(
                    AdminPrivacyState.retention_saved, rx.text(t("admin_retention_saved"), size="2", role="status")
                ),
                align="center",
                gap="0.75rem",
            ),
            rx.text(t("admin_privacy_retention_admins_only"), size="2"),
        ),
    )


def admin_privacy_page() -> rx.Component:
    """The privacy texts form and the retention periods."""
    return admin_shell(
        rx.heading(t("admin_nav_privacy"), size="6", as_="h1"),
        *[
            rx.el.section(
                rx.heading(t(f"admin_privacy_{kind}"), size="4", as_="h2", margin_bottom="0.75rem"),
                rx.grid(
                    *[_text_editor(kind, language) for language in SUPPORTED_LANGUAGES],
                    columns=rx.breakpoints(initial="1", md="2"),
                    gap="1.5rem",
                ),
            )
            for kind in KINDS
        ],
        _retention(),
    )
