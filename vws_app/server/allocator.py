"""Allocator settings for the server, so a worker's memory returns to where it was once a wave of sockets has closed.

Measured with `bench/socket_memory.py` (500 hostile tabs opened and closed; bench/README.md):
the objects of closed tabs are all freed, yet the worker stayed 1.4-1.6x its start, because two
allocators kept the freed memory:

- Granian (the server's Rust side) allocates with jemalloc, which by default purges freed pages
  only as later allocations tick a 10 s decay clock: with no traffic after a wave, about 60 MiB
  stayed resident. `PROMPT_JEMALLOC` starts a background thread that purges within a second
  and returns pages at once instead of keeping them "muzzy" (still counted resident).
- Python's own small-object allocator (pymalloc) returns a 1 MiB arena only when every object in
  it is gone: a few hundred objects that outlive a wave (caches, log records, dict tables) kept
  about 42 arenas (42 MiB) of a wave's peak. With `PYTHONMALLOC=malloc` Python's objects come
  from glibc, whose free pages `closed_tabs.py`'s `malloc_trim(0)` hands back wherever they lie.

Both are read once, from the environment, as the process starts (jemalloc when Granian's library
is loaded, which `respawning_reflex.py` does first thing): `scripts/serve.py` puts them into the
environment of the server it starts. `rxconfig.py` adds the jemalloc one for a plain `reflex run`;
Python's allocator cannot be changed once Python runs. A value the operator set already is kept.
"""

from collections.abc import MutableMapping

JEMALLOC_ENV = "_RJEM_MALLOC_CONF"  # Granian's jemalloc is built with the `_rjem_` prefix
PROMPT_JEMALLOC = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0"
PYTHON_ALLOCATOR_ENV = "PYTHONMALLOC"
PYTHON_ALLOCATOR = "malloc"


def prompt_jemalloc(environment: MutableMapping[str, str]) -> None:
    """Put the prompt-purge setting for Granian's jemalloc into `environment` unless it has its own."""
    environment.setdefault(JEMALLOC_ENV, PROMPT_JEMALLOC)


def server_allocators(environment: MutableMapping[str, str]) -> None:
    """Both settings, for the environment of a server process about to be started."""
    prompt_jemalloc(environment)
    environment.setdefault(PYTHON_ALLOCATOR_ENV, PYTHON_ALLOCATOR)
