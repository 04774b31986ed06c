"""The one table of the public site's addresses: what each page is and where it appears.

Plain data (no Reflex), so the page registration (`pages/__init__.py`), the server's filled
pages and their prerendered files (`server/routes.py`, `server/page_shell.py`), the sitemap
(`server/feeds.py`), the section meta (`services/seo.py`), the reserved paths of redirects
and the header and footer links (`components/layout.py`) all read the same rows. A new page
is one row here; `tests/unit/test_site_routes.py` proves every consumer follows the table.
"""

import dataclasses
import re

_DYNAMIC_PART = re.compile(r"\[(\w+)\]")


@dataclasses.dataclass(frozen=True)
class SiteRoute:
    """One public page of the site and the places it shows up in."""

    name: str  # what the code calls it (and the section text builder's name in `services/seo.py`)
    path: str  # Reflex's form: `/posts/[slug]` for a page per post
    title_key: str  # catalogue key of its title
    heading_key: str = ""  # catalogue key of its first heading when it is not the title (the home's "Who we are")
    filled: bool = False  # the server fills its prerendered file with its title, tags and text
    description_key: str = ""  # catalogue key of a filled section's description
    describes_itself: bool = False  # the description is the start of its own text when there is one
    complete_without_data: bool = False  # its prerendered file already shows what the visitor came for
    in_sitemap: bool = False
    nav_key: str = ""  # label in the header's navigation ("" = not there)
    footer_key: str = ""  # label in the footer's links ("" = not there)
    footer_id: str = ""  # the footer link's element id ("" = none)

    @property
    def first_heading_key(self) -> str:
        """Catalogue key of the page's first heading (`heading_key`, else its title)."""
        return self.heading_key or self.title_key

    @property
    def server_path(self) -> str:
        """The path as Starlette writes it: `/posts/{slug}`."""
        return _DYNAMIC_PART.sub(r"{\1}", self.path)

    @property
    def prerendered_file(self) -> str:
        """The build's static file of this page: `index.html` for `/`, `posts.html` for `/posts`."""
        return "index.html" if self.path == "/" else f"{self.path.strip('/')}.html"

    @property
    def is_dynamic(self) -> bool:
        """True for a page per row (a post, an event), whose path has a `[part]`."""
        return bool(_DYNAMIC_PART.search(self.path))

    def in_language(self, language: str) -> str:
        """The shareable address of this page in a language: `/events?lang=es`."""
        return f"{self.path}?lang={language}"


HOME = SiteRoute(
    "home",
    "/",
    "site_name",
    heading_key="home_about_heading",
    filled=True,
    description_key="site_description",
    describes_itself=True,
    in_sitemap=True,
    nav_key="nav_home",
)
POSTS = SiteRoute(
    "posts",
    "/posts",
    "posts_heading",
    filled=True,
    description_key="site_description",
    in_sitemap=True,
    nav_key="nav_posts",
)
POST = SiteRoute("post", "/posts/[slug]", "posts_heading")  # filled by `server/routes.py`'s post_page
EVENTS = SiteRoute(
    "events",
    "/events",
    "events_heading",
    filled=True,
    description_key="events_empty",
    describes_itself=True,
    in_sitemap=True,
    nav_key="nav_events",
)
EVENT = SiteRoute("event", "/events/[event_id]", "events_heading")  # filled by `server/event_routes.py`
ALLIES = SiteRoute(
    "allies",
    "/allies",
    "allies_heading",
    filled=True,
    description_key="allies_intro",
    in_sitemap=True,
    nav_key="nav_allies",
    footer_key="nav_allies",
    footer_id="footer-allies",
)
CONTACT = SiteRoute(
    "contact",
    "/contact",
    "contact_heading",
    filled=True,
    description_key="contact_intro",
    complete_without_data=True,
    in_sitemap=True,
    nav_key="nav_contact",
    footer_key="footer_contact",
)
# The mailing list's page: its form is in every page's footer, so it is neither in the nav nor the sitemap.
FOLLOW = SiteRoute(
    "follow", "/follow", "follow_heading", filled=True, description_key="follow_intro", complete_without_data=True
)
PRIVACY = SiteRoute(
    "privacy",
    "/privacy",
    "privacy_heading",
    filled=True,
    description_key="privacy_intro",
    in_sitemap=True,
    footer_key="footer_privacy",
    footer_id="footer-privacy-link",
)
SEARCH = SiteRoute("search", "/search", "search_heading")  # results depend on the query: the live page only
NOT_FOUND = SiteRoute("not_found", "404", "not_found_heading")  # Reflex's page for unknown addresses

PUBLIC_ROUTES: tuple[SiteRoute, ...] = (HOME, POSTS, POST, EVENTS, EVENT, ALLIES, CONTACT, FOLLOW, PRIVACY, SEARCH)
# The order links appear in, left to right.
HEADER_NAV: tuple[SiteRoute, ...] = tuple(route for route in PUBLIC_ROUTES if route.nav_key)
FOOTER_LINKS: tuple[SiteRoute, ...] = (CONTACT, PRIVACY, ALLIES)
FILLED_SECTIONS: dict[str, SiteRoute] = {route.path: route for route in PUBLIC_ROUTES if route.filled}
SITEMAP_SECTIONS: tuple[SiteRoute, ...] = tuple(route for route in PUBLIC_ROUTES if route.in_sitemap)
# Fixed addresses of pages (no `[part]`): a redirect may never take one over.
SECTION_PATHS: frozenset[str] = frozenset(route.path for route in PUBLIC_ROUTES if not route.is_dynamic)


def filled_section(path: str) -> SiteRoute | None:
    """The section the server fills at `path`, or None."""
    return FILLED_SECTIONS.get(path)
