"""`POST /admin/sign-in/code`: the second step of signing in, a code from the authenticator app or a recovery code.

A plain form, like the password's (it works without JavaScript; other origins are refused).
The browser proves which pending sign-in it continues with the HttpOnly `vws_admin_pending`
cookie set after the right password; the code is checked in a worker thread under the same
limits as passwords (`services/second_step.py`).
"""

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import Response

from vws_app.server import admin_auth
from vws_app.server.origins import is_own_origin
from vws_app.services import auth, second_step, two_factor
from vws_app.services.database import open_session

SIGN_IN_CODE_PATH = "/admin/sign-in/code"
logger = logging.getLogger(__name__)


def _check_code(pending_token: str, code: str, address: str, device_token: str) -> tuple[str, str, str]:
    """In a worker thread: (email, session token, device token) for a right code.

    Raises:
        second_step.PendingExpired, auth.AccountLocked, two_factor.WrongCode: as `second_step.complete`.
    """
    with open_session() as session:
        try:
            editor, token = second_step.complete(session, pending_token, code, address, device_token=device_token)
        except auth.AccountLocked:
            second_step.cancel(session, pending_token)
            raise
        email = editor.email
    return email, token, admin_auth.device_token_for(email, device_token)


def _drop_pending(response: Response) -> Response:
    response.delete_cookie(admin_auth.PENDING_COOKIE, path=admin_auth.ADMIN_PATH, httponly=True, samesite="strict")
    return response


async def sign_in_code(request: Request) -> Response:
    """The session cookie and /admin for a right code; the code form again for a wrong one; the
    password form when the pending sign-in ran out or the client is locked."""
    if not is_own_origin(request.headers.get("origin")):
        return admin_auth.refused()
    form = await admin_auth.small_form(request)
    pending_token = request.cookies.get(admin_auth.PENDING_COOKIE, "")
    if form is None or not pending_token:
        return _drop_pending(admin_auth.back_to_sign_in(request, sign_in="expired"))
    try:
        email, token, device_token = await asyncio.to_thread(
            _check_code,
            pending_token,
            form.get("code", "")[:64],
            admin_auth.client_address(request),
            request.cookies.get(admin_auth.DEVICE_COOKIE, ""),
        )
    except second_step.PendingExpired:
        return _drop_pending(admin_auth.back_to_sign_in(request, sign_in="expired"))
    except auth.AccountLocked as locked:
        return _drop_pending(admin_auth.back_to_sign_in(request, sign_in="locked", minutes=locked.retry_after_minutes))
    except two_factor.WrongCode:
        return admin_auth.redirect(
            admin_auth.admin_page(request, f"{admin_auth.CODE_PAGE_SUFFIX}?sign_in=code_invalid")
        )
    logger.info("Editor %s signed in with a second factor", email)
    response = _drop_pending(admin_auth.redirect(admin_auth.admin_page(request)))
    admin_auth.set_session_cookies(response, token, device_token)
    return response
