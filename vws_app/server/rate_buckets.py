"""Token buckets and once-per-window flags keyed by client, in memory, that forget idle clients."""

import time
from collections.abc import Callable

PRUNE_EVERY_S = 60.0


class Buckets:
    """One token bucket per key: `capacity` tokens, refilled at `per_second`; a key idle long enough to be full is dropped."""

    def __init__(self, capacity: float, per_second: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = max(1.0, float(capacity))
        self.per_second = max(0.0, float(per_second))
        self.clock = clock
        self.levels: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)
        self.pruned_at = clock()

    def take(self, key: str) -> bool:
        """Spend one token for `key`; False (nothing spent) when its bucket is empty."""
        now = self.clock()
        self.prune(now)
        tokens, when = self.levels.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - when) * self.per_second)
        if tokens < 1:
            self.levels[key] = (tokens, now)
            return False
        self.levels[key] = (tokens - 1, now)
        return True

    def forget(self, key: str) -> None:
        """Drop `key`'s bucket (its socket closed)."""
        self.levels.pop(key, None)

    def prune(self, now: float) -> None:
        """Forget keys whose bucket has refilled: they would start full anyway."""
        if now - self.pruned_at < PRUNE_EVERY_S:
            return
        self.pruned_at = now
        full_after = self.capacity / self.per_second if self.per_second else float("inf")
        self.levels = {key: level for key, level in self.levels.items() if now - level[1] < full_after}


class OncePerWindow:
    """Says yes to a key once per `seconds`: one log line per client per minute, however much it sends."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.last: dict[str, float] = {}
        self.pruned_at = clock()

    def first(self, key: str) -> bool:
        now = self.clock()
        if now - self.pruned_at >= self.seconds:
            self.pruned_at = now
            self.last = {k: when for k, when in self.last.items() if now - when < self.seconds}
        when = self.last.get(key)
        if when is not None and now - when < self.seconds:
            return False
        self.last[key] = now
        return True
