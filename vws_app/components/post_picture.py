"""A post's photo on file in the live pages: `<picture>` with WebP and JPEG renditions, its box kept, its credit.

The same markup as the server writes (`services/post_pictures.py`), so a page that arrives as
server text and then runs offers the browser the same files, which it fetches once.
"""

import reflex as rx

from vws_app.services.post_pictures import PostPicture
from vws_app.state.language import LanguageState


def _credit(picture: rx.Var[PostPicture]) -> rx.Component:
    """ "Photo: …" in the reader's language, linked to the photographer's or source's page when there is one."""
    text = rx.cond(LanguageState.lang == "es", picture.credit_es, picture.credit_en)
    return rx.cond(
        text != "",
        rx.el.figcaption(
            # A plain <a>: the credit leads off the site, not to a page of the app.
            rx.cond(
                picture.credit_url != "",
                rx.el.elements.a(text, href=picture.credit_url, rel="noopener"),
                rx.fragment(text),
            ),
            class_name="post-credit",
            lang=LanguageState.lang,
        ),
    )


def post_picture(picture: rx.Var[PostPicture], sizes: str, **props) -> rx.Component:
    """The photo drawn `sizes` wide (a `sizes` attribute), its credit under it.

    `width`/`height` are the image's own: with `height: auto` (assets/reading.css) the page
    keeps its box before the file arrives, so nothing below it moves. The page's first image
    is fetched at once and before others; the rest wait until they are near the screen.
    """
    return rx.el.figure(
        rx.el.picture(
            rx.el.source(type="image/webp", src_set=picture.webp_srcset, sizes=sizes),
            rx.el.img(
                src=picture.src,
                src_set=picture.jpeg_srcset,
                sizes=sizes,
                alt=picture.alt,
                loading=rx.cond(picture.first, "eager", "lazy"),
                decoding="async",
                custom_attrs={
                    "width": picture.width,
                    "height": picture.height,
                    "fetchPriority": rx.cond(picture.first, "high", "auto"),
                },
            ),
        ),
        _credit(picture),
        class_name="post-figure",
        **props,
    )
