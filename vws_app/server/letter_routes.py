"""Open letters' HTTP routes: the sign form's plain POST, the confirmation link and the withdrawal link.

A link from a mail opens a page with a button; only the button's POST changes anything, so a
mail scanner that fetches links confirms or withdraws nothing. Database work runs in a thread.
"""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from vws_app.i18n import normalise_language
from vws_app.server import letter_pages
from vws_app.server.form_post import client_address  # as the app takes it, so both paths share one limit
from vws_app.server.form_requests import is_foreign_post, posted_fields, visitor_language
from vws_app.server.origins import is_own_origin
from vws_app.services import letters
from vws_app.services.database import open_session
from vws_app.services.letter_intake import FORM_FIELDS, sign_and_report, sign_request
from vws_app.services.letters import TokenCheck
from vws_app.services.letters_public import slug_for_letter

STATUS_BY_OUTCOME = {"letters_error_rate_limited": 429, "letters_failed": 503, "letters_closed": 409}


async def sign_post(request: Request) -> Response:
    """The sign form sent without JavaScript: the same row as the live form, a page in the visitor's language."""
    slug = request.path_params["slug"][:200]
    fields = await posted_fields(request)
    language = normalise_language(fields.get("form_language") or visitor_language(request))
    if not is_own_origin(request.headers.get("origin")):
        return await run_in_threadpool(
            letter_pages.sign_answer, slug, language, "letters_error_other_site", status_code=403
        )
    values = {name: fields.get(name, "") for name in FORM_FIELDS}
    outcome, errors, minutes = await run_in_threadpool(
        sign_and_report, slug, sign_request(fields, language), client_address(request)
    )
    return await run_in_threadpool(
        lambda: letter_pages.sign_answer(
            slug,
            language,
            outcome,
            values=values,
            errors=errors,
            minutes=minutes,
            status_code=STATUS_BY_OUTCOME.get(outcome, 200),
        )
    )


def confirm_get(request: Request) -> Response:
    """The mail's link: a page with a button, in the signer's language. Changes nothing."""
    token = request.query_params.get("t", "")
    with open_session() as session:
        check, row = letters.check_token(session, token)
        language = row.language if row is not None else visitor_language(request)
        slug = slug_for_letter(session, row.letter_id, language) if row is not None else ""
        moderated = row is not None and row.status == "awaiting"
    if check is TokenCheck.VALID:
        return letter_pages.confirm_page(language, token)
    if check is TokenCheck.CONFIRMED:
        return letter_pages.confirmed_page(language, moderated, slug)
    if check is TokenCheck.EXPIRED:
        return letter_pages.expired_page(language)
    return letter_pages.unknown_link_page(language)


async def confirm_post(request: Request) -> Response:
    """The button: confirms the signature, answers in the signer's language."""
    if is_foreign_post(request):
        return letter_pages.unknown_link_page(visitor_language(request))
    token = (await posted_fields(request)).get("t", "")

    def confirm() -> tuple[TokenCheck, str | None, bool, str]:
        with open_session() as session:
            check, row = letters.confirm(session, token)
            if row is None:
                return check, None, False, ""
            return check, row.language, row.status == "awaiting", slug_for_letter(session, row.letter_id, row.language)

    check, signer_language, moderated, slug = await run_in_threadpool(confirm)
    language = signer_language or visitor_language(request)
    if check is TokenCheck.CONFIRMED:
        return letter_pages.confirmed_page(language, moderated, slug)
    if check is TokenCheck.EXPIRED:
        return letter_pages.expired_page(language)
    return letter_pages.unknown_link_page(language)


def withdraw_get(request: Request) -> Response:
    """The withdrawal link in the mail: a page with a button. Changes nothing."""
    token = request.query_params.get("t", "")
    with open_session() as session:
        row = letters.signature_for_withdraw_token(session, token)
    if row is None:
        return letter_pages.unknown_link_page(visitor_language(request))
    return letter_pages.withdraw_page(row.language, token)


async def withdraw_post(request: Request) -> Response:
    """The button: removes the signature and the signer's details."""
    if is_foreign_post(request):
        return letter_pages.unknown_link_page(visitor_language(request))
    token = (await posted_fields(request)).get("t", "")

    def withdraw() -> str | None:
        with open_session() as session:
            return letters.withdraw(session, token)

    language = await run_in_threadpool(withdraw)
    if language is None:
        return letter_pages.unknown_link_page(visitor_language(request))
    return letter_pages.withdrawn_page(language)


ROUTES = [
    Route("/posts/{slug}/sign", sign_post, methods=["POST"]),
    Route(letters.CONFIRM_PATH, confirm_get, methods=["GET", "HEAD"]),
    Route(letters.CONFIRM_PATH, confirm_post, methods=["POST"]),
    Route(letters.WITHDRAW_PATH, withdraw_get, methods=["GET", "HEAD"]),
    Route(letters.WITHDRAW_PATH, withdraw_post, methods=["POST"]),
]
