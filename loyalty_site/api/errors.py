"""One error shape for every API endpoint (the DRF exception handler).

Errors are JSON objects with an `error` message. The versioned API adds a stable machine-readable `code` and, for
invalid input, `details` per field; the seed-compatible endpoints (views with `seed_compatible = True`) keep the
seed's exact `{"error": "..."}` shape.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
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
        handled = drf_exception_handler(exc, context)
        if handled is None:
            return None  # an unexpected error: Django's 500 handling (logged, mailed to ADMINS)
        response = handled
        message, code = _message(response.data), _code(exc, response.data)
        if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
            extra = {"details": response.data}
    view = context.get("view")
    if getattr(view, "seed_compatible", False):
        response.data = {"error": message}
    else:
        response.data = {"error": message, "code": code, **extra}
    return response
