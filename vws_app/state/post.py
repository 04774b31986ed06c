"""State of one post's page: its text, and the way to its translation."""

import dataclasses

import reflex as rx

from vws_app.i18n import SUPPORTED_LANGUAGES, format_date, normalise_language, translate
from vws_app.services import content, post_pictures, redirects
from vws_app.services.database import open_session
from vws_app.services.markdown import render_markdown
from vws_app.services.post_pictures import PostPicture
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import read_off_loop


@dataclasses.dataclass(frozen=True)
class PostView:
    """A post as its page shows it; `found` is False for an unknown or unpublished slug."""

    found: bool = False
    loaded: bool = False
    slug: str = ""
    title: str = ""
    language: str = "en"
    category: str = ""
    body_html: str = ""
    body_is_excerpt: bool = False
    image_path: str = ""
    image_credit: str = ""
    picture: PostPicture = PostPicture()  # its photo on file; older posts have only `image_path`
    source_line: str = ""  # "Source: …", a credit with no picture on file, in the post's language
    translation_slug: str = ""
    translation_language: str = ""
    date_labels: dict[str, str] = dataclasses.field(default_factory=dict)
    moved_to: str = ""  # a former address of a post: where it lives now (`services/redirects.py`)


def _slug_from_path(path: str) -> str:
    """The slug in `/posts/<slug>`, tolerating a trailing slash."""
    return path.rstrip("/").rsplit("/", 1)[-1]


def _post_view(slug: str) -> PostView:
    """The published post with `slug` and the way to its translation; not found when there is none."""
    with open_session() as session:
        post = content.published_post(session, slug)
        if post is None:
            return PostView(loaded=True, moved_to=redirects.resolve(session, f"/posts/{slug}") or "")
        translation = content.published_translation(session, post)
        image = post_pictures.image_of(session, post)
        return PostView(
            picture=post_pictures.picture_of(image, post.language, first=True) if image else PostPicture(),
            source_line=post_pictures.source_line_text(post),
            found=True,
            loaded=True,
            slug=post.slug,
            title=post.title,
            language=post.language,
            category=post.category,
            body_html=render_markdown(post.body),
            body_is_excerpt=post.body_is_excerpt,
            image_path=post.image_path,
            image_credit=post.image_credit,
            translation_slug=translation.slug if translation else "",
            translation_language=translation.language if translation else "",
            date_labels={language: format_date(post.published_at, language) for language in SUPPORTED_LANGUAGES},
        )


class PostState(LanguageState):
    """The post stays in its own language; only the page around it follows the toggle."""

    post: PostView = PostView()

    @rx.event
    async def load(self):
        """Read the post named by the address and its published translation (in a thread: see `off_loop`)."""
        self.post = await read_off_loop(_post_view, _slug_from_path(self.router.url.path))
        if self.post.moved_to:  # followed an old link inside the app: go where the post lives now
            return rx.redirect(self.post.moved_to, replace=True)
        return None

    @rx.var
    def page_title(self) -> str:
        """The browser tab's title: the post's own, then the site's name."""
        site = translate("site_name", self.lang)
        return f"{self.post.title} · {site}" if self.post.found else site

    @rx.var
    def date_label(self) -> str:
        """The publication date in the visitor's language."""
        return self.post.date_labels.get(normalise_language(self.lang), "")
