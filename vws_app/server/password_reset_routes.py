"""Forgotten passwords over plain HTTP pages the server writes: ask for a link, open it, set a new password.

No script at all (they work with JavaScript off), every change is a form's POST from our own
origin, and the token travels in the POST body; the mail's link only opens the form. Slow work
(the database, argon2) runs in a worker thread.
"""

import asyncio
import logging
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from vws_app.i18n import translate
from vws_app.server import admin_auth
from vws_app.server.follow_pages import page, paragraph
from vws_app.server.origins import is_own_origin
from vws_app.services import auth, password_reset, passwords
from vws_app.services.database import open_session

FORGOT_PATH = "/admin/forgot"
logger = logging.getLogger(__name__)


def _language(request: Request) -> str:
    from vws_app.server.routes import request_language  # routes.py imports this module for its route list

    return request_language(request)


def _forgot_form(language: str) -> str:
    return (
        f'<form method="post" action="{FORGOT_PATH}" id="forgot-form"><div class="field">'
        f'<label for="forgot-email">{escape(translate("admin_email", language))}</label>'
        '<input type="email" id="forgot-email" name="email" autocomplete="username" required></div>'
        f'<button type="submit" id="forgot-submit">{escape(translate("admin_forgot_submit", language))}</button></form>'
    )


def _reset_form(language: str, token: str, error_key: str = "") -> str:
    error = escape(translate(error_key, language)) if error_key else ""
    return (
        f'<form method="post" action="{password_reset.RESET_PATH}" id="reset-form">'
        f'<input type="hidden" name="t" value="{escape(token)}"><div class="field">'
        f'<label for="reset-password">{escape(translate("admin_new_password", language))}</label>'
        '<input type="password" id="reset-password" name="password" autocomplete="new-password" required'
        ' aria-describedby="reset-password-error" style="font:inherit;padding:.5rem;max-width:24rem">'
        f'<p class="error" id="reset-password-error" aria-live="polite">{error}</p>'
        f"<p>{escape(translate('admin_password_hint', language))}</p></div>"
        f'<button type="submit" id="reset-submit">{escape(translate("admin_reset_submit", language))}</button></form>'
    )


def _invalid(language: str) -> HTMLResponse:
    body = paragraph(translate("admin_reset_invalid", language)) + _forgot_form(language)
    return page(language, translate("admin_forgot_heading", language), body, status_code=410)


async def forgot_get(request: Request) -> Response:
    """The form asking for the address."""
    language = _language(request)
    body = paragraph(translate("admin_forgot_text", language)) + _forgot_form(language)
    return page(language, translate("admin_forgot_heading", language), body)


def _request(email: str, language: str) -> None:
    with open_session() as session:
        password_reset.request_reset(session, email, language)


async def forgot_post(request: Request) -> Response:
    """The same answer whether or not the address is an editor's; a mail only when it is."""
    language = _language(request)
    if not is_own_origin(request.headers.get("origin")):
        return admin_auth.refused()
    form = await admin_auth.small_form(request) or {}
    await asyncio.to_thread(_request, form.get("email", "")[:320], language)
    notice = f'<div role="status">{paragraph(translate("admin_forgot_sent", language), "notice")}</div>'
    return page(language, translate("admin_forgot_heading", language), notice)


def _check(token: str) -> bool:
    with open_session() as session:
        try:
            password_reset.check_link(session, token)
        except password_reset.ResetLinkInvalid:
            return False
    return True


async def reset_get(request: Request) -> Response:
    """The mail's link: the form for the new password (opening it changes nothing)."""
    language, token = _language(request), request.query_params.get("t", "")
    if not await asyncio.to_thread(_check, token):
        return _invalid(language)
    return page(language, translate("admin_reset_heading", language), _reset_form(language, token))


def _reset(token: str, password: str) -> None:
    with open_session() as session:
        password_reset.reset_password(session, token, password)


async def reset_post(request: Request) -> Response:
    """Set the new password; every session ends; the form again with the reason if the password is refused."""
    language = _language(request)
    if not is_own_origin(request.headers.get("origin")):
        return admin_auth.refused()
    form = await admin_auth.small_form(request) or {}
    token = form.get("t", "")
    try:
        await asyncio.to_thread(_reset, token, form.get("password", ""))
    except password_reset.ResetLinkInvalid:
        return _invalid(language)
    except auth.WeakPassword as weak:
        error = passwords.MESSAGE_KEYS.get(weak.reason, "admin_error_password_weak")
        return page(
            language, translate("admin_reset_heading", language), _reset_form(language, token, error), status_code=422
        )
    logger.info("An editor set a new password with a reset link")
    body = paragraph(translate("admin_reset_done", language), "notice") + (
        f'<p><a href="/admin" id="reset-sign-in">{escape(translate("admin_sign_in", language))}</a></p>'
    )
    return page(language, translate("admin_reset_heading", language), body)


RESET_ROUTES = [
    Route(FORGOT_PATH, forgot_get, methods=["GET", "HEAD"]),
    Route(FORGOT_PATH, forgot_post, methods=["POST"]),
    Route(password_reset.RESET_PATH, reset_get, methods=["GET", "HEAD"]),
    Route(password_reset.RESET_PATH, reset_post, methods=["POST"]),
]
