"""`/posts/<slug>`: one post, its Markdown body, photo credit, a link to its translation and, for a letter, its sign-on."""

import reflex as rx

from vws_app.components.layout import page_shell
from vws_app.components.post_card import language_badge, only_in_notice
from vws_app.components.post_picture import post_picture
from vws_app.components.sign_form import sign_on_section
from vws_app.components.translated import t, t_by_code
from vws_app.services.post_pictures import POST_SIZES
from vws_app.services.site_routes import POSTS
from vws_app.state.language import LanguageState
from vws_app.state.post import PostState
from vws_app.styles import MUTED_TEXT


def _translation_link() -> rx.Component:
    post = PostState.post
    return rx.cond(
        post.translation_slug != "",
        rx.link(
            rx.icon("languages", size=16, aria_hidden="true"),
            t_by_code("post_translation_", post.translation_language),
            href="/posts/" + post.translation_slug,
            hreflang=post.translation_language,
            lang=post.translation_language,
            id="translation-link",
            display="inline-flex",
            align_items="center",
            gap="0.4rem",
        ),
    )


def _picture_or_source() -> rx.Component:
    """The post's photo and credit; an older post's uploaded file as before; else its source line, if any."""
    post = PostState.post
    return rx.cond(
        post.picture.src != "",
        post_picture(post.picture, POST_SIZES),
        rx.cond(
            post.image_path != "",
            rx.el.figure(
                rx.image(src=post.image_path, alt="", width="100%"),
                rx.el.figcaption(rx.text(post.image_credit, size="1", style=MUTED_TEXT)),
                margin_y="1rem",
            ),
            rx.cond(post.source_line != "", rx.el.p(post.source_line, class_name="post-source", id="post-source")),
        ),
    )


def _article() -> rx.Component:
    post = PostState.post
    return rx.el.article(
        rx.flex(
            language_badge(post.language),
            rx.badge(t_by_code("category_", post.category), variant="soft", color_scheme="gray"),
            rx.text(PostState.date_label, size="2", style=MUTED_TEXT, as_="span"),
            gap="0.5rem",
            align="center",
            wrap="wrap",
        ),
        rx.heading(post.title, size="8", as_="h1", margin_y="1rem"),
        rx.cond(  # the reader's language has no version of this text
            (post.language != PostState.lang) & (post.translation_slug == ""),
            only_in_notice(post.language, id="post-only-in", lang=PostState.lang, margin_bottom="0.75rem"),
        ),
        _translation_link(),
        _picture_or_source(),
        # Said once, above the text: a seeded post holds only the original site's excerpt.
        rx.cond(
            post.body_is_excerpt,
            rx.el.p(
                t("post_excerpt_note"),
                class_name="excerpt-note",
                id="excerpt-note",
                lang=LanguageState.lang,
                margin_top="1.5rem",
            ),
        ),
        # Styled by assets/reading.css, like the server's text and the admin's preview.
        rx.box(rx.html(post.body_html), class_name="post-body", margin_top="1.5rem"),
        lang=post.language,
    )


def post_page() -> rx.Component:
    """A post's page, or a not-found message for an unknown slug."""
    return page_shell(
        rx.cond(
            PostState.post.found,
            rx.fragment(_article(), sign_on_section()),  # sign-on in the visitor's language, not the post's
            rx.cond(PostState.post.loaded, rx.heading(t("post_not_found"), size="6", as_="h1", id="post-not-found")),
        ),
        rx.link(t("post_back"), href=POSTS.path, class_name="no-print"),
        ready=PostState.post.loaded,
    )
