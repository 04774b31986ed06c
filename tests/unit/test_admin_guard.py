"""The one guard: every admin handler is an async event with its own arguments, and its database work waits off the event loop."""

import asyncio
import concurrent.futures
import contextvars
import inspect
import threading

import psycopg
import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex_base.event.context import EventContext
from reflex_base.event.processor.base_state_processor import process_event

from tests.unit.test_admin_access import (  # noqa: F401 - fixtures used by name
    CHECKED_HANDLERS,
    CLIENT_TOKEN,
    STATE_BY_NAME,
    fast_password_hashing,
    new_tab,
    substate,
    token_of,
    world,
)
from vws_app.state.admin_guard import GUARD_PARAMETERS

LOCK_HELD_AT_MOST_S = 20  # released then whatever happened, so a blocked loop fails the test instead of hanging it
TICKS_WHILE_BLOCKED = 20


@pytest.mark.parametrize("ref", CHECKED_HANDLERS, ids=".".join)
def test_every_checked_handler_is_async_and_shows_clients_only_its_own_arguments(ref):
    cls, name = STATE_BY_NAME[ref[0]], ref[1]
    handler = cls.event_handlers[name]
    assert inspect.iscoroutinefunction(handler.fn), f"{ref} runs on the event loop"
    parameters = list(inspect.signature(handler.fn).parameters)
    assert not set(GUARD_PARAMETERS) & set(parameters[1:]), f"{ref} exposes the guard's arguments"
    assert set(handler._type_hints or {}) <= set(parameters[1:])


def test_the_guard_keeps_argument_types_for_payload_conversion():
    posts, allies = STATE_BY_NAME["AdminPostsState"], STATE_BY_NAME["AdminAlliesState"]
    assert posts.event_handlers["delete_post"]._type_hints == {"post_id": int}
    assert allies.event_handlers["move"]._type_hints == {"ally_id": int, "direction": int}
    assert list(inspect.signature(allies.event_handlers["move"].fn).parameters) == ["self", "ally_id", "direction"]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # a lock that blocks readers
def test_an_admin_handler_waiting_on_a_locked_table_leaves_the_event_loop_free(world, session, database_url):
    """While the posts list waits for a table another connection has locked, other work on
    the same event loop keeps running; once the lock goes, the list arrives."""
    session.close()  # the seeding session's open read would hold the lock off
    posts = STATE_BY_NAME["AdminPostsState"]
    root = new_tab(world, token_of("valid"))
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        url = database_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url) as connection:
            connection.execute("LOCK TABLE post IN ACCESS EXCLUSIVE MODE")
            locked.set()
            release.wait(LOCK_HELD_AT_MOST_S)

    async def scenario() -> tuple[int, bool]:
        ticks = 0

        async def tick():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        context = EventContext(
            token=CLIENT_TOKEN,
            state_manager=StateManagerMemory(),
            enqueue_impl=_ignore,
            emit_delta_impl=_ignore,
            emit_event_impl=_ignore,
            router_data=root.router_data,
        )
        with context:
            ticker = asyncio.create_task(tick())
            handler = asyncio.create_task(
                process_event(
                    handler=posts.event_handlers["load_list"], payload={}, state=substate(root, posts), root_state=root
                )
            )
            while ticks < TICKS_WHILE_BLOCKED and not handler.done():
                await asyncio.sleep(0)
            finished_while_locked = handler.done()
            release.set()
            await handler
            ticker.cancel()
        return ticks, finished_while_locked

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert locked.wait(10)
    runner_context = contextvars.copy_context()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as runner:
        ticks, finished_while_locked = runner.submit(runner_context.run, asyncio.run, scenario()).result()
    holder.join()
    assert not finished_while_locked, "the list loaded although the table was locked: nothing was proven"
    assert ticks >= TICKS_WHILE_BLOCKED
    assert substate(root, posts).rows, "the list arrived once the lock was released"


async def _ignore(*_args):
    return None
