"""Bench-only probe: with VWS_BENCH_PROBE_DIR set, a process counts its live objects by type when asked.

`socket_memory.py --probe` puts this directory on the worker's PYTHONPATH; the probe thread
waits for a file named `ask-<n>` in the directory and answers with `<pid>-<n>.json`
(object counts by type name), so the bench can diff counts between waves. Not part of the app.
"""

import collections
import ctypes
import gc
import json
import os
import sys
import threading
import time
from pathlib import Path


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def _malloc_mib() -> dict[str, float]:
    """glibc's heap: bytes handed out (`uordblks` + mmapped blocks) and the heap's size, in MiB."""
    try:
        info = ctypes.CDLL("libc.so.6").mallinfo2
    except (OSError, AttributeError):
        return {}
    info.restype = _MallInfo2
    stats = info()
    return {"in_use": round((stats.uordblks + stats.hblkhd) / 2**20, 1), "heap": round((stats.arena + stats.hblkhd) / 2**20, 1)}


def _answer_requests(directory: Path) -> None:
    answered: set[str] = set()
    while True:
        for ask in sorted(directory.glob("ask-*")):
            if ask.name not in answered:
                answered.add(ask.name)
                gc.collect()
                counts = collections.Counter(type(item).__module__ + "." + type(item).__qualname__ for item in gc.get_objects())
                target = directory / f"{os.getpid()}-{ask.name.removeprefix('ask-')}.json"
                target.write_text(json.dumps({"objects": sum(counts.values()), "by_type": counts,
                                                  "pymalloc_blocks": sys.getallocatedblocks(), "malloc_mib": _malloc_mib()}), encoding="utf-8")
        time.sleep(0.5)


def _start() -> None:
    threading.Thread(target=_answer_requests, args=(Path(os.environ["VWS_BENCH_PROBE_DIR"]),), daemon=True, name="vws_bench_probe").start()


if os.environ.get("VWS_BENCH_PROBE_DIR"):
    _start()
    os.register_at_fork(after_in_child=_start)  # server workers are forked, and a fork keeps no threads
