"""Meetings over plain HTTP: the crawlable event page, the RSVP form without JavaScript, cancel links and calendars.

Database work runs in a thread (Starlette does that for plain `def` endpoints; async ones hand
it to `run_in_threadpool`), never on the event loop.
"""

import dataclasses
import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from vws_app.i18n import is_supported, normalise_language
from vws_app.models import Event, utc_now
from vws_app.server import event_pages
from vws_app.server.delivery import FilledPage
from vws_app.server.form_post import client_address  # as the app takes it, so both paths share one limit
from vws_app.server.form_requests import is_foreign_post, posted_fields, visitor_language
from vws_app.server.origins import is_own_origin
from vws_app.server.page_shell import fill
from vws_app.services import rsvp
from vws_app.services.calendar_files import event_file, events_feed, localised
from vws_app.services.consent import NOTICE_FIELD, notice_id_from
from vws_app.services.database import open_session
from vws_app.services.event_seo import event_meta
from vws_app.services.rsvp import RateLimited, RsvpClosed, RsvpInvalid, RsvpRequest
from vws_app.services.site_routes import EVENT

logger = logging.getLogger(__name__)
EVENT_SHELL = EVENT.path
CALENDAR_HEADERS = {"cache-control": "public, max-age=300"}


def _shared():
    """The page-file and filled-page caches of `routes.py` (imported here: routes.py imports this module)."""
    from vws_app.server import routes

    return routes


def event_page(request: Request) -> Response:
    """The event with its own title, tags, schema.org/Event and text, and the RSVP form for readers without JavaScript."""
    routes = _shared()
    page = routes._shells.page_for(EVENT_SHELL)
    if page is None:
        return routes._starting(request)
    event_id = request.path_params["event_id"]
    language = visitor_language(request)
    with open_session() as session:
        filled = routes.filled_pages.get_or_build(
            ("event", event_id, language, hash(page)),
            routes.content_version(session),
            lambda: _filled_event(session, page, event_id, language),
        )
    if filled is None:
        return HTMLResponse(routes._shells.read("404.html") or page, status_code=404)
    return filled.response(request, vary=("Cookie", "Accept-Language"))


def _filled_event(session, page: str, event_id: int, language: str) -> FilledPage | None:
    meta = event_meta(session, event_id, language)
    if meta is None:
        return None
    event = session.get(Event, event_id)
    # Ids apart from the live page's own form and link, which share the document until it hydrates.
    extra = event_pages.calendar_links(language, event_id, link_id="static-add-to-calendar")
    if rsvp.is_open(event, utc_now()):
        extra += event_pages.rsvp_form(language, event_id, prefix="static-rsvp")
    return FilledPage.of(fill(page, dataclasses.replace(meta, extra_html=extra)))


async def rsvp_post(request: Request) -> Response:
    """The RSVP form sent without JavaScript: the same row and mail as the live form, a page in the visitor's language."""
    language = visitor_language(request)
    event_id = request.path_params["event_id"]
    title = await run_in_threadpool(_title, event_id, language)
    if title is None:
        return Response(status_code=404)
    if not is_own_origin(request.headers.get("origin")):
        return await run_in_threadpool(
            lambda: event_pages.rsvp_answer(language, event_id, title, "rsvp_error_other_site", status_code=403)
        )
    fields = await posted_fields(request)
    values = {name: fields.get(name, "") for name in ("name", "email", "people", "note", "consent")}
    answer = RsvpRequest(
        name=values["name"],
        email=values["email"],
        people=values["people"],
        note=values["note"],
        consent=bool(values["consent"]),
        language=language,
        honeypot=fields.get("website", ""),
        notice_id=notice_id_from(fields.get(NOTICE_FIELD)),
    )
    return await run_in_threadpool(_rsvp_and_answer, event_id, answer, title, values, client_address(request))


def _title(event_id: int, language: str) -> str | None:
    with open_session() as session:
        event = session.get(Event, event_id) if event_id < 10**12 else None
        return None if event is None else localised(event, "title", language)


