"""`/search`: results for the address's query, in both languages, the visitor's first."""

import reflex as rx

from vws_app.components.layout import page_shell
from vws_app.components.pager import pager
from vws_app.components.post_card import language_badge
from vws_app.components.search_box import search_box
from vws_app.components.translated import t, t_by_code
from vws_app.services.search import SearchHit, SnippetPart
from vws_app.services.site_routes import CONTACT, POSTS
from vws_app.state.search import SearchState
from vws_app.styles import CARD_STYLE, MUTED_TEXT


def _part(part: rx.Var[SnippetPart]) -> rx.Component:
    """A stretch of text; the words the query matched in <mark>."""
    return rx.cond(part.is_match, rx.el.mark(part.text), rx.el.span(part.text))


def _hit(hit: rx.Var[SearchHit]) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.flex(
                language_badge(hit.language),
                rx.badge(t_by_code("search_kind_", hit.kind), variant="soft", color_scheme="gray"),
                rx.text(hit.date_label, size="2", style=MUTED_TEXT, as_="span"),
                gap="0.5rem",
                align="center",
                wrap="wrap",
            ),
            rx.heading(
                rx.link(rx.foreach(hit.title_parts, _part), href=hit.url, high_contrast=True),
                size="5",
                as_="h2",
                lang=hit.language,
                margin_y="0.5rem",
            ),
            rx.text(rx.foreach(hit.snippet, _part), as_="p", lang=hit.language),
            class_name="search-hit",
            style=CARD_STYLE,
        ),
        list_style="none",
    )


def _pager() -> rx.Component:
    return pager(SearchState.view, "search_previous", "search_next")


def _no_results() -> rx.Component:
    return rx.callout.root(
        rx.callout.text(t("search_no_results_hint")),
        rx.flex(
            rx.link(t("search_browse_posts"), href=POSTS.path),
            rx.link(t("search_write_to_us"), href=CONTACT.path),
            gap="1.5rem",
            wrap="wrap",
        ),
        id="search-empty",
    )


def _results() -> rx.Component:
    return rx.fragment(
        rx.text(SearchState.view.summary, as_="p", role="status", id="search-summary"),
        rx.cond(
            SearchState.has_results,
            rx.fragment(
                rx.el.ol(
                    rx.foreach(SearchState.view.hits, _hit),
                    aria_label=t("search_results_label"),
                    display="flex",
                    flex_direction="column",
                    gap="1rem",
                    padding="0",
                    margin="0",
                ),
                _pager(),
            ),
            _no_results(),
        ),
    )


def search_page() -> rx.Component:
    """The search page: the box again, then the results or a way onwards."""
    return page_shell(
        rx.heading(t("search_heading"), size="8", as_="h1"),
        search_box(
            SearchState.query, input_id="search-page-q", label_key="search_again_label", input_width="min(28rem, 70vw)"
        ),
        rx.cond(
            SearchState.query != "",
            _results(),
            rx.text(t("search_prompt"), as_="p", id="search-prompt"),
        ),
    )
