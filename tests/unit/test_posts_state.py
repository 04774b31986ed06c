"""The posts list's state: the pager's label and its newer/older links, which keep the filters."""

from vws_app.services.content import PostPage
from vws_app.state.posts import list_view


def test_first_page_links_only_to_older_posts():
    first = list_view(PostPage([], 1, 3, 25), [], "en")
    assert first.page_label == "Page 1 of 3"
    assert (first.previous_href, first.next_href) == ("", "/posts?page=2")


def test_middle_page_links_both_ways_and_keeps_category_and_month():
    middle = list_view(PostPage([], 2, 3, 25), [], "es", "open_letter", (2021, 5))
    assert middle.page_label == "Página 2 de 3"
    assert middle.period_label == "mayo de 2021"
    assert middle.previous_href == "/posts?category=open_letter&year=2021&month=05"
    assert middle.next_href == "/posts?category=open_letter&year=2021&month=05&page=3"


def test_last_or_only_page_has_no_older_link():
    last = list_view(PostPage([], 3, 3, 25), [], "en", "", (2021, None))
    assert (last.previous_href, last.next_href) == ("/posts?year=2021&page=2", "")
    only = list_view(PostPage([], 1, 1, 0), [], "en")
    assert (only.previous_href, only.next_href, only.page_label) == ("", "", "Page 1 of 1")
