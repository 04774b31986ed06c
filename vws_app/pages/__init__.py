"""Every public route as data: path, page function, title key and the handlers run on load."""

import dataclasses
from collections.abc import Callable

import reflex as rx

from vws_app.pages.allies import allies_page
from vws_app.pages.contact import contact_page
from vws_app.pages.events import events_page
from vws_app.pages.home import home_page
from vws_app.pages.not_found import not_found_page
from vws_app.pages.post import post_page
from vws_app.pages.posts import posts_page
from vws_app.state.allies import AlliesState
from vws_app.state.events import EventsState
from vws_app.state.home import HomeState
from vws_app.state.language import LanguageState
from vws_app.state.post import PostState
from vws_app.state.posts import PostsState


@dataclasses.dataclass(frozen=True)
class Route:
    """One page of the site."""

    path: str
    page: Callable[[], rx.Component]
    title_key: str
    on_load: tuple = ()


PUBLIC_ROUTES: list[Route] = [
    Route("/", home_page, "site_name", (HomeState.load,)),
    Route("/posts", posts_page, "posts_heading", (PostsState.load,)),
    Route("/posts/[slug]", post_page, "posts_heading", (PostState.load,)),
    Route("/events", events_page, "events_heading", (EventsState.load,)),
    Route("/allies", allies_page, "allies_heading", (AlliesState.load,)),
    Route("/contact", contact_page, "contact_heading", ()),
    Route("404", not_found_page, "not_found_heading", ()),
]


def load_events(route: Route) -> list:
    """The language comes first, so the page's own loader reads the right language."""
    return [LanguageState.init_language, *route.on_load]
