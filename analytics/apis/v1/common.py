"""Pieces shared by the /api/v1 views: documented error responses, the customer lookup."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from analytics.apis.fields import ErrorSerializer
from analytics.selectors import (
    customer_by_external_id,
)
from customers.exceptions import ApplicationError
from customers.models import Customer

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input."),
    401: OpenApiResponse(ErrorSerializer, description="No or invalid credentials."),
    404: OpenApiResponse(ErrorSerializer, description="Not found."),
}
STAFF_ERRORS = {**ERRORS, 403: OpenApiResponse(ErrorSerializer, description="Staff only.")}
UNAVAILABLE = {503: OpenApiResponse(ErrorSerializer, description="No model or recommendations yet.")}
CUSTOMER_ID = OpenApiParameter("external_id", OpenApiTypes.STR, OpenApiParameter.PATH, description="Customer id.")


def customer_or_404(external_id: str) -> Customer:
    customer = customer_by_external_id(external_id)
    if customer is None:
        raise ApplicationError(f"Unknown customer: {external_id!r}.", code="unknown_customer")
    return customer
