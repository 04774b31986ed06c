"""Every page as data: path, page function, title key and the handlers run on load (public paths: `services/site_routes.py`)."""

import dataclasses
from collections.abc import Callable

import reflex as rx
from reflex.vars.base import Var

from vws_app.components.translated import t
from vws_app.pages.admin.account import admin_account_page
from vws_app.pages.admin.allies import admin_allies_page
from vws_app.pages.admin.audit import admin_audit_page
from vws_app.pages.admin.editors import admin_editors_page
from vws_app.pages.admin.events import admin_events_page
from vws_app.pages.admin.home import admin_home_page
from vws_app.pages.admin.inbox import admin_inbox_page
from vws_app.pages.admin.letters import admin_letters_page
from vws_app.pages.admin.mail import admin_mail_page
from vws_app.pages.admin.mailing import admin_mailing_page
from vws_app.pages.admin.media import admin_media_page
from vws_app.pages.admin.person import admin_person_page
from vws_app.pages.admin.post_editor import admin_post_editor_page
from vws_app.pages.admin.posts import admin_posts_page
from vws_app.pages.admin.privacy import admin_privacy_page
from vws_app.pages.admin.redirects import admin_redirects_page
from vws_app.pages.admin.revisions import admin_post_history_page, admin_text_history_page
from vws_app.pages.admin.rsvps import admin_rsvps_page
from vws_app.pages.admin.sign_in_code import admin_sign_in_code_page
from vws_app.pages.admin.subscribers import admin_subscribers_page
from vws_app.pages.admin.texts import admin_texts_page
from vws_app.pages.allies import allies_page
from vws_app.pages.contact import contact_page
from vws_app.pages.event import event_page
from vws_app.pages.events import events_page
from vws_app.pages.follow import follow_page
from vws_app.pages.home import home_page
from vws_app.pages.not_found import not_found_page
from vws_app.pages.post import post_page
from vws_app.pages.posts import posts_page
from vws_app.pages.privacy import privacy_page
from vws_app.pages.search import search_page
from vws_app.services import site_routes
from vws_app.services.site_routes import SiteRoute
from vws_app.state.admin_account import AdminAccountState
from vws_app.state.admin_allies import AdminAlliesState
from vws_app.state.admin_audit import AdminAuditState
from vws_app.state.admin_editors import AdminEditorsState
from vws_app.state.admin_events import AdminEventsState
from vws_app.state.admin_inbox import AdminInboxState
from vws_app.state.admin_letters import AdminLettersState
from vws_app.state.admin_mail import AdminMailState
from vws_app.state.admin_mailing import AdminMailingState
from vws_app.state.admin_media import AdminMediaState
from vws_app.state.admin_posts import AdminPostsState
from vws_app.state.admin_privacy import AdminPrivacyState
from vws_app.state.admin_redirects import AdminRedirectsState
from vws_app.state.admin_revisions import AdminPostRevisionsState, AdminTextRevisionsState
from vws_app.state.admin_rsvps import AdminRsvpsState
from vws_app.state.admin_session import AdminState
from vws_app.state.admin_subscribers import AdminSubscribersState
from vws_app.state.admin_texts import AdminTextsState
from vws_app.state.admin_translation import AdminTranslationState
from vws_app.state.allies import AlliesState
from vws_app.state.event_page import EventPageState
from vws_app.state.events import EventsState
from vws_app.state.home import HomeState
from vws_app.state.language import LanguageState
from vws_app.state.letter import LetterState
from vws_app.state.post import PostState
from vws_app.state.posts import PostsState
from vws_app.state.privacy import PrivacyPageState
from vws_app.state.search import SearchState


@dataclasses.dataclass(frozen=True)
class Route:
    """One page of the site: its address and title (a row of the route table for public pages), what draws it."""

    path: str
    page: Callable[[], rx.Component]
    title_key: str
    on_load: tuple = ()
    title: Var | None = None  # from state, for pages whose title is their content's

    @classmethod
    def public(
        cls, site: SiteRoute, page: Callable[[], rx.Component], on_load: tuple = (), title: Var | None = None
    ) -> "Route":
        """A public page: path and title key from `services/site_routes.py`."""
        return cls(site.path, page, site.title_key, on_load, title)

    def page_title(self) -> Var:
        """ "Events · Venezuelan Workers Solidarity" in the visitor's language (the home page: the name)."""
        if self.title is not None:
            return self.title
        if self.title_key == "site_name":
            return t("site_name")
        return t(self.title_key) + " · " + t("site_name")


