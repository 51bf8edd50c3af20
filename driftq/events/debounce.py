"""Bursts coalesce: the first event for a resource schedules its scan ``delay`` seconds
later and opens a window of the same length; events for that resource inside the window
are covered by the scan already scheduled (it runs after all of them), so 500 events in a
minute become a handful of scans.

Windows live in Redis (``SET NX PX``: one key per resource, gone when its window closes)
so every receiver and consumer of a cluster shares them; ``MemoryDebouncer`` does the same
in one process.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Protocol

KEY_PREFIX = "driftq:events:window:"
_MAX_KEY = 512
_MEMORY_LIMIT = 100_000  # windows one process tracks at most (expired ones are dropped)


class Debouncer(Protocol):
    def admit(self, key: str, window_s: float) -> bool:
        """True: no window is open for ``key``; one is now, and the caller schedules."""


class RedisDebouncer:
    def __init__(self, client: Any) -> None:
        self.client = client

    def admit(self, key: str, window_s: float) -> bool:
        ms = max(1, int(window_s * 1000))
        return bool(self.client.set(KEY_PREFIX + key[:_MAX_KEY], b"1", nx=True, px=ms))


class MemoryDebouncer:
    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def admit(self, key: str, window_s: float) -> bool:
        now = time.monotonic()
        with self._lock:
            if self._until.get(key, 0.0) > now:
                return False
            if len(self._until) >= _MEMORY_LIMIT:
                self._until = {k: t for k, t in self._until.items() if t > now}
            self._until[key] = now + window_s
            return True
