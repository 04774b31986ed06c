"""The one guard in front of every admin handler: the session check, in a worker thread, then the body.

`@admin_handler()` (or `@admin_handler(role="admin")`) turns `def load(self, session, editor, …)`
into an async Reflex event `load(self, …)` that, off the event loop, opens a database session,
resolves the editor from the session cookie of the tab's socket and runs the body with both;
without a valid session (or the role) the body never runs and the tab forgets its admin data.
So no handler can forget the check, and neither argon2 nor a slow database stalls the other
visitors on the worker.
"""

import inspect
from collections.abc import Callable
from typing import Any

import reflex as rx

GUARD_PARAMETERS = ("session", "editor")  # what the guard passes the body after `self`


def admin_handler(
    role: str | None = None,
    allowed_before_enrolment: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate an admin state's handler body `(self, session, editor, *args)` as a checked event.

    While the admins require two-factor sign-in and the editor has not set it up, only bodies
    marked `allowed_before_enrolment` (the account page's) run; the others send the tab there.

    The event keeps the body's name, docstring and its own arguments (names, types and
    defaults), so Reflex converts a client's payload as before; the state is changed from the
    worker thread while the event waits for it, and Reflex sends what changed as usual.
    """

    def decorate(body: Callable[..., Any]) -> Callable[..., Any]:
        parameters = list(inspect.signature(body).parameters.values())
        if [parameter.name for parameter in parameters[1:3]] != list(GUARD_PARAMETERS):
            raise TypeError(f"{body.__qualname__} must take (self, session, editor, ...)")

        body.allowed_before_enrolment = allowed_before_enrolment

        async def handler(self, *args, **kwargs):
            return await self._run_guarded(body, role, args, kwargs)

        handler.__name__, handler.__qualname__ = body.__name__, body.__qualname__
        handler.__module__, handler.__doc__ = body.__module__, body.__doc__
        handler.__signature__ = inspect.Signature([parameters[0], *parameters[3:]])
        handler.__annotations__ = {
            name: hint for name, hint in body.__annotations__.items() if name not in GUARD_PARAMETERS
        }
        return rx.event(handler)

    return decorate
