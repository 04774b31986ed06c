"""`/admin/media`: the image library: each photo with its descriptions, credit and uses; upload, describe, delete."""

import reflex as rx

from vws_app.components.admin_form import SELECT_STYLE, confirm_delete, keyed_by_id, notice
from vws_app.components.admin_layout import admin_shell
from vws_app.components.image_upload import upload_button
from vws_app.components.translated import t
from vws_app.services.image_credit import LICENCES
from vws_app.state.admin_media import AdminMediaState, ImageRow, ImageUseRow
from vws_app.state.admin_session import AdminState
from vws_app.styles import MUTED_TEXT

UPLOAD_ID = "media-upload"


def _error(field: str) -> rx.Component:
    state = AdminMediaState
    return rx.text(
        rx.cond(state.error_texts.contains(field), state.error_texts[field], ""),
        color_scheme="red",
        size="2",
        id=f"media-{field}-error",
        aria_live="polite",
    )


def _input(row: rx.Var[ImageRow], field: str, label_key: str, **props) -> rx.Component:
    control_id = f"media-{field}"
    return rx.flex(
        rx.el.label(rx.text(t(label_key), weight="medium", size="2"), html_for=control_id),
        rx.input(
            id=control_id,
            name=field,
            default_value=getattr(row, field),
            aria_describedby=f"media-{field}-error",
            width="100%",
            **props,
        ),
        _error(field),
        direction="column",
        gap="0.3rem",
        width="100%",
    )


def _licence_select(row: rx.Var[ImageRow]) -> rx.Component:
    options = [rx.el.option(t("licence_none"), value="")] + [
        rx.el.option(t(licence.label_key), value=code) for code, licence in LICENCES.items()
    ]
    return rx.flex(
        rx.el.label(rx.text(t("admin_media_licence"), weight="medium", size="2"), html_for="media-credit_licence"),
        rx.el.select(
            *options,
            id="media-credit_licence",
            name="credit_licence",
            default_value=row.credit_licence,
            style=SELECT_STYLE,
            aria_describedby="media-credit_licence-error",
        ),
        _error("credit_licence"),
        direction="column",
        gap="0.3rem",
    )


def _details_form(row: rx.Var[ImageRow]) -> rx.Component:
    return rx.form(
        rx.flex(
            rx.text(t("admin_media_alt_help"), size="2", style=MUTED_TEXT),
            _input(row, "alt_en", "admin_media_alt_en", max_length=500),
            _input(row, "alt_es", "admin_media_alt_es", max_length=500),
            _input(row, "credit_name", "admin_media_credit_name", max_length=200),
            _input(row, "credit_url", "admin_media_credit_url", type="url", max_length=500),
            _licence_select(row),
            rx.flex(
                rx.button(t("admin_media_save"), type="submit", id="media-save"),
                rx.button(
                    t("admin_cancel"),
                    type="button",
                    variant="soft",
                    color_scheme="gray",
                    on_click=AdminMediaState.close_editor,
                ),
                gap="0.75rem",
                wrap="wrap",
            ),
            direction="column",
            gap="0.75rem",
        ),
        on_submit=AdminMediaState.save_details,
        reset_on_submit=False,
        id="media-details-form",
    )


def _use(use: rx.Var[ImageUseRow]) -> rx.Component:
    return rx.el.li(
        rx.link(use.title, href="/admin/posts/edit?id=" + use.post_id.to_string()),
        rx.text(" (" + use.language.upper() + ")", as_="span", size="2", style=MUTED_TEXT),
    )


def _summary(row: rx.Var[ImageRow]) -> rx.Component:
    """The photo's descriptions, credit and uses as text."""
    credit = rx.cond(AdminState.lang == "es", row.credit_es, row.credit_en)
    return rx.flex(
        rx.cond(~row.described, rx.badge(t("admin_media_missing_alt"), color_scheme="amber", width="fit-content")),
        rx.text(rx.text("EN: ", weight="medium", as_="span"), row.alt_en, size="2"),
        rx.text(rx.text("ES: ", weight="medium", as_="span"), row.alt_es, size="2"),
        rx.cond(credit != "", rx.text(credit, size="2", style=MUTED_TEXT)),
        rx.text(row.size + " px", size="1", style=MUTED_TEXT),
        rx.cond(
            row.uses.length() > 0,
            rx.box(
                rx.text(t("admin_media_used_in"), weight="medium", size="2"),
                rx.el.ul(rx.foreach(row.uses, _use), style={"margin": "0.25rem 0 0 1.25rem"}),
            ),
            rx.text(t("admin_media_unused"), size="2", style=MUTED_TEXT),
        ),
        direction="column",
        gap="0.3rem",
        min_width="0",
        flex="1",
        style={"overflow_wrap": "anywhere"},
    )


def _actions(row: rx.Var[ImageRow]) -> rx.Component:
    state = AdminMediaState
    return rx.flex(
        rx.button(t("admin_edit"), size="1", variant="soft", on_click=state.edit_image(row.id)),
        confirm_delete(state.delete_image(row.id)),  # a photo in use is refused by the server, saying why
        rx.cond(state.refused_image_id == row.id, _error("delete")),
        gap="0.5rem",
        wrap="wrap",
        align="center",
    )


def _image(row: rx.Var[ImageRow]) -> rx.Component:
    return keyed_by_id(
        rx.card(
            rx.flex(
                rx.el.img(
                    src=row.thumb_url,
                    alt=rx.cond(AdminState.lang == "es", row.alt_es, row.alt_en),
                    loading="lazy",
                    style={
                        "width": "10rem",
                        "max_width": "100%",
                        "height": "auto",
                        "border_radius": "var(--radius-2)",
                        "align_self": "start",
                    },
                ),
                rx.flex(
                    rx.cond(AdminMediaState.editing_image_id == row.id, _details_form(row), _summary(row)),
                    _actions(row),
                    direction="column",
                    gap="0.75rem",
                    flex="1",
                    min_width="min(100%, 14rem)",
                ),
                gap="1rem",
                wrap="wrap",
            ),
            class_name="media-image",
            width="100%",
        ),
        row.id,
    )


def admin_media_page() -> rx.Component:
    """The library: upload at the top, then every photo, newest first."""
    state = AdminMediaState
    return admin_shell(
        rx.heading(t("admin_media_title"), size="6", as_="h1"),
        rx.text(t("admin_media_intro"), size="2", style=MUTED_TEXT),
        upload_button(UPLOAD_ID, "admin_media_upload", state.upload(rx.upload_files(upload_id=UPLOAD_ID))),
        _error("upload"),
        notice(state),
        rx.cond(
            state.images.length() > 0,
            rx.flex(rx.foreach(state.images, _image), direction="column", gap="1rem", id="media-list"),
            rx.text(t("admin_media_empty")),
        ),
    )
