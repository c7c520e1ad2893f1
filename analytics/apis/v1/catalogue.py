"""Products and segments: bought together, autocomplete, the segment summary."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.apis.v1.common import ERRORS, UNAVAILABLE
from analytics.selectors import (
    active_artifact,
    latest_snapshot,
    product_search,
    segment_summary,
)
from analytics.services.recommendations import product_recommendations_get


class ProductRecommendationsApi(APIView):
    """Products frequently bought together with a product, with the evidence behind each."""

    class FilterSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ProductRecommendationsFilter"

        name = serializers.CharField(max_length=255, help_text="Product name, any case and spacing.")
        limit = serializers.IntegerField(min_value=1, max_value=settings.RECOMMENDATIONS_PER_PRODUCT, default=5)

    class RowSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ProductRecommendationsRow"

        product = serializers.CharField(source="recommended.name")
        rank = serializers.IntegerField()
        score = serializers.FloatField()
        support = serializers.FloatField()
        confidence = serializers.FloatField()
        lift = serializers.FloatField()
        source = serializers.CharField(help_text="basket, customer (bought by the same customers) or popular.")

    @extend_schema(
        tags=["Products"],
        parameters=[FilterSerializer],
        responses={200: RowSerializer(many=True), **ERRORS, **UNAVAILABLE},
        examples=[
            OpenApiExample(
                "Bought together",
                value={
                    "product": "Pasta",
                    "recommendations": [
                        {
                            "product": "Tomato Sauce",
                            "rank": 1,
                            "score": 12.5,
                            "support": 0.041,
                            "confidence": 0.62,
                            "lift": 9.8,
                            "source": "basket",
                        }
                    ],
                },
                response_only=True,
            ),
            OpenApiExample(
                "Unknown product",
                value={
                    "error": "Unknown product: 'Chese'.",
                    "code": "unknown_product",
                    "suggestions": ["Cheese"],
                },
                response_only=True,
                status_codes=["404"],
            ),
        ],
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        product, rows = product_recommendations_get(
            name=filters.validated_data["name"], limit=filters.validated_data["limit"]
        )
        return Response({"product": product.name, "recommendations": self.RowSerializer(rows, many=True).data})


class ProductSearchApi(APIView):
    """Product names for autocomplete: names starting with, then containing, the query."""

    class FilterSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ProductSearchFilter"

        q = serializers.CharField(max_length=255)
        limit = serializers.IntegerField(min_value=1, max_value=50, default=10)

    @extend_schema(
        tags=["Products"],
        parameters=[FilterSerializer],
        responses={200: serializers.ListSerializer(child=serializers.CharField()), **ERRORS},
        examples=[OpenApiExample("Names", value={"results": ["Milk", "Oat Milk"]}, response_only=True)],
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return Response(
            {"results": product_search(query=filters.validated_data["q"], limit=filters.validated_data["limit"])}
        )


class SegmentSummaryApi(APIView):
    """Customers per segment of the latest RFM snapshot, with mean recency, frequency, spend and loyalty."""

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SegmentSummaryOutput"

        segment = serializers.CharField()
        description = serializers.CharField()
        customers = serializers.IntegerField()
        share = serializers.FloatField()
        avg_recency_days = serializers.FloatField(allow_null=True)
        avg_frequency = serializers.FloatField(allow_null=True)
        avg_monetary = serializers.FloatField(allow_null=True)
        avg_loyalty_score = serializers.FloatField(allow_null=True)

    @extend_schema(
        tags=["Segments"],
        responses={200: OutputSerializer(many=True), 401: ERRORS[401]},
        examples=[
            OpenApiExample(
                "Segments",
                value={
                    "as_of": "2024-12-30",
                    "customers": 50,
                    "segments": [
                        {
                            "segment": "Champions",
                            "description": "Bought recently, buy often and spend the most.",
                            "customers": 11,
                            "share": 0.22,
                            "avg_recency_days": 9.5,
                            "avg_frequency": 6.1,
                            "avg_monetary": 58.3,
                            "avg_loyalty_score": 0.41,
                        }
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        snapshot = latest_snapshot()
        return Response(
            {
                "as_of": snapshot.as_of if snapshot else None,
                "customers": snapshot.customers if snapshot else 0,
                "segments": self.OutputSerializer(
                    segment_summary(snapshot=snapshot, artifact=active_artifact()), many=True
                ).data,
            }
        )
