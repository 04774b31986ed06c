"""State of the posts list: one page of published posts, optionally one category."""

import dataclasses
from urllib.parse import urlencode

import reflex as rx

from vws_app.i18n import SUPPORTED_LANGUAGES, normalise_language, translate
from vws_app.services import content
from vws_app.services.content import PostCard
from vws_app.services.database import open_session
from vws_app.state.language import LanguageState


@dataclasses.dataclass(frozen=True)
class PostListView:
    """One page of the list in one language, with its pagination links."""

    cards: list[PostCard] = dataclasses.field(default_factory=list)
    page_label: str = ""
    previous_href: str = ""
    next_href: str = ""


def _page_href(category: str, page: int) -> str:
    """The shareable address of one page of the list."""
    params = {"category": category} if category else {}
    if page > 1:
        params["page"] = str(page)
    return "/posts" + (f"?{urlencode(params)}" if params else "")


def _parse_page(raw: str) -> int:
    """A page number from the address; anything odd means page 1."""
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


class PostsState(LanguageState):
    """`/posts?category=…&page=…`: the address holds the filter, so every view can be shared."""

    category: str = ""
    _views: dict[str, PostListView] = {}

    @rx.event
    def load(self):
        """Read the page named by the address, for every language."""
        query = self.router.url.query_parameters
        wanted = query.get("category", "")
        self.category = wanted if wanted in content.categories() else ""
        page = _parse_page(query.get("page", ""))
        with open_session() as session:
            self._views = {
                language: self._list_view(content.list_posts(session, language, category=self.category, page=page), language)
                for language in SUPPORTED_LANGUAGES
            }

    def _list_view(self, result: content.PostPage, language: str) -> PostListView:
        """Cards plus the labels and links of the pager."""
        return PostListView(
            cards=result.cards,
            page_label=translate("posts_page_of", language, page=result.page, pages=result.page_count),
            previous_href=_page_href(self.category, result.page - 1) if result.page > 1 else "",
            next_href=_page_href(self.category, result.page + 1) if result.page < result.page_count else "",
        )

    @rx.var
    def view(self) -> PostListView:
        """The list in the visitor's language."""
        return self._views.get(normalise_language(self.lang), PostListView())

    @rx.var
    def category_links(self) -> list[dict[str, str]]:
        """The filter's choices, each a link; the current one is marked."""
        return [
            {"code": code, "href": _page_href(code, 1), "current": "true" if code == self.category else "false"}
            for code in ["", *content.categories()]
        ]
