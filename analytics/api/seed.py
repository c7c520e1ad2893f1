"""The seed's endpoints, with their exact contracts (DESIGN.md), plus the readiness probe.

    GET  /health              -> 200 {"status": "healthy"}
    POST /predict-loyalty     {"customer_id": "1001"} -> {"customer_id": "1001", "loyalty_score": 0.95, "loyal": true}
    POST /recommend-products  {"product_name": "Apple"} -> {"product": "Apple", "recommendations": ["Milk", ...]}

Errors are {"error": "..."}: 400 bad input, 404 unknown customer or product, 503 no model yet.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api import schema
from analytics.api.fields import CustomerIdField
from analytics.api.schema import SEED_ERRORS, SEED_TAG
from analytics.overview.selectors import readiness_get
from analytics.recommendations.selectors import ProductNotFound, product_recommendation_names_list
from analytics.scoring.selectors import loyalty_prediction_get
from customers.exceptions import ApplicationError


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
        examples=schema.HEALTH_EXAMPLES,
    )
    def get(self, request: Request) -> Response:
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
        examples=schema.READYZ_EXAMPLES,
    )
    def get(self, request: Request) -> Response:
        checks = readiness_get()
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
        examples=schema.PREDICT_LOYALTY_POST_EXAMPLES,
    )
    def post(self, request: Request) -> Response:
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
        examples=schema.RECOMMEND_PRODUCTS_POST_EXAMPLES,
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            product, names = product_recommendation_names_list(name=data.validated_data["product_name"], limit=5)
        except ProductNotFound as exc:
            hint = f" Did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
            raise ApplicationError(exc.message + hint, code=exc.code) from exc
        return Response({"product": product, "recommendations": names})
