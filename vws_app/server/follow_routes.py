"""The mailing list's HTTP routes: the form's plain POST, the confirmation link, unsubscribe pages and RFC 8058 one-click.

Database work runs in a thread (Starlette does that for plain `def` endpoints), never on the event loop.
"""

import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from vws_app.i18n import normalise_language, translate
from vws_app.server import follow_pages
from vws_app.server.form_post import client_address  # as the app takes it, so both paths share one limit
from vws_app.server.form_requests import is_foreign_post as _foreign
from vws_app.server.form_requests import posted_fields as _form
from vws_app.server.form_requests import visitor_language as _language
from vws_app.server.origins import is_own_origin
from vws_app.services import subscriptions
from vws_app.services.consent import NOTICE_FIELD, notice_id_from
from vws_app.services.database import open_session
from vws_app.services.site_routes import FOLLOW
from vws_app.services.subscription_links import subscriber_for_unsubscribe_token
from vws_app.services.subscriptions import FollowRequest, RateLimited, SubscriptionInvalid, TokenCheck
from vws_app.settings import check_email_deliverability

logger = logging.getLogger(__name__)
ONE_CLICK_BODY = ("List-Unsubscribe", "One-Click")


async def follow_post(request: Request) -> Response:
    """The form sent without JavaScript: the same row as the live form stores, and a page in the visitor's language."""
    language = _language(request)
    if not is_own_origin(request.headers.get("origin")):
        return await run_in_threadpool(follow_pages.follow_answer, language, "follow_error_other_site", status_code=403)
    fields = await _form(request)
    values = {
        "email": fields.get("email", ""),
        "language": fields.get("language", language),
        "consent": fields.get("consent", ""),
    }
    follow = FollowRequest(
        email=values["email"],
        language=values["language"],
        consent=bool(values["consent"]),
        form_language=normalise_language(fields.get("form_language", language)),
        honeypot=fields.get("website", ""),
        notice_id=notice_id_from(fields.get(NOTICE_FIELD)),
    )
    return await run_in_threadpool(_subscribe_and_answer, follow, language, values, client_address(request))


def _subscribe_and_answer(follow: FollowRequest, language: str, values: dict, client: str) -> Response:
    try:
        with open_session() as session:
            subscriptions.subscribe(
                session, follow, client_address=client, check_deliverability=check_email_deliverability()
            )
    except SubscriptionInvalid as invalid:
        # 200: the form shown again to be corrected (browsers log a 4xx page as an error).
        return follow_pages.follow_answer(language, "follow_form_has_errors", values=values, errors=invalid.errors)
    except RateLimited as limited:
        return follow_pages.follow_answer(
            language, "follow_error_rate_limited", values=values, status_code=429, minutes=limited.retry_after_minutes
        )
    except SQLAlchemyError:
        logger.exception("Could not store a subscription")
        return follow_pages.follow_answer(language, "follow_failed", values=values, status_code=503)
    return follow_pages.follow_answer(language, "follow_sent")


def confirm_get(request: Request) -> Response:
    """The mail's link: a page with a button, in the subscriber's language. Changes nothing."""
    token = request.query_params.get("t", "")
    with open_session() as session:
        check, row = subscriptions.check_token(session, token)
    language = row.language if row is not None else _language(request)
    if check is TokenCheck.VALID:
        return follow_pages.confirm_page(language, token)
    if check is TokenCheck.CONFIRMED:
        return follow_pages.confirmed_page(language)
    if check is TokenCheck.EXPIRED:
        return follow_pages.expired_page(language)
    return follow_pages.unknown_link_page(language)


async def confirm_post(request: Request) -> Response:
    """The button: confirms the address, answers "You're subscribed" in the subscriber's language."""
    if _foreign(request):
        return await run_in_threadpool(follow_pages.unknown_link_page, _language(request))
    token = (await _form(request)).get("t", "")

    def confirm() -> tuple[TokenCheck, str | None]:
        with open_session() as session:
            check, row = subscriptions.confirm(session, token)
            return check, row.language if row is not None else None

    check, subscriber_language = await run_in_threadpool(confirm)
    language = subscriber_language or _language(request)
    if check is TokenCheck.CONFIRMED:
        return follow_pages.confirmed_page(language)
    # These pages hold the form again, whose privacy notice is read from the database: in a thread.
    if check is TokenCheck.EXPIRED:
        return await run_in_threadpool(follow_pages.expired_page, language)
    return await run_in_threadpool(follow_pages.unknown_link_page, language)


def unsubscribe_get(request: Request) -> Response:
    """The visible link in every mail: a page to leave the list (a button) or change language. Changes nothing."""
    token = request.query_params.get("t", "")
    with open_session() as session:
        row = subscriber_for_unsubscribe_token(session, token)
    if row is None:
        return follow_pages.unknown_unsubscribe_page(_language(request))
    if row.status == "unsubscribed":
        return follow_pages.unsubscribed_page(row.language)
    return follow_pages.unsubscribe_page(row.language, token, row.language)


async def unsubscribe_post(request: Request) -> Response:
    """The page's buttons: unsubscribe, or save another language."""
    fields = await _form(request)
    token, action = fields.get("t", ""), fields.get("action", "")
    if _foreign(request):
        return follow_pages.unknown_unsubscribe_page(_language(request))

    def act() -> tuple[str, str] | None:
        with open_session() as session:
            if action == "language":
                row = subscriptions.change_language(session, token, fields.get("language", ""))
            else:
                row = subscriptions.unsubscribe(session, token)
            return None if row is None else (row.language, row.status)

    result = await run_in_threadpool(act)
    if result is None:
        return follow_pages.unknown_unsubscribe_page(_language(request))
    language, status = result
    if action == "language" and status != "unsubscribed":
        saved = translate(
            "unsubscribe_language_saved", language, language_name=translate(f"language_name_{language}", language)
        )
        return follow_pages.unsubscribe_page(language, token, language, notice=saved)
    return follow_pages.unsubscribed_page(language)


async def one_click_post(request: Request) -> Response:
    """RFC 8058: a mail provider POSTs `List-Unsubscribe=One-Click` here; no cookie, no Origin, no page."""
    token = request.query_params.get("t", "")
    fields = await _form(request)
    if fields.get(ONE_CLICK_BODY[0]) != ONE_CLICK_BODY[1]:
        return PlainTextResponse("List-Unsubscribe=One-Click expected", status_code=400)

    def act() -> bool:
        with open_session() as session:
            return subscriptions.unsubscribe(session, token) is not None

    if not await run_in_threadpool(act):
        return PlainTextResponse("unknown link", status_code=404)
    return PlainTextResponse("unsubscribed")


def one_click_get(request: Request) -> Response:
    """Someone opened the one-click address in a browser: the unsubscribe page (a GET changes nothing)."""
    return RedirectResponse(f"/unsubscribe?t={request.query_params.get('t', '')}", status_code=303)


ROUTES = [
    Route(FOLLOW.path, follow_post, methods=["POST"]),
    Route("/follow/confirm", confirm_get, methods=["GET", "HEAD"]),
    Route("/follow/confirm", confirm_post, methods=["POST"]),
    Route("/unsubscribe", unsubscribe_get, methods=["GET", "HEAD"]),
    Route("/unsubscribe", unsubscribe_post, methods=["POST"]),
    Route("/unsubscribe/one-click", one_click_post, methods=["POST"]),
    Route("/unsubscribe/one-click", one_click_get, methods=["GET", "HEAD"]),
]
