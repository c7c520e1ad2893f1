"""The seed's endpoints, with their exact contracts (DESIGN.md), plus the readiness probe.

    GET  /health              -> 200 {"status": "healthy"}
    POST /predict-loyalty     {"customer_id": "1001"} -> {"customer_id": "1001", "loyalty_score": 0.95, "loyal": true}
    POST /recommend-products  {"product_name": "Apple"} -> {"product": "Apple", "recommendations": ["Milk", ...]}

Errors are {"error": "..."}: 400 bad input, 404 unknown customer or product, 503 no model yet.
"""

import logging

from django.db import connection
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.apis.fields import CustomerIdField, SeedErrorSerializer
from analytics.selectors import active_model_is_trusted, loyalty_prediction_get
from analytics.services.recommendations import ProductNotFound, product_recommendation_names
from customers.exceptions import ApplicationError

logger = logging.getLogger(__name__)

SEED_TAG = ["Seed-compatible"]
SEED_ERRORS = {
    400: OpenApiResponse(SeedErrorSerializer, description="Missing or invalid JSON or fields."),
    401: OpenApiResponse(SeedErrorSerializer, description="No or invalid credentials."),
    404: OpenApiResponse(SeedErrorSerializer, description="Unknown customer or product."),
    503: OpenApiResponse(
        SeedErrorSerializer, description="No model or recommendations yet: says which command to run."
    ),
}


class HealthApi(APIView):
    """Liveness: the process answers. Never touches the database."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    seed_compatible = True

    @extend_schema(
        tags=SEED_TAG,
        auth=[],
        responses={200: inline_serializer("Health", {"status": serializers.CharField()})},
        examples=[OpenApiExample("Healthy", value={"status": "healthy"}, response_only=True)],
    )
    def get(self, request):
        return Response({"status": "healthy"})


class ReadyzApi(APIView):
    """Readiness: the database answers and an active loyalty model passes its integrity checks."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        tags=SEED_TAG,
        auth=[],
        responses={
            200: inline_serializer(
                "Ready",
                {"status": serializers.CharField(), "checks": serializers.DictField(child=serializers.BooleanField())},
            ),
            503: OpenApiResponse(description="Not ready: the failing checks are false."),
        },
        examples=[
            OpenApiExample(
                "Ready", value={"status": "ready", "checks": {"database": True, "model": True}}, response_only=True
            ),
            OpenApiExample(
                "No model yet",
                value={"status": "not ready", "checks": {"database": True, "model": False}},
                response_only=True,
                status_codes=["503"],
            ),
        ],
    )
    def get(self, request):
        checks = {"database": False, "model": False}
        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            checks["database"] = True
            checks["model"] = active_model_is_trusted()
        except Exception as exc:  # any failure means "not ready"; the probe says which check failed
            logger.warning("readiness check failed: %s", exc)
        ready = all(checks.values())
        return Response(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status=status.HTTP_200_OK if ready else status.HTTP_503_SERVICE_UNAVAILABLE,
        )


class PredictLoyaltyApi(APIView):
    """The stored loyalty score of a customer from the active model: one indexed read."""

    seed_compatible = True

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PredictLoyaltyInput"

        customer_id = CustomerIdField()

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PredictLoyaltyOutput"

        customer_id = serializers.CharField()
        loyalty_score = serializers.FloatField(min_value=0, max_value=1)
        loyal = serializers.BooleanField()

    @extend_schema(
        tags=SEED_TAG,
        request=InputSerializer,
        responses={200: OutputSerializer, **SEED_ERRORS},
        examples=[
            OpenApiExample("Request", value={"customer_id": "1001"}, request_only=True),
            OpenApiExample(
                "Prediction", value={"customer_id": "1001", "loyalty_score": 0.95, "loyal": True}, response_only=True
            ),
            OpenApiExample(
                "Unknown customer",
                value={"error": "Unknown customer: '9999'."},
                response_only=True,
                status_codes=["404"],
            ),
            OpenApiExample(
                "No model yet",
                value={"error": "No loyalty model has been trained yet: run `python manage.py train`."},
                response_only=True,
                status_codes=["503"],
            ),
        ],
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        prediction = loyalty_prediction_get(customer_id=data.validated_data["customer_id"])
        return Response(
            {
                "customer_id": prediction.customer_id,
                "loyalty_score": round(prediction.loyalty_score, 6),
                "loyal": prediction.loyal,
            }
        )


class RecommendProductsApi(APIView):
    """Up to five products frequently bought together with a product (case- and space-insensitive name)."""

    seed_compatible = True

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RecommendProductsInput"

        product_name = serializers.CharField(max_length=255)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RecommendProductsOutput"

        product = serializers.CharField()
        recommendations = serializers.ListField(child=serializers.CharField())

    @extend_schema(
        tags=SEED_TAG,
        request=InputSerializer,
        responses={200: OutputSerializer, **SEED_ERRORS},
        examples=[
            OpenApiExample("Request", value={"product_name": "Apple"}, request_only=True),
            OpenApiExample(
                "Recommendations",
                value={"product": "Apple", "recommendations": ["Milk", "Banana", "Bread", "Eggs", "Cheese"]},
                response_only=True,
            ),
            OpenApiExample(
                "Unknown product",
                value={"error": "Unknown product: 'Chese'. Did you mean: Cheese?"},
                response_only=True,
                status_codes=["404"],
            ),
        ],
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            product, names = product_recommendation_names(name=data.validated_data["product_name"], limit=5)
        except ProductNotFound as exc:
            hint = f" Did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
            raise ApplicationError(exc.message + hint, code=exc.code) from exc
        return Response({"product": product, "recommendations": names})
