"""The route table (`services/site_routes.py`) is the one place public paths are written, and everything follows it."""

import html
import re
from pathlib import Path

import pytest

from tests.unit.conftest import SHELL
from vws_app.i18n import translate
from vws_app.server import page_shell
from vws_app.server.feeds import sitemap_xml
from vws_app.server.routes import backend_routes
from vws_app.services import redirects, site_routes
from vws_app.services.seo import section_meta

SITE = "https://vws.example"
APP_DIR = Path(__file__).resolve().parents[2] / "vws_app"
FIXED = [route for route in site_routes.PUBLIC_ROUTES if not route.is_dynamic]
FILLED = list(site_routes.FILLED_SECTIONS.values())


@pytest.fixture(autouse=True)
def public_address(monkeypatch):
    monkeypatch.setenv("SITE_URL", SITE)


def _sample(route: site_routes.SiteRoute) -> str:
    """A concrete address of `route`: `/posts/1` for `/posts/[slug]`."""
    return re.sub(r"\[\w+\]", "1", route.path)


def _served_by_backend(path: str) -> bool:
    """Whether one of the backend's own GET routes answers `path` (else Reflex's files do)."""
    return any(route.path_regex.fullmatch(path) and "GET" in (route.methods or ()) for route in backend_routes().routes)


def test_paths_and_names_are_unique():
    assert len({route.path for route in site_routes.PUBLIC_ROUTES}) == len(site_routes.PUBLIC_ROUTES)
    assert len({route.name for route in site_routes.PUBLIC_ROUTES}) == len(site_routes.PUBLIC_ROUTES)


@pytest.mark.parametrize("route", site_routes.PUBLIC_ROUTES, ids=lambda route: route.name)
def test_every_public_page_is_served_by_the_backend_exactly_where_the_table_says(route):
    expected = route.filled or route in (site_routes.POST, site_routes.EVENT)  # posts and events: own routes
    assert _served_by_backend(_sample(route)) is expected


@pytest.mark.parametrize("route", FILLED, ids=lambda route: route.name)
def test_every_filled_section_is_served_from_its_prerendered_file_with_its_own_title(route, backend_client, tmp_path):
    marker = f"prerendered-{route.name}"
    (tmp_path / route.prerendered_file).write_text(SHELL.replace('<div id="root">', f'<div id="{marker}">'))
    answer = backend_client.get(route.path, params={"lang": "es"})
    assert answer.status_code == 200
    assert marker in answer.text
    site = translate("site_name", "es")
    title = site if route is site_routes.HOME else f"{translate(route.title_key, 'es')} · {site}"
    assert f"<title>{html.escape(title)}</title>" in answer.text
    assert f'href="{SITE}{route.path}?lang=es"' in answer.text  # its canonical address


def test_prerendering_follows_the_table():
    assert {route.path: route.prerendered_file for route in FILLED} == page_shell.PRERENDERED
    assert page_shell.PRERENDERED["/"] == "index.html"
    assert {route.path for route in FILLED if route.complete_without_data} == page_shell.COMPLETE_WITHOUT_DATA


@pytest.mark.parametrize("route", FILLED, ids=lambda route: route.name)
def test_every_filled_section_has_its_meta_in_both_languages(route, session):
    for language in ("en", "es"):
        meta = section_meta(session, route.path, language)
        assert meta is not None and meta.heading == translate(route.first_heading_key, language)
        assert meta.path == f"{route.path}?lang={language}"


def test_pages_without_a_table_row_have_no_section_meta(session):
    assert section_meta(session, site_routes.SEARCH.path, "en") is None
    assert section_meta(session, "/nowhere", "en") is None


def test_the_sitemap_lists_exactly_the_sections_the_table_puts_there(session):
    sitemap = sitemap_xml(session)
    for route in FIXED:
        listed = f"<loc>{SITE}{route.path}?lang=en</loc>" in sitemap
        assert listed is route.in_sitemap, route.path


def test_the_header_and_footer_link_where_the_table_says():
    from vws_app.components.layout import NAV_ITEMS, footer

    assert [(route.nav_key, route.path) for route in site_routes.PUBLIC_ROUTES if route.nav_key] == NAV_ITEMS
    assert {route for route in site_routes.PUBLIC_ROUTES if route.footer_key} == set(site_routes.FOOTER_LINKS)
    rendered = str(footer())  # the compiled component: links are `to:"/path"`
    for route in site_routes.FOOTER_LINKS:
        assert f'to:"{route.path}"' in rendered
        assert f'"{translate(route.footer_key, "en")}"' in rendered
    for route in FIXED:
        assert (f'to:"{route.path}"' in rendered) is bool(route.footer_key), route.path


def test_the_reflex_pages_are_the_table_plus_the_not_found_page():
    from vws_app.pages import PUBLIC_ROUTES

    assert [(route.path, route.title_key) for route in PUBLIC_ROUTES] == [
        (route.path, route.title_key) for route in (*site_routes.PUBLIC_ROUTES, site_routes.NOT_FOUND)
    ]


def test_no_redirect_can_take_over_a_public_page():
    assert site_routes.SECTION_PATHS <= redirects.RESERVED_PATHS


def _written_paths() -> re.Pattern:
    """A section path as a literal: `"/contact"`, `'/posts?year='`, `href="/"`, `"/?lang=`, `}/?lang=`."""
    sections = "|".join(re.escape(route.path) for route in FIXED if route.path != "/")
    return re.compile(rf"""["']({sections})["'?#]|(href|action)=["']/["'?#]|["'}}]/\?lang=""")


def test_no_public_path_is_written_outside_the_table():
    pattern = _written_paths()
    table = APP_DIR / "services" / "site_routes.py"
    found = [
        f"{path.relative_to(APP_DIR)}:{number}: {line.strip()}"
        for path in sorted(APP_DIR.rglob("*.py"))
        if path != table
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


def test_the_check_for_written_paths_finds_them():
    pattern = _written_paths()
    for line in ('href="/contact"', "'/posts?year='", 'href="/"', 'f"{base}/?lang={x}"', 'Route("/follow", x)'):
        assert pattern.search(line), line
    for line in ('"/admin/posts"', "path.rstrip('/')", 'f"/posts/{slug}"', '"/follow/confirm"'):
        assert not pattern.search(line), line


def test_no_backend_route_takes_an_admin_page_on_a_hard_load():
    """The admin's pages are the app's: a backend pattern (say `/{language}/privacy`) must not answer them."""
    from starlette.routing import Match

    from vws_app.pages import ADMIN_ROUTES
    from vws_app.server.routes import backend_routes

    routes = backend_routes().routes
    for admin_route in ADMIN_ROUTES:
        scope = {
            "type": "http",
            "path": admin_route.path,
            "method": "GET",
            "root_path": "",
            "query_string": b"",
            "headers": [],
        }
        taken = [route.path for route in routes if route.matches(scope)[0] != Match.NONE]
        assert taken == [], f"{admin_route.path} is answered by {taken}"
