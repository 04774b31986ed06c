"""`/admin/posts/edit[?id=N]`: the post form with a live Markdown preview and image upload."""

import reflex as rx

from vws_app.components.admin_form import field_error, form_error, notice, select_field, text_area_field, text_field
from vws_app.components.admin_layout import admin_shell
from vws_app.components.markdown_toolbar import markdown_toolbar
from vws_app.components.scheduled import scheduled_badge
from vws_app.components.unsaved_guard import unsaved_guard
from vws_app.components.translated import t
from vws_app.components.translation_panel import save_control, source_text, translation_panel
from vws_app.services.content import categories
from vws_app.state.admin_posts import AdminPostsState
from vws_app.state.admin_translation import AdminTranslationState

UPLOAD_ID = "post-image"
PREFIX = "post"


def _text(field: str, label_key: str, **props) -> rx.Component:
    return text_field(AdminPostsState, PREFIX, field, label_key, **props)


def _area(field: str, label_key: str, rows: str) -> rx.Component:
    return text_area_field(AdminPostsState, PREFIX, field, label_key, rows=rows)


def _select(field: str, label_key: str, options: list) -> rx.Component:
    return select_field(AdminPostsState, PREFIX, field, label_key, options)


def _translation_picker() -> rx.Component:
    return select_field(
        AdminPostsState, PREFIX, "translation_of", "admin_field_translation_of",
        [("", t("admin_field_none"))],
        extra=rx.foreach(AdminPostsState.candidates, lambda post: rx.el.option(post["title"], value=post["id"])),
    )


def _image() -> rx.Component:
    return rx.flex(
        rx.text(t("admin_field_image"), weight="medium", size="2"),
        rx.cond(AdminPostsState.form["image_path"] != "", rx.image(src=AdminPostsState.form["image_path"], alt="", max_width="16rem")),
        rx.upload(
            rx.button(t("admin_upload"), variant="soft", type="button"),
            id=UPLOAD_ID,
            accept={"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"], "image/gif": [".gif"]},
            max_files=1,
            on_drop=AdminPostsState.upload_image(rx.upload_files(upload_id=UPLOAD_ID)),
            border="1px dashed var(--gray-a7)",
            padding="0.75rem",
        ),
        rx.cond(
            AdminPostsState.form["image_path"] != "",
            rx.button(t("admin_remove_image"), variant="ghost", type="button", on_click=AdminPostsState.set_form_field("image_path", "")),
        ),
        field_error(AdminPostsState, PREFIX, "image_path"),
        _text("image_credit", "admin_field_image_credit"),
        direction="column",
        gap="0.5rem",
    )


def admin_post_editor_page() -> rx.Component:
    """The post editor."""
    return admin_shell(
        rx.heading(rx.cond(AdminPostsState.editing_id > 0, t("admin_edit"), t("admin_new_post")), size="6", as_="h1"),
        notice(AdminPostsState),
        unsaved_guard(AdminPostsState),
        form_error(AdminPostsState),
        translation_panel(),
        rx.grid(
            rx.flex(
                _text("title", "admin_field_title"),
                _text("slug", "admin_field_slug"),
                rx.flex(
                    _select("language", "admin_field_language", [("en", t("language_name_en")), ("es", t("language_name_es"))]),
                    _translation_picker(),
                    gap="1rem",
                    wrap="wrap",
                ),
                rx.flex(
                    _select("category", "admin_field_category", [(code, t(f"category_{code}")) for code in categories()]),
                    _select("status", "admin_field_status", [("draft", t("admin_status_draft")), ("published", t("admin_status_published"))]),
                    _text("published_at", "admin_field_published_at", type="datetime-local"),
                    gap="1rem",
                    wrap="wrap",
                ),
                rx.text(AdminTranslationState.zone_text, size="2", id="post-zone"),  # publish times are this zone's
                scheduled_badge(AdminPostsState.scheduled_for, "post-scheduled"),
                _area("excerpt", "admin_field_excerpt", "3"),
                text_area_field(AdminPostsState, PREFIX, "body", "admin_field_body", rows="16",
                                above=markdown_toolbar(f"{PREFIX}-body")),
                _image(),
                rx.flex(
                    save_control(rx.button(t("admin_save"), on_click=AdminPostsState.save, size="3", id="post-save",
                                           width="fit-content")),
                    rx.cond(
                        (AdminPostsState.editing_id > 0) & (AdminPostsState.form["status"] == "published"),
                        rx.link(t("admin_nav_mailing"), href="/admin/mailing?id=" + AdminPostsState.editing_id.to_string(),
                                id="post-send-to-subscribers"),
                    ),
                    rx.cond(
                        AdminPostsState.editing_id > 0,
                        rx.link(t("admin_revision_link"), href="/admin/posts/history?id=" + AdminPostsState.editing_id.to_string(),
                                id="post-history"),
                    ),
                    rx.cond(
                        AdminPostsState.editing_id > 0,
                        rx.link(t("admin_letters_sign_on"), href="/admin/letters?post=" + AdminPostsState.editing_id.to_string(),
                                id="post-sign-on"),
                    ),
                    gap="1.5rem",
                    align="center",
                    wrap="wrap",  # on a phone the links go to a second line rather than off the screen
                ),
                direction="column",
                gap="1rem",
            ),
            rx.box(
                source_text(),
                rx.heading(t("admin_preview"), size="3", as_="h2"),
                rx.box(rx.html(AdminPostsState.preview_html), class_name="post-body", id="post-preview"),
                border_left="1px solid var(--gray-a5)",
                padding_left="1rem",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            gap="2rem",
        ),
    )
