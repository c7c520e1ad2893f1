"""Guards in front of every view: request size limits and a friendly answer when the database is down."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

JSON_PATHS = ("/api/", "/predict-loyalty", "/recommend-products", "/readyz", "/health")


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(JSON_PATHS) or "application/json" in request.headers.get("Accept", "")


class RequestSizeLimitMiddleware:
    """Refuse oversized bodies from their Content-Length, before anything reads them: 413 with a clear message.

    File uploads (multipart) may be as large as IMPORT_MAX_UPLOAD_BYTES; every other body as large as
    DATA_UPLOAD_MAX_MEMORY_SIZE. Django enforces the latter too, but only when the body is read through
    `request.body`/`POST`, and would answer an HTML 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.content_type == "multipart/form-data"
        limit = settings.IMPORT_MAX_UPLOAD_BYTES + 64 * 1024 if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            message = (
                f"The file is too large ({length / 1e6:.1f} MB); the limit is {limit / 1e6:.0f} MB."
                if multipart
                else f"The request body is too large ({length:,} bytes); the limit is {limit:,} bytes."
            )
            if wants_json(request):
                return JsonResponse({"error": message, "code": "too_large"}, status=413)
            return render(request, "errors/413.html", {"message": message}, status=413)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database outage becomes a 503 that says so — JSON for the API, a friendly page for people — instead of a
    500. `/health` never touches the database, so it stays a liveness check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("database unavailable: %s", exception)
        message = "The database is unavailable right now; try again shortly."
        if wants_json(request):
            return JsonResponse({"error": message, "code": "database_unavailable"}, status=503)
        response = render(request, "errors/503.html", {"message": message}, status=503)
        response["Retry-After"] = "30"
        return response
