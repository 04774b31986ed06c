"""`/admin/texts`: the mission and the goal, in English and Spanish, each saved on its own."""

import reflex as rx

from vws_app.components.admin_layout import admin_shell
from vws_app.components.translated import t
from vws_app.i18n import SUPPORTED_LANGUAGES
from vws_app.services.editorial import SITE_TEXT_KEYS
from vws_app.state.admin_texts import AdminTextsState, slot_name


def _text_editor(key: str, language: str) -> rx.Component:
    slot = slot_name(key, language)
    area_id = f"text-{slot}"
    return rx.flex(
        rx.el.label(rx.text(t(f"language_name_{language}"), weight="medium", size="2"), html_for=area_id),
        rx.text_area(
            id=area_id,
            value=AdminTextsState.texts[slot],
            on_change=lambda value: AdminTextsState.set_text(slot, value),
            rows="8",
            lang=language,
            aria_describedby=f"{area_id}-error",
        ),
        rx.text(
            rx.cond(AdminTextsState.error_texts.contains(slot), AdminTextsState.error_texts[slot], ""),
            color_scheme="red",
            size="2",
            id=f"{area_id}-error",
            aria_live="polite",
        ),
        rx.flex(
            rx.button(t("admin_save"), on_click=AdminTextsState.save_text(slot), id=f"{area_id}-save"),
            rx.cond(AdminTextsState.saved_slot == slot, rx.text(t("admin_saved"), size="2", role="status")),
            rx.link(
                t("admin_revision_link"), href=f"/admin/texts/history?slot={slot}", size="2", id=f"{area_id}-history"
            ),
            align="center",
            gap="0.75rem",
        ),
        direction="column",
        gap="0.4rem",
        width="100%",
    )


def _text_section(key: str) -> rx.Component:
    return rx.el.section(
        rx.heading(t(f"admin_text_{key}"), size="4", as_="h2", margin_bottom="0.75rem"),
        rx.grid(
            *[_text_editor(key, language) for language in SUPPORTED_LANGUAGES],
            columns=rx.breakpoints(initial="1", md="2"),
            gap="1.5rem",
        ),
    )


def admin_texts_page() -> rx.Component:
    """The site texts form."""
    return admin_shell(
        rx.flex(
            rx.heading(t("admin_nav_texts"), size="6", as_="h1"),
            rx.spacer(),
            # The privacy notice and page are site texts too, with versions and retention: their own page.
            rx.link(t("admin_nav_privacy"), href="/admin/privacy", id="admin-privacy-link"),
            align="center",
            gap="1rem",
            wrap="wrap",
        ),
        *[_text_section(key) for key in SITE_TEXT_KEYS],
    )
