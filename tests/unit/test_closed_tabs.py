"""A closed tab's state leaves the worker's memory but stays on disk; an open tab's stays where it is."""

import asyncio
import uuid

from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.token import BaseStateToken

from vws_app.server.closed_tabs import ClosedTabs
from vws_app.state.contact import ContactState


def test_a_closed_tabs_state_is_dropped_from_memory_and_found_again_on_disk(tmp_path, monkeypatch):
    from vws_app.vws_app import app

    monkeypatch.chdir(tmp_path)  # the disk manager writes `.states/` here
    manager = StateManagerDisk()
    monkeypatch.setattr(app, "_state_manager", manager)
    closed, still_open = str(uuid.uuid4()), str(uuid.uuid4())
    tabs = ClosedTabs(app, is_connected=lambda token: token == still_open)

    def token(ident: str) -> BaseStateToken:
        return BaseStateToken(ident=ident, cls=app._state)

    async def scenario() -> str:
        for ident in (closed, still_open):
            async with manager.modify_state(token(ident)) as state:
                contact = await state.get_state(ContactState)
                contact.outcome = f"typed in {ident}"
        await tabs.release(closed)
        await tabs.release(still_open)
        assert token(closed).cache_key not in manager.states
        assert token(still_open).cache_key in manager.states
        reloaded = await manager.get_state(token(closed))  # the tab comes back later
        return (await reloaded.get_state(ContactState)).outcome

    assert asyncio.run(scenario()) == f"typed in {closed}"
    assert list((tmp_path / ".states").glob("*.pkl"))
