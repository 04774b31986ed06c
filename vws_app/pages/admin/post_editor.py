"""`/admin/posts/edit[?id=N]`: the post form with a live Markdown preview and its photo from the image library."""

import reflex as rx

from vws_app.components.admin_form import field_error, form_error, notice, select_field, text_area_field, text_field
from vws_app.components.admin_layout import admin_shell
from vws_app.components.image_upload import upload_button
from vws_app.components.markdown_toolbar import image_tool, markdown_toolbar
from vws_app.components.scheduled import scheduled_badge
from vws_app.components.translated import t
from vws_app.components.translation_panel import save_control, source_text, translation_panel
from vws_app.components.unsaved_guard import unsaved_guard
from vws_app.services.content import categories
from vws_app.state.admin_posts import AdminPostsState, LibraryChoice
from vws_app.state.admin_session import AdminState
from vws_app.state.admin_translation import AdminTranslationState
from vws_app.styles import MUTED_TEXT

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
        AdminPostsState,
        PREFIX,
        "translation_of",
        "admin_field_translation_of",
        [("", t("admin_field_none"))],
        extra=rx.foreach(AdminPostsState.candidates, lambda post: rx.el.option(post["title"], value=post["id"])),
    )


def _pick(choice: rx.Var[LibraryChoice]) -> rx.Component:
    """One library photo as a button that chooses it for the post."""
    chosen = AdminPostsState.form["media_image_id"] == choice.id
    return rx.el.button(
        rx.el.img(
            src=choice.thumb_url,
            alt=rx.cond(AdminState.lang == "es", choice.alt_es, choice.alt_en),
            loading="lazy",
            style={"width": "6rem", "height": "4rem", "object_fit": "cover", "display": "block"},
        ),
        type="button",
        aria_pressed=rx.cond(chosen, "true", "false"),
        on_click=AdminPostsState.set_form_field("media_image_id", choice.id),
        class_name="media-pick",
        style={
            "padding": "2px",
            "cursor": "pointer",
            "background": "none",
            "border_radius": "var(--radius-2)",
            "border": rx.cond(chosen, "3px solid var(--accent-9)", "1px solid var(--gray-a7)"),
        },
    )


def _chosen() -> rx.Component:
    """The chosen photo: its descriptions and credit, where to change them, and how to remove it from the post."""
    chosen = AdminPostsState.chosen_image
    return rx.flex(
        rx.cond(~chosen.described, rx.badge(t("admin_media_missing_alt"), color_scheme="amber", width="fit-content")),
        rx.text(rx.text("EN: ", weight="medium", as_="span"), chosen.alt_en, size="2"),
        rx.text(rx.text("ES: ", weight="medium", as_="span"), chosen.alt_es, size="2"),
        rx.text(rx.cond(AdminState.lang == "es", chosen.credit_es, chosen.credit_en), size="2", style=MUTED_TEXT),
        rx.link(t("admin_media_edit_details"), href="/admin/media", size="2", id="post-image-details"),
        direction="column",
        gap="0.25rem",
        id="post-image-chosen",
        style={"overflow_wrap": "anywhere"},
    )


def _image() -> rx.Component:
    has_image = (AdminPostsState.form["media_image_id"] != "") | (AdminPostsState.form["image_path"] != "")
    return rx.flex(
        rx.text(t("admin_field_image"), weight="medium", size="2"),
        rx.cond(AdminPostsState.chosen_image.id != "", _chosen()),
        rx.cond(
            (AdminPostsState.form["media_image_id"] == "") & (AdminPostsState.form["image_path"] != ""),
            rx.flex(
                rx.image(src=AdminPostsState.form["image_path"], alt="", max_width="16rem"),
                rx.text(t("admin_media_legacy"), size="2", style=MUTED_TEXT),
                direction="column",
                gap="0.25rem",
            ),
        ),
        rx.cond(
            has_image,
            rx.button(
                t("admin_remove_image"),
                variant="ghost",
                type="button",
                width="fit-content",
                id="post-image-remove",
                on_click=[
                    AdminPostsState.set_form_field("media_image_id", ""),
                    AdminPostsState.set_form_field("image_path", ""),
                ],
            ),
        ),
        rx.cond(
            AdminPostsState.library.length() > 0,
            rx.flex(
                rx.text(t("admin_media_choose"), size="2"),
                rx.flex(
                    rx.foreach(AdminPostsState.library, _pick),
                    gap="0.5rem",
                    wrap="wrap",
                    id="post-image-library",
                    style={"max_height": "14rem", "overflow_y": "auto"},
                ),
                direction="column",
                gap="0.35rem",
            ),
        ),
        upload_button(
            UPLOAD_ID, "admin_media_upload_new", AdminPostsState.upload_image(rx.upload_files(upload_id=UPLOAD_ID))
        ),
        field_error(AdminPostsState, PREFIX, "media_image_id"),
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
                    _select(
                        "language",
                        "admin_field_language",
                        [("en", t("language_name_en")), ("es", t("language_name_es"))],
                    ),
                    _translation_picker(),
                    gap="1rem",
                    wrap="wrap",
                ),
                rx.flex(
                    _select(
                        "category", "admin_field_category", [(code, t(f"category_{code}")) for code in categories()]
                    ),
                    _select(
                        "status",
                        "admin_field_status",
                        [("draft", t("admin_status_draft")), ("published", t("admin_status_published"))],
                    ),
                    _text("published_at", "admin_field_published_at", type="datetime-local"),
                    gap="1rem",
                    wrap="wrap",
                ),
                rx.text(AdminTranslationState.zone_text, size="2", id="post-zone"),  # publish times are this zone's
                scheduled_badge(AdminPostsState.scheduled_for, "post-scheduled"),
                _area("excerpt", "admin_field_excerpt", "3"),
                text_area_field(
                    AdminPostsState,
                    PREFIX,
                    "body",
                    "admin_field_body",
                    rows="16",
                    above=markdown_toolbar(
                        f"{PREFIX}-body",
                        image_tool(
                            f"{PREFIX}-body",
                            AdminPostsState.image_markdown_after,
                            AdminPostsState.image_markdown_alt,
                            AdminPostsState.chosen_image.id == "",
                        ),
                    ),
                ),
                _image(),
                rx.flex(
                    save_control(
                        rx.button(
                            t("admin_save"),
                            on_click=AdminPostsState.save,
                            size="3",
                            id="post-save",
                            width="fit-content",
                        )
                    ),
                    rx.cond(
                        (AdminPostsState.editing_id > 0) & (AdminPostsState.form["status"] == "published"),
                        rx.link(
                            t("admin_nav_mailing"),
                            href="/admin/mailing?id=" + AdminPostsState.editing_id.to_string(),
                            id="post-send-to-subscribers",
                        ),
                    ),
                    rx.cond(
                        AdminPostsState.editing_id > 0,
                        rx.link(
                            t("admin_revision_link"),
                            href="/admin/posts/history?id=" + AdminPostsState.editing_id.to_string(),
                            id="post-history",
                        ),
                    ),
                    rx.cond(
                        AdminPostsState.editing_id > 0,
                        rx.link(
                            t("admin_letters_sign_on"),
                            href="/admin/letters?post=" + AdminPostsState.editing_id.to_string(),
                            id="post-sign-on",
                        ),
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
