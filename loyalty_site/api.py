"""API plumbing shared by every endpoint: one error shape, pagination.

Errors are JSON objects with an `error` message. The versioned API adds a stable machine-readable `code` and, for
invalid input, `details` per field; the seed-compatible endpoints (views with `seed_compatible = True`) keep the
seed's exact `{"error": "..."}` shape.
"""

import threading
import time
from typing import ClassVar

from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from customers.exceptions import ApplicationError

DATABASE_UNAVAILABLE = "The database is unavailable right now; try again shortly."

# ApplicationError codes that are not plain client errors (400).
APPLICATION_STATUS = {
    "no_model": status.HTTP_503_SERVICE_UNAVAILABLE,
    "artifact_refused": status.HTTP_503_SERVICE_UNAVAILABLE,
    "no_recommendations": status.HTTP_503_SERVICE_UNAVAILABLE,
    "no_data": status.HTTP_503_SERVICE_UNAVAILABLE,
    "unknown_customer": status.HTTP_404_NOT_FOUND,
    "unknown_product": status.HTTP_404_NOT_FOUND,
    "no_score": status.HTTP_404_NOT_FOUND,
    "training_in_progress": status.HTTP_409_CONFLICT,
}


def _message(data) -> str:
    """One readable sentence from DRF's error data (a string, a list, or a dict of field errors)."""
    if isinstance(data, dict):
        if "detail" in data and len(data) == 1:
            return _message(data["detail"])
        return "; ".join(
            f"{field}: {_message(value)}" if field != "non_field_errors" else _message(value)
            for field, value in data.items()
        )
    if isinstance(data, list):
        return " ".join(_message(item) for item in data)
    return str(data)


def _code(exc: Exception, data) -> str:
    if isinstance(exc, ApplicationError):
        return exc.code
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    return codes if isinstance(codes, str) else getattr(exc, "default_code", "error")


def exception_handler(exc: Exception, context: dict) -> Response | None:
    extra: dict = {}
    if isinstance(exc, ApplicationError):
        response = Response(status=APPLICATION_STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST))
        message, code, extra = exc.message, exc.code, exc.extra
    elif isinstance(exc, (OperationalError, InterfaceError)) or type(exc) is DatabaseError:
        response = Response(status=status.HTTP_503_SERVICE_UNAVAILABLE)
        message, code = DATABASE_UNAVAILABLE, "database_unavailable"
    elif isinstance(exc, RequestDataTooBig):
        response = Response(status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        message, code = "The request body is too large.", "too_large"
    else:
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(as_serializer_error(exc))
        elif isinstance(exc, Http404):
            exc = exceptions.NotFound()
        elif isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied()
        response = drf_exception_handler(exc, context)
        if response is None:
            return None  # an unexpected error: Django's 500 handling (logged, mailed to ADMINS)
        message, code = _message(response.data), _code(exc, response.data)
        if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
            extra = {"details": response.data}
    view = context.get("view")
    if getattr(view, "seed_compatible", False):
        response.data = {"error": message}
    else:
        response.data = {"error": message, "code": code, **extra}
    return response


class CappedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=&offset=`, 25 by default and never more than 200 rows per page."""

    default_limit = 25
    max_limit = 200
    max_offset = 1_000_000_000  # beyond any real list; keeps absurd offsets from overflowing SQL integers

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), self.max_offset)


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
        allowed, period = _parse_rate(rate)
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
