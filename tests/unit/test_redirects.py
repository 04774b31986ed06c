"""Links that never break: a changed slug, editors' redirects, the CSV list and WordPress addresses."""

import pytest
from sqlmodel import select

from vws_app.models import AuditEntry, Redirect, as_utc
from vws_app.services import editorial, redirect_import, redirects
from vws_app.services.editorial import NotFound, PostInput, ValidationFailed
from vws_app.services.inbox import spreadsheet_safe


@pytest.fixture
def client(backend_client):
    return backend_client


def published(session, editor, title="March for wages", slug="") -> object:
    return editorial.create_post(session, PostInput(title=title, slug=slug, body="Text", status="published"), editor)


def rename(session, editor, post, slug):
    data = PostInput(
        title=post.title,
        slug=slug,
        language=post.language,
        body=post.body,
        status=post.status,
        published_at=as_utc(post.published_at),
    )
    return editorial.update_post(session, post.id, data, editor)


def test_a_changed_slug_answers_301_to_the_new_address(client, session, editor):
    post = published(session, editor, slug="march-for-wages")
    rename(session, editor, post, "wage-march-2024")
    answer = client.get("/posts/march-for-wages")
    assert (answer.status_code, answer.headers["location"]) == (301, "/posts/wage-march-2024")
    assert client.get("/posts/wage-march-2024").status_code == 200


def test_a_slug_changed_twice_is_still_one_hop_and_going_back_removes_the_redirect(client, session, editor):
    post = published(session, editor, slug="first")
    post = rename(session, editor, post, "second")
    post = rename(session, editor, post, "third")
    assert client.get("/posts/first").headers["location"] == "/posts/third"
    assert client.get("/posts/second").headers["location"] == "/posts/third"
    rename(session, editor, post, "first")  # the live post wins over its own old redirect
    assert client.get("/posts/first").status_code == 200
    assert client.get("/posts/third").headers["location"] == "/posts/first"
    assert session.exec(select(Redirect.old_path).order_by(Redirect.old_path)).all() == [
        "/posts/second",
        "/posts/third",
    ]


def test_the_redirect_lasts_as_long_as_the_post(client, session, editor):
    post = published(session, editor, slug="old-name")
    rename(session, editor, post, "new-name")
    editorial.delete_post(session, post.id, editor)
    assert client.get("/posts/old-name").status_code == 404
    assert session.exec(select(Redirect)).all() == []


def test_wordpress_date_and_category_addresses_find_their_post(client, session, editor):
    published(session, editor, slug="solidaridad-con-sidor")
    for address in ("/2019/05/01/solidaridad-con-sidor/", "/2019/05/01/solidaridad-con-sidor"):
        answer = client.get(address)
        assert (answer.status_code, answer.headers["location"]) == (301, "/posts/solidaridad-con-sidor")
    assert client.get("/2019/05/01/never-written/").status_code == 404
    assert client.get("/category/comunicados/").headers["location"] == "/posts?category=statement"
    assert client.get("/category/whatever/").headers["location"] == "/posts"


def test_an_imported_redirect_wins_over_the_date_rule(client, session, editor):
    published(session, editor, slug="a")
    target = published(session, editor, title="B", slug="b")
    redirects.add_redirect(session, "https://old.example.org/2018/01/02/a/", target.slug, editor)
    assert client.get("/2018/01/02/a/").headers["location"] == "/posts/b"


def test_no_loop_can_be_made(session, editor):
    redirects.add_redirect(session, "/old-a", "/old-b", editor)
    with pytest.raises(ValidationFailed) as failed:
        redirects.add_redirect(session, "/old-b", "/old-a", editor)
    assert failed.value.errors == {"target": "admin_error_redirect_loop"}
    redirects.add_redirect(session, "/old-c", "/old-a", editor)
    with pytest.raises(ValidationFailed):  # a chain that comes back: b → c → a → b
        redirects.add_redirect(session, "/old-b", "/old-c", editor)
    with pytest.raises(ValidationFailed):
        redirects.add_redirect(session, "/self", "/self/", editor)