def _rsvp_and_answer(event_id: int, answer: RsvpRequest, title: str, values: dict, client: str) -> Response:
    language = answer.language
    try:
        with open_session() as session:
            rsvp.rsvp(session, event_id, answer, client_address=client)  # its outcome goes by mail only
    except RsvpInvalid as invalid:
        return event_pages.rsvp_answer(
            language, event_id, title, "rsvp_form_has_errors", values=values, errors=invalid.errors
        )
    except RsvpClosed:
        return event_pages.rsvp_answer(language, event_id, title, "rsvp_closed", status_code=409, show_form=False)
    except RateLimited as limited:
        return event_pages.rsvp_answer(
            language,
            event_id,
            title,
            "rsvp_error_rate_limited",
            values=values,
            status_code=429,
            minutes=limited.retry_after_minutes,
        )
    except SQLAlchemyError:
        logger.exception("Could not store an RSVP")
        return event_pages.rsvp_answer(language, event_id, title, "rsvp_failed", values=values, status_code=503)
    return event_pages.rsvp_answer(language, event_id, title, rsvp.ANSWER_KEY, show_form=False)


def event_calendar(request: Request) -> Response:
    """One event's public `.ics` in `?lang=` (else the visitor's language): never the online link."""
    event_id = request.path_params["event_id"]
    wanted = request.query_params.get("lang")
    language = normalise_language(wanted) if is_supported(wanted) else visitor_language(request)
    with open_session() as session:
        event = session.get(Event, event_id) if event_id < 10**12 else None
        data = None if event is None else event_file(event, language)
    if data is None:
        return Response(status_code=404)
    return Response(
        data,
        media_type="text/calendar",
        headers={**CALENDAR_HEADERS, "content-disposition": f'attachment; filename="event-{event_id}-{language}.ics"'},
    )


def calendar_feed(request: Request) -> Response:
    """`/events.ics` and `/es/events.ics`: every event, for calendar apps to subscribe to."""
    language = request.path_params.get("language", "en")
    if not is_supported(language) or language != normalise_language(language):
        return Response(status_code=404)
    with open_session() as session:
        data = events_feed(session, language)
    return Response(data, media_type="text/calendar", headers=CALENDAR_HEADERS)


def cancel_get(request: Request) -> Response:
    """The cancel link in every RSVP mail: a page with a button, in the RSVP's language. Changes nothing."""
    token = request.query_params.get("t", "")
    with open_session() as session:
        row = rsvp.rsvp_for_cancel_token(session, token)
        event = session.get(Event, row.event_id) if row else None
        if row is None or event is None:
            return event_pages.unknown_cancel_page(visitor_language(request))
        return event_pages.cancel_page(row.language, token, localised(event, "title", row.language))


async def cancel_post(request: Request) -> Response:
    """The button: the RSVP and its mail are erased, the waiting list moves up."""
    if is_foreign_post(request):
        return event_pages.unknown_cancel_page(visitor_language(request))
    token = (await posted_fields(request)).get("t", "")

    def cancel() -> str | None:
        with open_session() as session:
            row = rsvp.cancel(session, token)
            return None if row is None else row.language

    language = await run_in_threadpool(cancel)
    if language is None:
        return event_pages.unknown_cancel_page(visitor_language(request))
    return event_pages.cancelled_page(language)


ROUTES = [
    Route("/events.ics", calendar_feed, methods=["GET", "HEAD"]),
    Route("/{language}/events.ics", calendar_feed, methods=["GET", "HEAD"]),
    Route("/events/{event_id:int}.ics", event_calendar, methods=["GET", "HEAD"]),
    Route("/events/{event_id:int}", event_page, methods=["GET", "HEAD"]),
    Route("/events/{event_id:int}/rsvp", rsvp_post, methods=["POST"]),
    Route("/rsvp/cancel", cancel_get, methods=["GET", "HEAD"]),
    Route("/rsvp/cancel", cancel_post, methods=["POST"]),
]
