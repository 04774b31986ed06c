"""State of the posts list: one page of published posts, by category or archive period."""

import dataclasses
from urllib.parse import urlencode

import reflex as rx

from vws_app.i18n import SUPPORTED_LANGUAGES, format_month, normalise_language, translate
from vws_app.services import archive, content
from vws_app.services.archive import ArchiveYear
from vws_app.services.content import PostCard
from vws_app.services.database import open_session
from vws_app.services.site_routes import POSTS
from vws_app.state.bilingual import BilingualViews
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import read_off_loop


@dataclasses.dataclass(frozen=True)
class PostListView:
    """One page of the list in one language, with its pagination links and archive."""

    cards: list[PostCard] = dataclasses.field(default_factory=list)
    page_label: str = ""
    period_label: str = ""
    previous_href: str = ""
    next_href: str = ""
    archive: list[ArchiveYear] = dataclasses.field(default_factory=list)


def list_href(category: str = "", year: int | None = None, month: int | None = None, page: int = 1) -> str:
    """The shareable address of one view of the list."""
    params: dict[str, str] = {}
    if category:
        params["category"] = category
    if year:
        params["year"] = str(year)
        if month:
            params["month"] = f"{month:02d}"
    if page > 1:
        params["page"] = str(page)
    return POSTS.path + (f"?{urlencode(params)}" if params else "")


def _parse_page(raw: str) -> int:
    """A page number from the address; anything odd means page 1."""
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


def _period_label(year: int | None, month: int | None, language: str) -> str:
    """ "May 2021" / "mayo de 2021", "2021", or nothing when the list is not narrowed to a period."""
    if not year:
        return ""
    return format_month(year, month, language) if month else str(year)


def list_view(
    result: content.PostPage,
    years: list[ArchiveYear],
    language: str,
    category: str = "",
    period: tuple[int | None, int | None] = (None, None),
) -> PostListView:
    """Cards plus the labels and links of the pager (which keep the filters) and the archive."""
    year, month = period
    return PostListView(
        cards=result.cards,
        page_label=translate("posts_page_of", language, page=result.page, pages=result.page_count),
        period_label=_period_label(year, month, language),
        previous_href=list_href(category, year, month, result.page - 1) if result.page > 1 else "",
        next_href=list_href(category, year, month, result.page + 1) if result.page < result.page_count else "",
        archive=years,
    )


def _list_views(category: str, period: tuple[int | None, int | None], page: int) -> dict[str, PostListView]:
    """One page of the list (narrowed to `category` and `period`) in every language, from one session."""
    year, month = period
    bounds = archive.period_bounds(year, month) if year else None
    with open_session() as session:
        return {
            language: list_view(
                content.list_posts(session, language, category=category, published_between=bounds, page=page),
                archive.archive(session, language),
                language,
                category,
                period,
            )
            for language in SUPPORTED_LANGUAGES
        }


class PostsState(BilingualViews, LanguageState):
    """`/posts?category=…&year=…&month=…&page=…`: the address holds the view, so it can be shared."""

    category: str = ""
    year: int = 0
    month: int = 0
    _views: dict[str, PostListView] = {}

    @rx.event
    async def load(self):
        """Read the view named by the address, for every language (in a thread: see `off_loop`)."""
        query = self.router.url.query_parameters
        wanted = query.get("category", "")
        self.category = wanted if wanted in content.categories() else ""
        period = archive.parse_period(query.get("year", ""), query.get("month", ""))
        self.year, self.month = (period[0], period[1] or 0) if period else (0, 0)
        page = _parse_page(query.get("page", ""))
        self._views = await read_off_loop(_list_views, self.category, (self.year or None, self.month or None), page)

    @rx.var
    def view(self) -> PostListView:
        """The list in the visitor's language."""
        return self._views.get(normalise_language(self.lang), PostListView())

    @rx.var
    def category_links(self) -> list[dict[str, str]]:
        """The filter's choices, each a link; the current one is marked."""
        return [
            {"code": code, "href": list_href(code), "current": "true" if code == self.category else "false"}
            for code in ["", *content.categories()]
        ]
