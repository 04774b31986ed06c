"""The search page's state: shareable addresses and the sentence above the results, per language."""

from vws_app.services.search import SearchPage
from vws_app.state.search import results_view, search_href


def test_result_pages_have_shareable_addresses_with_the_query_escaped():
    assert search_href("democrática & co") == "/search?q=democr%C3%A1tica+%26+co"
    assert search_href("myanmar", 3) == "/search?q=myanmar&page=3"


def test_the_summary_counts_results_in_the_visitors_language():
    assert results_view(SearchPage([], 1, 1, 1), "huelga", "en").summary == "1 result for “huelga”"
    assert results_view(SearchPage([], 25, 2, 3), "huelga", "es").summary == "25 resultados para «huelga»"


def test_the_pager_links_to_the_neighbouring_pages_only():
    middle = results_view(SearchPage([], 25, 2, 3), "huelga", "es")
    assert middle.page_label == "Página 2 de 3"
    assert (middle.previous_href, middle.next_href) == ("/search?q=huelga", "/search?q=huelga&page=3")
    only = results_view(SearchPage([], 0, 1, 1), "zzz", "en")
    assert (only.previous_href, only.next_href) == ("", "")


def test_no_results_says_so_in_each_language():
    assert results_view(SearchPage([], 0, 1, 1), "zzz", "es").summary == "Nada coincide con «zzz»."
    assert results_view(SearchPage([], 0, 1, 1), "zzz", "en").summary == "Nothing matches “zzz”."


def test_braces_in_a_query_are_shown_not_formatted():
    assert results_view(SearchPage([], 0, 1, 1), "{total} {0}", "en").summary == "Nothing matches “{total} {0}”."
