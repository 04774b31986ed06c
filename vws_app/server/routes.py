"""The backend's own routes, mounted in front of Reflex's: crawlable pages, feeds, health, sign-in."""

import dataclasses

from sqlmodel import Session
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from vws_app.i18n import SUPPORTED_LANGUAGES, is_supported, language_from_accept_header, normalise_language, translate
from vws_app.server import admin_auth
from vws_app.server.contact_post import answer_contact_form, with_form_without_javascript
from vws_app.server.delivery import FilledPage
from vws_app.server.event_routes import ROUTES as EVENT_ROUTES
from vws_app.server.fast_page_mark import mark_cacheable
from vws_app.server.feeds import robots_txt, rss_feed, sitemap_xml
from vws_app.server.follow_routes import ROUTES as FOLLOW_ROUTES
from vws_app.server.health import health
from vws_app.server.letter_pages import letter_section
from vws_app.server.letter_routes import ROUTES as LETTER_ROUTES
from vws_app.server.page_cache import PageCache, content_version
from vws_app.server.page_shell import ShellCache, fill, shows_text_first
from vws_app.server.password_reset_routes import RESET_ROUTES
from vws_app.server.redirect_routes import ROUTES as REDIRECT_ROUTES
from vws_app.server.redirect_routes import OldAddressRedirects, redirect_for
from vws_app.server.sign_in_code import SIGN_IN_CODE_PATH, sign_in_code
from vws_app.services import letters_public
from vws_app.services.database import open_session
from vws_app.services.seo import post_meta, section_meta
from vws_app.services.site_routes import CONTACT, FILLED_SECTIONS, POST, PRIVACY

LANGUAGE_COOKIE = "vws_lang"
# What the server adds to a filled section page, by route: (page, language) -> page.
PAGE_ADDITIONS = {CONTACT.path: with_form_without_javascript}
_shells = ShellCache()
filled_pages = PageCache()


def request_language(request: Request) -> str:
    """`?lang=`, else the language cookie, else the browser's `Accept-Language`."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if is_supported(candidate):
            return normalise_language(candidate)
    return language_from_accept_header(request.headers.get("accept-language"))


def _starting(request: Request) -> Response:
    """While a rebuild has no page file yet: a short answer in the reader's language that robots retry."""
    return Response(
        translate("service_starting", request_language(request)),
        status_code=503,
        headers={"retry-after": "5", "vary": "Cookie, Accept-Language"},
    )


def section_page(request: Request) -> Response:
    """A section page with its own title, tags and text in the reader's language."""
    route = request.url.path.rstrip("/") or "/"
    page = _shells.page_for(route)
    if page is None:
        return _starting(request)
    language = request_language(request)
    text_first = shows_text_first(route, set(request.query_params))
    with open_session() as session:
        filled = filled_pages.get_or_build(
            ("section", route, language, text_first, hash(page)),
            content_version(session),
            lambda: FilledPage.of(
                _with_additions(
                    route,
                    language,
                    fill(page, section_meta(session, route, language), text_first=text_first),
                )
            ),
        )
    mark_cacheable(request)  # the same bytes for every reader of this language until the content changes
    return filled.response(request, vary=("Cookie", "Accept-Language"))


def _with_additions(route: str, language: str, page: str) -> str:
    """`page` with what `PAGE_ADDITIONS` adds for `route`, if anything."""
    addition = PAGE_ADDITIONS.get(route)
    return addition(page, language) if addition else page


def post_page(request: Request) -> Response:
    """A post with its own title, tags and text; an unknown or unpublished slug is a real 404."""
    slug = request.path_params["slug"]
    with open_session() as session:
        if (moved := redirect_for(session, request)) is not None:  # a former slug: 301 before any page
            return moved
        page = _shells.page_for(POST.path)
        if page is None:
            return _starting(request)
        filled = filled_pages.get_or_build(
            ("post", slug, hash(page), letters_public.page_version(session, slug)),
            content_version(session),
            lambda: _filled_post(session, page, slug),
        )
    if filled is None:
        return HTMLResponse(_shells.read("404.html") or page, status_code=404)
    mark_cacheable(request, by_language=False)  # a post is in its own language, whoever reads it
    return filled.response(request)


def _filled_post(session: Session, page: str, slug: str) -> FilledPage | None:
    """The post page for `slug`, or None when no published post has it (not cached)."""
    meta = post_meta(session, slug)
    if meta is None:
        return None
    return FilledPage.of(fill(page, dataclasses.replace(meta, extra_html=letter_section(session, slug, meta.language))))


def post_page_with_slash(request: Request) -> Response:
    """`/posts/<slug>/` is the same page: send readers and robots to the one address."""
    return RedirectResponse(POST.server_path.format(slug=request.path_params["slug"]), status_code=308)


def sitemap(_request: Request) -> Response:
    with open_session() as session:
        return Response(sitemap_xml(session), media_type="application/xml")


def robots(_request: Request) -> Response:
    return Response(robots_txt(), media_type="text/plain")


def feed(request: Request) -> Response:
    language = request.path_params.get("language", "en")
    if language not in ("en", "es"):
        return Response(status_code=404)
    with open_session() as session:
        return Response(rss_feed(session, language), media_type="application/rss+xml")


def privacy_in_language(request: Request) -> Response:
    """`/es/privacy` (and `/en/privacy`): the privacy page's one address, in that language.

    One route per language, not `/{language}/privacy`: that pattern would also catch the
    admin's `/admin/privacy` page on a hard load.
    """
    language = request.url.path.strip("/").split("/")[0]
    return RedirectResponse(PRIVACY.in_language(normalise_language(language)), status_code=308)


async def contact_form_post(request: Request) -> Response:
    """The contact form posted by the browser itself (JavaScript off, or the app not live yet)."""
    return await answer_contact_form(request, request_language(request))


def backend_routes() -> Starlette:
    """A Starlette app whose routes win over the compiled frontend (Reflex mounts itself inside)."""
    return Starlette(
        routes=[
            *[
                Route(path, section_page, methods=["GET", "HEAD"]) for path in FILLED_SECTIONS
            ],  # filled sections (`site_routes`)
            Route(CONTACT.path, contact_form_post, methods=["POST"]),
            *[Route(f"/{code}{PRIVACY.path}", privacy_in_language) for code in SUPPORTED_LANGUAGES],
            *EVENT_ROUTES,  # meetings: event pages, the RSVP form's POST, cancel links, calendar files and feeds
            *FOLLOW_ROUTES,  # the mailing list's form POST, confirmation and unsubscribe pages
            *LETTER_ROUTES,  # open letters: the sign form's POST, confirmation and withdrawal pages
            Route(POST.server_path, post_page),
            Route(POST.server_path + "/", post_page_with_slash),
            *REDIRECT_ROUTES,  # old addresses: WordPress date and category paths
            Route("/sitemap.xml", sitemap),
            Route("/robots.txt", robots),
            Route("/feed.xml", feed),
            Route("/{language}/feed.xml", feed),
            Route("/healthz", health),
            Route(admin_auth.SIGN_IN_PATH, admin_auth.sign_in, methods=["POST"]),
            Route(admin_auth.SIGN_OUT_PATH, admin_auth.sign_out, methods=["POST"]),
            Route(SIGN_IN_CODE_PATH, sign_in_code, methods=["POST"]),
            *RESET_ROUTES,  # forgotten passwords: ask for a link, open it, set a new password
        ],
        middleware=[Middleware(admin_auth.SessionCookieDigest), Middleware(OldAddressRedirects)],
    )
