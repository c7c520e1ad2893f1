"""Products and segments: bought together, autocomplete, the segment summary."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api import schema
from analytics.api.schema import ERRORS, UNAVAILABLE
from analytics.recommendations.selectors import product_recommendations_get
from analytics.rfm.selectors import rfm_snapshot_latest_get, segment_summary_list
from analytics.scoring.selectors import model_artifact_active_get
from customers.selectors import product_names_search


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
        # A field named like Field.source (the API's key); DRF's metaclass moves declared fields off the class.
        source = serializers.CharField(  # type: ignore[assignment]
            help_text="basket, customer (bought by the same customers) or popular."
        )

    @extend_schema(
        tags=["Products"],
        parameters=[FilterSerializer],
        responses={200: RowSerializer(many=True), **ERRORS, **UNAVAILABLE},
        examples=schema.PRODUCT_RECOMMENDATIONS_EXAMPLES,
    )
    def get(self, request: Request) -> Response:
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
        examples=schema.PRODUCT_SEARCH_EXAMPLES,
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return Response(
            {"results": product_names_search(query=filters.validated_data["q"], limit=filters.validated_data["limit"])}
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
        examples=schema.SEGMENT_SUMMARY_EXAMPLES,
    )
    def get(self, request: Request) -> Response:
        snapshot = rfm_snapshot_latest_get()
        return Response(
            {
                "as_of": snapshot.as_of if snapshot else None,
                "customers": snapshot.customers if snapshot else 0,
                "segments": self.OutputSerializer(
                    segment_summary_list(snapshot=snapshot, artifact=model_artifact_active_get()), many=True
                ).data,
            }
        )
