"""Public states do their database work in threads, and a write waiting on a lock leaves reads free."""

import asyncio
import inspect
import sqlite3
import threading

import pytest

from vws_app.state.allies import AlliesState
from vws_app.state.contact import ContactState
from vws_app.state.events import EventsState
from vws_app.state.home import HomeState
from vws_app.state.language import LanguageState
from vws_app.state.off_loop import WRITE_THREADS, lookup_off_loop, read_off_loop, write_off_loop
from vws_app.state.post import PostState
from vws_app.state.posts import PostsState
from vws_app.state.search import SearchState

PUBLIC_STATES = [AlliesState, ContactState, EventsState, HomeState, LanguageState, PostState, PostsState, SearchState]


def own_handlers(state: type) -> dict[str, object]:
    """The event handlers `state` defines itself (not Reflex's built-ins such as `setvar`)."""
    return {
        name: handler.fn
        for name, handler in state.event_handlers.items()
        if handler.fn.__module__.startswith("vws_app")
    }


@pytest.mark.parametrize("state", PUBLIC_STATES, ids=lambda state: state.__name__)
def test_public_handlers_open_no_database_session_on_the_event_loop(state):
    """A handler reaches the database only through a function it hands to `read_off_loop`/`write_off_loop`."""
    handlers = own_handlers(state)
    assert handlers, f"{state.__name__} has no handlers of its own"
    for name, fn in handlers.items():
        source = inspect.getsource(fn)
        assert "open_session" not in source, f"{state.__name__}.{name} opens a database session on the event loop"
        if "_off_loop(" in source:
            assert inspect.iscoroutinefunction(fn), f"{state.__name__}.{name} must be async to await its thread"


def test_every_loading_handler_is_async():
    for state in (AlliesState, EventsState, HomeState, PostState, PostsState, SearchState):
        assert inspect.iscoroutinefunction(state.event_handlers["load"].fn), state.__name__
    assert inspect.iscoroutinefunction(ContactState.event_handlers["submit"].fn)


def test_work_runs_in_its_pool_and_returns_its_result():
    def thread_name() -> str:
        return threading.current_thread().name

    async def names() -> list[str]:
        return [await in_pool(thread_name) for in_pool in (read_off_loop, write_off_loop, lookup_off_loop)]

    assert [name.split("_")[0] for name in asyncio.run(names())] == ["vws-read", "vws-write", "vws-lookup"]


def test_reads_answer_while_every_write_thread_waits_on_a_locked_database(tmp_path):
    """More writes than write threads wait on SQLite's write lock; a read still completes before it is released."""
    path = tmp_path / "locked.sqlite"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE note (text TEXT)")
    setup.execute("INSERT INTO note VALUES ('readable')")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")

    def write(number: int) -> None:
        with sqlite3.connect(path, timeout=60, isolation_level=None) as connection:
            connection.execute("INSERT INTO note VALUES (?)", (f"write {number}",))

    def read() -> list[str]:
        with sqlite3.connect(path, timeout=60) as connection:
            return [row[0] for row in connection.execute("SELECT text FROM note")]

    async def scenario() -> tuple[list[str], bool, int]:
        writes = [asyncio.create_task(write_off_loop(write, number)) for number in range(WRITE_THREADS + 2)]
        seen = await read_off_loop(read)
        writes_pending = not any(task.done() for task in writes)
        holder.execute("ROLLBACK")  # only now may the writes go in
        await asyncio.gather(*writes)
        return seen, writes_pending, len(await read_off_loop(read))

    seen, writes_were_pending, rows_after = asyncio.run(scenario())
    assert seen == ["readable"]
    assert writes_were_pending
    assert rows_after == 1 + WRITE_THREADS + 2
    holder.close()
    setup.close()