# The component and loaders of each row of the route table (`site_routes.PUBLIC_ROUTES`), and the 404 page.
_PAGES: dict[SiteRoute, tuple] = {
    site_routes.HOME: (home_page, (HomeState.load,)),
    site_routes.POSTS: (posts_page, (PostsState.load,)),
    site_routes.POST: (post_page, (PostState.load, LetterState.load), PostState.page_title),
    site_routes.EVENTS: (events_page, (EventsState.load,)),
    site_routes.EVENT: (event_page, (EventPageState.load,), EventPageState.page_title),
    site_routes.ALLIES: (allies_page, (AlliesState.load,)),
    site_routes.CONTACT: (contact_page, ()),
    site_routes.FOLLOW: (follow_page, ()),
    site_routes.PRIVACY: (privacy_page, (PrivacyPageState.load,)),
    site_routes.SEARCH: (search_page, (SearchState.load,)),
    site_routes.NOT_FOUND: (not_found_page, ()),
}
PUBLIC_ROUTES: list[Route] = [
    Route.public(site, *_PAGES[site]) for site in (*site_routes.PUBLIC_ROUTES, site_routes.NOT_FOUND)
]

# Admin pages check the session on the server first; their loaders check it again.
ADMIN_ROUTES: list[Route] = [
    Route("/admin", admin_home_page, "admin_title", (AdminState.check_session, AdminTranslationState.load_dashboard)),
    Route("/admin/posts", admin_posts_page, "admin_nav_posts", (AdminState.check_session, AdminPostsState.load_list)),
    Route(
        "/admin/posts/edit",
        admin_post_editor_page,
        "admin_nav_posts",
        (AdminState.check_session, AdminPostsState.open_editor, AdminTranslationState.load_pair),
    ),
    Route(
        "/admin/posts/history",
        admin_post_history_page,
        "admin_revision_heading",
        (AdminState.check_session, AdminPostRevisionsState.load),
    ),
    Route(
        "/admin/texts/history",
        admin_text_history_page,
        "admin_revision_heading",
        (AdminState.check_session, AdminTextRevisionsState.load),
    ),
    Route(
        "/admin/redirects",
        admin_redirects_page,
        "admin_nav_redirects",
        (AdminState.check_session, AdminRedirectsState.load),
    ),
    Route("/admin/media", admin_media_page, "admin_nav_media", (AdminState.check_session, AdminMediaState.load)),
    Route("/admin/inbox", admin_inbox_page, "admin_nav_inbox", (AdminState.check_session, AdminInboxState.load)),
    Route(
        "/admin/mailing", admin_mailing_page, "admin_nav_mailing", (AdminState.check_session, AdminMailingState.load)
    ),
    Route(
        "/admin/subscribers",
        admin_subscribers_page,
        "admin_nav_subscribers",
        (AdminState.check_session, AdminSubscribersState.load),
    ),
    Route(
        "/admin/letters", admin_letters_page, "admin_nav_letters", (AdminState.check_session, AdminLettersState.load)
    ),
    Route("/admin/mail", admin_mail_page, "admin_nav_mail", (AdminState.check_session, AdminMailState.load)),
    Route("/admin/events", admin_events_page, "admin_nav_events", (AdminState.check_session, AdminEventsState.load)),
    Route("/admin/rsvps", admin_rsvps_page, "admin_nav_rsvps", (AdminState.check_session, AdminRsvpsState.load)),
    Route("/admin/allies", admin_allies_page, "admin_nav_allies", (AdminState.check_session, AdminAlliesState.load)),
    Route("/admin/texts", admin_texts_page, "admin_nav_texts", (AdminState.check_session, AdminTextsState.load)),
    Route(
        "/admin/privacy", admin_privacy_page, "admin_nav_privacy", (AdminState.check_session, AdminPrivacyState.load)
    ),
    Route("/admin/audit", admin_audit_page, "admin_nav_audit", (AdminState.check_session, AdminAuditState.load)),
    Route("/admin/person", admin_person_page, "admin_nav_person", (AdminState.check_session,)),
    Route(
        "/admin/editors", admin_editors_page, "admin_nav_editors", (AdminState.check_session, AdminEditorsState.load)
    ),
    Route(
        "/admin/account", admin_account_page, "admin_nav_account", (AdminState.check_session, AdminAccountState.load)
    ),
    Route("/admin/code", admin_sign_in_code_page, "admin_code_heading", (AdminState.check_session,)),
]


def load_events(route: Route) -> list:
    """The language comes first, so the page's own loader reads the right language."""
    return [LanguageState.init_language, *route.on_load]
