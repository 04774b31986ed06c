"""Lets go of a closed tab's state in memory, so a worker's memory returns to where it was once sockets close.

Reflex's disk state manager keeps every tab's state tree in memory until the token expires
(an hour): 500 closed tabs held about 100 MiB. A few seconds after a tab's last socket closes
(time for a reload to reconnect), its pending write is flushed and its tree dropped from memory.
The files stay on disk, so a tab that comes back later finds its state (and an editor stays
signed in). Redis and the in-memory manager are left alone: Redis expires states itself, and
the in-memory manager has no other copy.
"""

import asyncio
import ctypes
import ctypes.util
import gc
import logging
from collections.abc import Callable

from reflex.app import App
from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.token import BaseStateToken

logger = logging.getLogger("vws_app.socket")
RECONNECT_GRACE_S = 5.0  # a reload reconnects with the same token well within this
TRIM_DELAY_S = 2.0  # one trim after a wave of closed tabs, not one per tab


def _malloc_trim() -> Callable[[], None]:
    """glibc's `malloc_trim(0)`, which hands freed heap pages back to the system; a no-op elsewhere."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    return lambda: trim(0) and None


class ClosedTabs:
    """Schedules the release of closed tabs' states for one app's disk state manager."""

    def __init__(self, app: App, is_connected: Callable[[str], bool]) -> None:
        self.app = app
        self.is_connected = is_connected
        self.trim = _malloc_trim()
        self.trim_task: asyncio.Task | None = None
        self.tasks: set[asyncio.Task] = set()

    @property
    def manager(self) -> StateManagerDisk | None:
        manager = self.app.state_manager
        return manager if isinstance(manager, StateManagerDisk) else None

    def closed(self, client_token: str | None) -> None:
        """A socket of `client_token` closed: release its state later unless the tab has come back."""
        if client_token is None or self.manager is None:
            return
        task = asyncio.get_running_loop().create_task(
            self.release_later(client_token), name=f"vws_release_state|{client_token}"
        )
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def release_later(self, client_token: str) -> None:
        await asyncio.sleep(RECONNECT_GRACE_S)
        try:
            await self.release(client_token)
        except Exception as error:  # the state stays until Reflex expires it; nothing is lost
            logger.warning(f"could not release a closed tab's state: {error!r}")

    async def release(self, client_token: str) -> None:
        manager = self.manager
        token = BaseStateToken(ident=client_token, cls=self.app._state)
        if manager is None or self.is_connected(client_token) or manager._is_locked(token):
            return
        pending = manager._write_queue.pop(token, None)
        if pending is not None:
            await manager.set_state_for_substate(token, pending.state)
        if self.is_connected(client_token) or manager._is_locked(token) or token in manager._write_queue:
            return
        manager._purge_token(token)
        if self.trim_task is None or self.trim_task.done():
            self.trim_task = asyncio.get_running_loop().create_task(self.trim_soon(), name="vws_malloc_trim")

    async def trim_soon(self) -> None:
        """Hand the freed memory back to the system once the current wave of releases is done.

        Again one ping interval later: engine.io's ping task keeps a closed socket's buffers
        until its sleep ends. A full collection first: the trees and sockets let go form
        cycles, and with little allocating after a wave the collector may not look for long.
        """
        await asyncio.sleep(TRIM_DELAY_S)
        gc.collect()
        await asyncio.to_thread(self.trim)
        await asyncio.sleep(getattr(getattr(self.app.sio, "eio", None), "ping_interval", 25) + TRIM_DELAY_S)
        gc.collect()
        await asyncio.to_thread(self.trim)
