"""Blocking work of the public states (database, DNS) run in threads, so the event loop keeps serving.

Why this holds, read in the installed Reflex 0.10.1 (`reflex_base/event/processor/`):
- Events of different clients run as separate asyncio tasks; one client's events run in
  order (`EventProcessor._enqueue_for_token`). A plain `def` handler is called inline on the
  loop (`base_state_processor.process_event`), so a query that waits on a lock stalls every
  client of the worker. An `async def` handler is awaited, and while it awaits a thread the
  loop serves the others.
- The handler still holds its client's state lock while it awaits (`_execute_event` runs it
  inside `modify_state_with_links`): that client's next events wait, nobody else's do. With
  Redis the lock expires after `redis_lock_expiration` (10 s by default, not extended while a
  handler runs); a handler that outlives it gets `LockExpiredError` when its state is saved
  and that change is lost. Without Redis the lock does not expire.
- The work in the thread only returns values; the handler assigns them to the state back on
  the loop, under the lock, and Reflex sends the delta when the handler returns
  (`chain_updates`). No state object is touched from another thread.

Three pools, not the loop's shared default one (6 threads on a 2-core machine): writes that wait
on a locked table (a contact message) can fill only `WRITE_THREADS`, and DNS look-ups (the
optional e-mail deliverability check) only `LOOKUP_THREADS`, so reads (page loads) keep
answering. Reads and writes stay within the database engine's connection pool (5 + 10 overflow).
"""

import asyncio
import contextlib
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

READ_THREADS = 8
WRITE_THREADS = 4
LOOKUP_THREADS = 4

_reads = ThreadPoolExecutor(max_workers=READ_THREADS, thread_name_prefix="vws-read")
_writes = ThreadPoolExecutor(max_workers=WRITE_THREADS, thread_name_prefix="vws-write")
_lookups = ThreadPoolExecutor(max_workers=LOOKUP_THREADS, thread_name_prefix="vws-lookup")

P = ParamSpec("P")
R = TypeVar("R")


async def _in_pool(pool: ThreadPoolExecutor, work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`work(*args, **kwargs)` in `pool`, with the caller's context variables (as `asyncio.to_thread`)."""
    call = functools.partial(contextvars.copy_context().run, work, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(pool, call)


async def read_off_loop(work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a blocking read (what a page shows) in the read pool and return its result."""
    return await _in_pool(_reads, work, *args, **kwargs)


async def write_off_loop(work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a blocking write (which may wait on a lock) in the write pool and return its result."""
    return await _in_pool(_writes, work, *args, **kwargs)


async def lookup_off_loop(work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a network look-up without the database (DNS) in the look-up pool and return its result."""
    return await _in_pool(_lookups, work, *args, **kwargs)


@contextlib.asynccontextmanager
async def writes_finish_before_exit():
    """Lifespan task: at shutdown, wait for writes already handed to a thread.

    A contact message waiting on a lock when the worker is told to stop is then stored (once)
    if the database answers within the stop's grace period, as it was when handlers blocked
    the loop; without this the worker exits and the thread dies with the write half done.
    `serve.py` still kills whatever is left after `STOP_GRACE_SECONDS`.
    """
    yield
    await asyncio.to_thread(_writes.shutdown, wait=True)