def test_a_live_posts_address_and_the_sites_own_pages_cannot_be_redirected(session, editor):
    post = published(session, editor, slug="live")
    for old, key in (
        ("/posts/live", "admin_error_redirect_live_post"),
        ("/events", "admin_error_redirect_reserved"),
        ("/admin/posts", "admin_error_redirect_reserved"),
    ):
        with pytest.raises(ValidationFailed) as failed:
            redirects.add_redirect(session, old, "/posts", editor)
        assert failed.value.errors == {"old_path": key}
    with pytest.raises(ValidationFailed) as failed:
        redirects.add_redirect(session, "/somewhere", "https://evil.example/", editor)
    assert failed.value.errors == {"target": "admin_error_redirect_target_offsite"}
    row = redirects.add_redirect(session, "/somewhere", f"/posts/{post.slug}", editor)
    assert row.post_id == post.id  # follows the post wherever it moves


def test_removing_a_redirect_is_audited(session, editor):
    row = redirects.add_redirect(session, "/old", "/posts", editor)
    redirects.remove_redirect(session, row.id, editor)
    assert [
        entry.action
        for entry in session.exec(select(AuditEntry).where(AuditEntry.entity == "redirect").order_by(AuditEntry.id))
    ] == [
        "create",
        "delete",
    ]
    with pytest.raises(NotFound):
        redirects.remove_redirect(session, row.id, editor)


def test_csv_import_adds_the_good_lines_and_reports_each_bad_one(session, editor):
    published(session, editor, slug="huelga")
    text = (
        "old path,target\n"
        "/2017/03/08/huelga/,huelga\n"
        "/old-list,/posts\n"
        "/old-list,/events\n"  # 4: already redirected (by line 3)
        "/posts/huelga,/posts\n"  # 5: a live post's address
        "/x,no-such-post\n"  # 6
        "only one column\n"  # 7
        "\n"
        "/loop-back,/old-list\n"  # fine: ends at /posts
        "/posts,/loop-back\n"  # 10: the site's own page
    )
    report = redirect_import.import_csv(session, text, editor)
    assert report.added == 3
    assert report.errors == [
        (4, "admin_error_redirect_exists"),
        (5, "admin_error_redirect_live_post"),
        (6, "admin_error_redirect_target_unknown"),
        (7, "admin_error_import_columns"),
        (10, "admin_error_redirect_reserved"),
    ]
    assert redirects.resolve(session, "/2017/03/08/huelga") == "/posts/huelga"


def test_the_export_cannot_run_as_a_spreadsheet_formula(session, editor):
    redirects.add_redirect(session, '/=HYPERLINK("http://x")', "/posts", editor)
    redirects.add_redirect(session, "/plain", "/events", editor)
    lines = redirect_import.export_csv(session).splitlines()
    assert lines[0] == "old path,target"
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line.split(","))
    assert "/plain,/events" in lines
    cells = ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "/fine"]
    assert [spreadsheet_safe(cell) for cell in cells] == ["'=1+2", "'+1", "'-1", "'@SUM(A1)", "'\tx", "/fine"]


def test_an_imported_path_of_any_shape_redirects_when_nothing_else_answers_it(client, session, editor):
    target = published(session, editor, slug="about-the-campaign")
    redirect_import.import_csv(session, "/about-us/,about-the-campaign\n/?p=123,/posts\n", editor)
    answer = client.get("/about-us/")
    assert (answer.status_code, answer.headers["location"]) == (301, f"/posts/{target.slug}")
    assert client.head("/about-us").status_code == 301
    assert client.get("/never-existed").status_code == 404
    assert client.post("/about-us/").status_code != 301  # only reading a page is redirected
    assert client.get("/robots.txt").status_code == 200  # pages that answer are never looked up


def test_a_redirect_to_a_filtered_list_keeps_its_filter(client, session, editor):
    redirects.add_redirect(session, "/news-archive/", "/posts?category=news", editor)
    assert client.get("/news-archive").headers["location"] == "/posts?category=news"
