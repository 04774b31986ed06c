"""State of the search page: the query from the address and one page of results, in both languages."""

import dataclasses
from urllib.parse import urlencode

import reflex as rx

from vws_app.i18n import SUPPORTED_LANGUAGES, normalise_language, translate
from vws_app.services.database import open_session
from vws_app.services.search import MAX_QUERY_CHARS, SearchHit, SearchPage, search
from vws_app.services.site_routes import SEARCH
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import read_off_loop


@dataclasses.dataclass(frozen=True)
class SearchView:
    """One page of results as the visitor reads it, with the labels and links around it."""

    hits: list[SearchHit] = dataclasses.field(default_factory=list)
    summary: str = ""
    page_label: str = ""
    previous_href: str = ""
    next_href: str = ""


def search_href(query: str, page: int = 1) -> str:
    """The shareable address of one page of results."""
    params = {"q": query, **({"page": str(page)} if page > 1 else {})}
    return f"{SEARCH.path}?{urlencode(params)}"


def _parse_page(raw: str) -> int:
    """A page number from the address; anything odd means page 1."""
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


def _summary(result: SearchPage, query: str, language: str) -> str:
    """ "3 results for “x”", or the no-results sentence."""
    if result.total == 0:
        return translate("search_no_results", language, query=query)
    if result.total == 1:
        return translate("search_results_one", language, query=query)
    return translate("search_results_many", language, total=result.total, query=query)


def results_view(result: SearchPage, query: str, language: str) -> SearchView:
    """The hits plus the sentence above them and the labels and links of the pager."""
    return SearchView(
        hits=result.items,
        summary=_summary(result, query, language),
        page_label=translate("search_page_of", language, page=result.page, pages=result.page_count),
        previous_href=search_href(query, result.page - 1) if result.page > 1 else "",
        next_href=search_href(query, result.page + 1) if result.page < result.page_count else "",
    )


def _results_views(query: str, page: int) -> dict[str, SearchView]:
    """One page of results for `query` in every language, from one session."""
    with open_session() as session:
        return {
            language: results_view(search(session, query, language, page=page), query, language)
            for language in SUPPORTED_LANGUAGES
        }


class SearchState(LanguageState):
    """`/search?q=…&page=…`: the address holds the query, so every result page can be shared.

    Both languages are searched on load (each puts its own language first and dates its
    results in it), so the language toggle needs no query.
    """

    query: str = ""
    _views: dict[str, SearchView] = {}

    @rx.event
    async def load(self):
        """Search for the address's query, for every language (in a thread: see `off_loop`)."""
        parameters = self.router.url.query_parameters
        self.query = parameters.get("q", "").strip()[:MAX_QUERY_CHARS]
        page = _parse_page(parameters.get("page", ""))
        self._views = await read_off_loop(_results_views, self.query, page) if self.query else {}

    @rx.var
    def view(self) -> SearchView:
        """The results in the visitor's language."""
        return self._views.get(normalise_language(self.lang), SearchView())

    @rx.var
    def has_results(self) -> bool:
        """True when the page has something to list."""
        return bool(self.view.hits)
