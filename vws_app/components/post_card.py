"""A post as it appears in lists: title, date, language badge, excerpt, image and credit."""

import reflex as rx

from vws_app.components.post_picture import post_picture
from vws_app.components.translated import t_by_code
from vws_app.services.content import PostCard
from vws_app.services.post_pictures import GRID_CARD_SIZES, WIDE_CARD_SIZES
from vws_app.styles import CARD_STYLE, MUTED_TEXT


def language_badge(language: rx.Var) -> rx.Component:
    """EN / ES, with the language's full name for screen readers."""
    return rx.badge(
        language.upper(),
        variant="surface",
        title=t_by_code("language_name_", language),
        aria_label=t_by_code("language_name_", language),
        class_name="language-badge",
    )


def only_in_notice(language: rx.Var, **props) -> rx.Component:
    """ "Only available in Spanish" / "Solo disponible en inglés": the text has no version in the reader's language."""
    return rx.text(
        rx.icon("languages", size=14, aria_hidden="true"),
        t_by_code("post_only_in_", language),
        size="2",
        weight="medium",
        display="inline-flex",
        align_items="center",
        gap="0.35rem",
        **props,
    )


def post_card(card: rx.Var[PostCard]) -> rx.Component:
    """One post in a section's grid (its title an h3 under the section's h2), linking to its page."""
    return _post_card(card, "h3", GRID_CARD_SIZES)


def featured_post_card(card: rx.Var[PostCard]) -> rx.Component:
    """The post that leads a section, as wide as the column (its title an h3 under the section's h2)."""
    return _post_card(card, "h3", WIDE_CARD_SIZES)


def post_list_card(card: rx.Var[PostCard]) -> rx.Component:
    """One post in a page's main list (its title an h2 right under the page's h1), linking to its page.

    Separate from `post_card` because `rx.foreach` passes a second parameter the index; one heading
    level for both would skip a level in one of the pages' outlines.
    """
    return _post_card(card, "h2", WIDE_CARD_SIZES)


def _legacy_image(card: rx.Var[PostCard]) -> rx.Component:
    """An older post's single uploaded file, with its free-text credit."""
    return rx.el.figure(
        rx.image(src=card.image_path, alt="", width="100%", loading="lazy"),
        rx.cond(
            card.image_credit != "",
            rx.el.figcaption(rx.text(card.image_credit, size="1", style=MUTED_TEXT)),
        ),
        margin="0",
    )


def _post_card(card: rx.Var[PostCard], heading_level: str, sizes: str) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.cond(
                card.picture.src != "",
                post_picture(card.picture, sizes, lang=card.language, margin="0"),
                rx.cond(card.image_path != "", _legacy_image(card)),
            ),
            rx.flex(
                language_badge(card.language),
                rx.badge(t_by_code("category_", card.category), variant="soft", color_scheme="gray"),
                rx.text(card.date_label, size="2", style=MUTED_TEXT, as_="span"),
                gap="0.5rem",
                align="center",
                wrap="wrap",
            ),
            rx.heading(
                rx.link(card.title, href="/posts/" + card.slug, high_contrast=True, lang=card.language),
                size="5",
                as_=heading_level,
            ),
            rx.cond(card.only_in_language != "", only_in_notice(card.only_in_language, class_name="card-only-in")),
            rx.text(card.excerpt, lang=card.language, style={"white_space": "pre-line"}),
            rx.cond(
                card.signature_label != "",
                rx.text(card.signature_label, size="2", weight="medium", class_name="card-signatures"),
            ),
            rx.flex(
                rx.cond(
                    card.translation_slug != "",
                    rx.link(
                        t_by_code("post_translation_", card.translation_language),
                        href="/posts/" + card.translation_slug,
                        hreflang=card.translation_language,
                        lang=card.translation_language,
                        class_name="card-translation-link",
                    ),
                ),
                gap="1.5rem",
                wrap="wrap",
            ),
            direction="column",
            gap="0.75rem",
        ),
        class_name="post-card",
        style=CARD_STYLE,
    )
