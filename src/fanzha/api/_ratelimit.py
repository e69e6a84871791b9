"""In-process throttles: a token bucket per client address, and login lock-outs.

Both are thread-safe (the sync routes run in a thread pool) and bounded in memory: the
least recently seen keys are forgotten beyond ``max_keys``. They live in one server process;
several worker processes each keep their own (see SECURITY.md §4 and §6).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["LoginGuard", "RateLimiter", "RateLimits"]

Clock = Callable[[], float]
V = TypeVar("V")


class _Lru(Generic[V]):
    """An ordered dict that forgets its oldest keys beyond ``max_keys`` (caller holds a lock)."""

    def __init__(self, max_keys: int) -> None:
        self.items: OrderedDict[str, V] = OrderedDict()
        self.max_keys = max_keys

    def get(self, key: str) -> V | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: str, value: V) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.max_keys:
            self.items.popitem(last=False)

    def pop(self, key: str) -> None:
        self.items.pop(key, None)


class RateLimiter:
    """A token bucket per key: ``burst`` requests at once, refilled at ``per_minute``."""

    def __init__(
        self,
        *,
        burst: int,
        per_minute: float,
        max_keys: int = 100_000,
        clock: Clock = time.monotonic,
    ) -> None:
        self.burst = burst
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: _Lru[tuple[float, float]] = _Lru(max_keys)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets.items)

    def acquire(self, key: str) -> int:
        """Take one token for ``key``: 0 if granted, else the whole seconds until one is free.

        A limiter with ``burst`` or ``per_minute`` of 0 or less grants everything.
        """
        if self.burst <= 0 or self.rate <= 0:
            return 0
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(key) or (float(self.burst), now)
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self._buckets.put(key, (tokens - 1.0, now))
                return 0
            self._buckets.put(key, (tokens, now))
            return max(1, math.ceil((1.0 - tokens) / self.rate))


@dataclass(frozen=True, slots=True)
class RateLimits:
    """The app's per-address buckets: anonymous screening and reports, and login attempts."""

    public: RateLimiter
    login: RateLimiter


@dataclass(slots=True)
class _Failures:
    count: int
    last: float
    locked_until: float


class LoginGuard:
    """Failed logins per account and per address; too many lock the key for a while.

    From the ``max_failures``-th failure in a row on an account (``address_max_failures`` from
    one address) the key is locked for ``base_seconds``, doubled with each further failure, at
    most ``lock_seconds``. Failures older than ``lock_seconds`` are forgotten; a successful
    login clears its account.
    """

    def __init__(
        self,
        *,
        max_failures: int = 5,
        address_max_failures: int = 20,
        base_seconds: float = 30.0,
        lock_seconds: float = 900.0,
        max_keys: int = 100_000,
        clock: Clock = time.monotonic,
    ) -> None:
        self.thresholds = {"user": max_failures, "addr": address_max_failures}
        self.base_seconds = base_seconds
        self.lock_seconds = lock_seconds
        self.clock = clock
        self._failures: _Lru[_Failures] = _Lru(max_keys)
        self._lock = threading.Lock()

    @staticmethod
    def _keys(username: str, address: str) -> tuple[str, str]:
        return f"user:{username.strip().casefold()}", f"addr:{address}"

    def locked_for(self, username: str, address: str) -> int:
        """Whole seconds until ``username`` from ``address`` may try again (0: now)."""
        with self._lock:
            now = self.clock()
            waits = [
                entry.locked_until - now
                for key in self._keys(username, address)
                if (entry := self._failures.get(key)) is not None
            ]
        longest = max(waits, default=0.0)
        return math.ceil(longest) if longest > 0 else 0

    def failed(self, username: str, address: str) -> None:
        """Count a failed login of ``username`` from ``address``."""
        with self._lock:
            now = self.clock()
            for key in self._keys(username, address):
                entry = self._failures.get(key)
                if entry is None or now - entry.last > self.lock_seconds:
                    entry = _Failures(0, now, now)
                entry.count += 1
                entry.last = now
                over = entry.count - self.thresholds[key.split(":", 1)[0]]
                if over >= 0:
                    lock = min(self.lock_seconds, self.base_seconds * 2.0 ** min(over, 32))
                    entry.locked_until = now + lock
                self._failures.put(key, entry)

    def succeeded(self, username: str) -> None:
        """Clear the failures of ``username`` after a successful login."""
        with self._lock:
            self._failures.pop(self._keys(username, "")[0])
