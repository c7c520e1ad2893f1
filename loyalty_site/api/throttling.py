"""API throttling on the shared cache (the database cache by default, Redis when REDIS_URL is set)."""

import threading
import time
from typing import ClassVar

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle


class WindowRateThrottle(BaseThrottle):
    """A fixed-window request counter per client, shared by all workers through the cache, counted locally in
    between.

    DRF's SimpleRateThrottle keeps every request's timestamp in one cache entry: at an API client's thousands of
    requests per minute, each request reads and rewrites a list of thousands of floats, and with the database
    cache that is a write and a commit per request. Here each worker counts in memory and adds its count to the
    shared per-window counter every `allowed // 50` requests, at least once a second, and before refusing a
    request. The limit therefore holds to within a few percent (up to twice the rate across a window
    boundary, as with any fixed window), for a shared-cache write per 2% of the allowance instead of per request.
    """

    scope = ""
    _local: ClassVar[dict[str, list]] = {}  # key -> [pending, last shared count, last flush time]
    _lock = threading.Lock()

    def get_ident_key(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        ident = self.get_ident_key(request)
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if ident is None or not rate:
            return True
        # The stubs type the rates as numbers; DRF's rates are "count/period" strings.
        allowed, period = _parse_rate(rate)  # type: ignore[arg-type]
        now = time.time()
        key = f"throttle:{self.scope}:{ident}:{int(now // period)}"
        self.wait_seconds = period - (now % period)
        with self._lock:
            state = self._local.setdefault(key, [0, 0, now])
            state[0] += 1
            flush = state[0] >= max(1, allowed // 50) or now - state[2] >= 1.0 or state[0] + state[1] > allowed
            pending = state[0] if flush else 0
            state[0] -= pending
        if flush:
            shared = _add_to_window(key, pending, period)
            with self._lock:
                state[1], state[2] = shared, now
                if len(self._local) > 10_000:  # forget finished windows
                    current = key.rsplit(":", 1)[1]
                    for old in [k for k in self._local if not k.endswith(current)]:
                        del self._local[old]
        return state[0] + state[1] <= allowed

    def wait(self) -> float:
        return max(1.0, self.wait_seconds)


def _add_to_window(key: str, count: int, period: int) -> int:
    if cache.add(key, count, period + 1):
        return count
    try:
        return cache.incr(key, count)
    except ValueError:  # expired in between: the window starts again
        cache.add(key, count, period + 1)
        return count


class UserWindowThrottle(WindowRateThrottle):
    scope = "user"

    def get_ident_key(self, request) -> str | None:
        return f"u{request.user.pk}" if request.user and request.user.is_authenticated else None


class AnonWindowThrottle(WindowRateThrottle):
    scope = "anon"

    def get_ident_key(self, request) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return f"a{self.get_ident(request)}"


def _parse_rate(rate: str) -> tuple[int, int]:
    count, _, unit = rate.partition("/")
    return int(count), {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit[0]]
