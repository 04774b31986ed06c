"""Bench-only probe: with VWS_BENCH_PROBE_DIR set, a process counts its live objects by type when asked.

`socket_memory.py --probe` puts this directory on the worker's PYTHONPATH; the probe thread
waits for a file named `ask-<n>` in the directory and answers with `<pid>-<n>.json`
(object counts by type name, pymalloc's blocks and arenas, glibc's heap, the process's resident
memory by kind of mapping), so the bench can diff counts between waves. `ask-trace-start`
starts tracemalloc: every later answer also lists the allocations made since then that are still
alive (the survivors of a wave), grouped by where they were made. Not part of the app.
"""

import collections
import ctypes
import gc
import json
import os
import re
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _malloc_mib() -> dict[str, float]:
    """glibc's heap: bytes handed out (`uordblks` + mmapped blocks) and the heap's size, in MiB (all arenas)."""
    try:
        info = ctypes.CDLL("libc.so.6").mallinfo2
    except (OSError, AttributeError):
        return {}
    info.restype = _MallInfo2
    stats = info()
    return {
        "in_use": round((stats.uordblks + stats.hblkhd) / 2**20, 1),
        "heap": round((stats.arena + stats.hblkhd) / 2**20, 1),
        "free_in_heap": round(stats.fordblks / 2**20, 1),
        "mmapped": round(stats.hblkhd / 2**20, 1),
    }


def _pymalloc_arenas() -> dict[str, float]:
    """pymalloc's arenas (1 MiB each on 3.11) and the bytes in their empty pools, from `sys._debugmallocstats()` (C stderr)."""
    with tempfile.TemporaryFile(mode="w+") as sink:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            os.dup2(sink.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        sink.seek(0)
        text = sink.read()
    found = {}
    for key, pattern in (
        ("arenas", r"# arenas allocated current\s*=\s*([\d,]+)"),
        ("arenas_highwater", r"# arenas highwater mark\s*=\s*([\d,]+)"),
        ("unused_pools_bytes", r"# bytes in \d+ unused pools\s*=\s*([\d,]+)"),
        ("allocated_bytes", r"# bytes in allocated blocks\s*=\s*([\d,]+)"),
    ):
        match = re.search(pattern, text)
        if match:
            found[key] = int(match.group(1).replace(",", ""))
    return found


def _survivors(start: tracemalloc.Snapshot | None) -> dict:
    """Allocations made since tracemalloc started that are still alive, grouped by their innermost frames in app code."""
    if start is None:
        return {}
    snapshot = tracemalloc.take_snapshot().filter_traces(
        (tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, __file__))
    )
    total = sum(stat.size for stat in snapshot.statistics("filename"))
    by_line = [
        {"size_kib": round(stat.size / 1024, 1), "count": stat.count, "where": str(stat.traceback[0])}
        for stat in snapshot.statistics("lineno")[:25]
    ]
    by_trace = [
        {
            "size_kib": round(stat.size / 1024, 1),
            "count": stat.count,
            "traceback": [str(frame) for frame in stat.traceback[-12:]],
        }
        for stat in snapshot.statistics("traceback")[:8]
    ]
    return {
        "traced_kib": round(total / 1024, 1),
        "traced_blocks": sum(stat.count for stat in snapshot.statistics("filename")),
        "top_lines": by_line,
        "top_tracebacks": by_trace,
    }


def _answer_requests(directory: Path) -> None:
    answered: set[str] = set()
    trace_start = None
    while True:
        for ask in sorted(directory.glob("ask-*")):
            if ask.name not in answered:
                answered.add(ask.name)
                name = ask.name.removeprefix("ask-")
                gc.collect()
                if name == "trace-start":
                    tracemalloc.start(10)
                    trace_start = tracemalloc.take_snapshot()
                counts = collections.Counter(
                    type(item).__module__ + "." + type(item).__qualname__ for item in gc.get_objects()
                )
                target = directory / f"{os.getpid()}-{name}.json"
                target.write_text(
                    json.dumps(
                        {
                            "objects": sum(counts.values()),
                            "by_type": counts,
                            "pymalloc_blocks": sys.getallocatedblocks(),
                            "pymalloc": _pymalloc_arenas(),
                            "malloc_mib": _malloc_mib(),
                            "threads": threading.active_count(),
                            "survivors": _survivors(trace_start) if name != "trace-start" else {},
                        }
                    ),
                    encoding="utf-8",
                )
        time.sleep(0.5)


def _start() -> None:
    threading.Thread(
        target=_answer_requests, args=(Path(os.environ["VWS_BENCH_PROBE_DIR"]),), daemon=True, name="vws_bench_probe"
    ).start()


if os.environ.get("VWS_BENCH_PROBE_DIR"):
    _start()
    os.register_at_fork(after_in_child=_start)  # server workers are forked, and a fork keeps no threads
