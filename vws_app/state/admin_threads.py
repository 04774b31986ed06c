"""Admin work off the event loop: the session check and the database work run together on a worker thread.

A plain handler would run its queries on the event loop and stall every tab of the worker
while it waits; `as_editor` hands both to `asyncio.to_thread`. The calling handler holds its
state (an ordinary handler always does; a background task inside `async with self`), so
the check may update the signed-in vars from the thread.
"""

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session

from vws_app.models import Editor
from vws_app.services.database import open_session

Result = TypeVar("Result")


class Refused:
    """What `as_editor` returns when the tab has no valid session (the state has forgotten it)."""


REFUSED = Refused()


async def as_editor(state, work: Callable[[Session, Editor], Result]) -> Result | Refused:
    """`work(session, editor)` on a thread once `state._current_editor(session)` accepts the tab, else REFUSED."""

    def checked_work():
        with open_session() as session:
            editor = state._current_editor(session)
            if editor is None:
                return REFUSED
            return work(session, editor)

    return await asyncio.to_thread(checked_work)
