"""Customers: the directory, a profile, a score, recommendations for a customer."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.apis.v1.common import CUSTOMER_ID, ERRORS, UNAVAILABLE, customer_or_404
from analytics.models import CustomerRecommendation
from analytics.rfm import SEGMENTS
from analytics.selectors import (
    ORDERINGS,
    active_artifact,
    customer_directory,
    customer_rfm_history,
    latest_snapshot,
    loyalty_prediction_get,
    recent_transactions,
)
from analytics.services.recommendations import customer_recommendations_list
from customers.exceptions import ApplicationError
from loyalty_site.api import CappedLimitOffsetPagination


class RfmSerializer(serializers.Serializer):
    as_of = serializers.DateField(source="snapshot.as_of")
    segment = serializers.CharField()
    recency_days = serializers.IntegerField()
    frequency = serializers.IntegerField()
    monetary = serializers.DecimalField(max_digits=14, decimal_places=2)
    tenure_days = serializers.IntegerField()
    mean_gap_days = serializers.FloatField(allow_null=True)
    r_score = serializers.IntegerField()
    f_score = serializers.IntegerField()
    m_score = serializers.IntegerField()
    rfm_score = serializers.FloatField()


class CustomerListApi(APIView):
    """Customers with their latest segment, RFM values and loyalty score."""

    class FilterSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CustomerListFilter"

        search = serializers.CharField(required=False, allow_blank=True, max_length=200)
        segment = serializers.ChoiceField(choices=SEGMENTS, required=False)
        ordering = serializers.ChoiceField(choices=sorted(ORDERINGS), required=False, default="id")

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CustomerListOutput"

        customer_id = serializers.CharField(source="external_id")
        name = serializers.CharField()
        segment = serializers.CharField(allow_null=True)
        recency_days = serializers.IntegerField(allow_null=True)
        frequency = serializers.IntegerField(allow_null=True)
        monetary = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
        rfm_score = serializers.FloatField(allow_null=True)
        loyalty_score = serializers.FloatField(allow_null=True)
        loyal = serializers.BooleanField(allow_null=True)

    @extend_schema(
        tags=["Customers"],
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), **ERRORS},
        examples=[
            OpenApiExample(
                "A page of customers",
                value={
                    "count": 50,
                    "next": "http://127.0.0.1:8000/api/v1/customers/?limit=1&offset=1",
                    "previous": None,
                    "results": [
                        {
                            "customer_id": "1001",
                            "name": "",
                            "segment": "Champions",
                            "recency_days": 3,
                            "frequency": 9,
                            "monetary": "84.20",
                            "rfm_score": 0.81,
                            "loyalty_score": 0.74,
                            "loyal": True,
                        }
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = customer_directory(
            search=filters.validated_data.get("search", ""),
            segment=filters.validated_data.get("segment", ""),
            ordering=filters.validated_data["ordering"],
            snapshot=latest_snapshot(),
            artifact=active_artifact(),
        )
        paginator = CappedLimitOffsetPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class CustomerDetailApi(APIView):
    """One customer: latest RFM and segment, loyalty score, segment history, recent purchases."""

    class ItemSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CustomerDetailItem"

        product = serializers.CharField(source="product.name")
        quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
        amount = serializers.DecimalField(max_digits=14, decimal_places=2)

    class PurchaseSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CustomerDetailPurchase"

        transaction_id = serializers.CharField(source="external_id")
        date = serializers.DateField()
        total_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
        is_return = serializers.BooleanField()
        items = serializers.SerializerMethodField()

        def get_items(self, obj) -> list[dict]:
            return CustomerDetailApi.ItemSerializer(obj.items.all(), many=True).data

    class HistorySerializer(serializers.Serializer):
        class Meta:
            ref_name = "CustomerDetailHistory"

        as_of = serializers.DateField(source="snapshot.as_of")
        segment = serializers.CharField()
        rfm_score = serializers.FloatField()

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CustomerDetailOutput"

        customer_id = serializers.CharField()
        name = serializers.CharField()
        email = serializers.EmailField()
        rfm = RfmSerializer(allow_null=True)
        loyalty = serializers.DictField(allow_null=True)
        segment_history = serializers.ListField(child=serializers.DictField())
        recent_purchases = serializers.ListField(child=serializers.DictField())

    @extend_schema(
        tags=["Customers"],
        parameters=[CUSTOMER_ID],
        responses={200: OutputSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Customer",
                value={
                    "customer_id": "1001",
                    "name": "",
                    "email": "",
                    "rfm": {
                        "as_of": "2024-12-30",
                        "segment": "Loyal Customers",
                        "recency_days": 12,
                        "frequency": 6,
                        "monetary": "61.40",
                        "tenure_days": 320,
                        "mean_gap_days": 61.6,
                        "r_score": 3,
                        "f_score": 4,
                        "m_score": 4,
                        "rfm_score": 0.63,
                    },
                    "loyalty": {"loyalty_score": 0.58, "loyal": True, "model": 3, "scored_at": "2024-12-31T10:00:00Z"},
                    "segment_history": [{"as_of": "2024-12-30", "segment": "Loyal Customers", "rfm_score": 0.63}],
                    "recent_purchases": [
                        {
                            "transaction_id": "T0000180",
                            "date": "2024-12-18",
                            "total_amount": "6.47",
                            "is_return": False,
                            "items": [{"product": "Milk", "quantity": "1.000", "amount": "1.29"}],
                        }
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, external_id: str):
        customer = customer_or_404(external_id)
        history = customer_rfm_history(customer_id=customer.pk)
        snapshot = latest_snapshot()
        latest = history[0] if history and snapshot and history[0].snapshot_id == snapshot.pk else None
        try:
            prediction = loyalty_prediction_get(customer_id=customer.external_id)
            loyalty = {
                "loyalty_score": round(prediction.loyalty_score, 6),
                "loyal": prediction.loyal,
                "model": prediction.artifact_id,
                "scored_at": prediction.scored_at,
            }
        except ApplicationError:  # no model or no score yet: the profile still answers
            loyalty = None
        return Response(
            {
                "customer_id": customer.external_id,
                "name": customer.name,
                "email": customer.email,
                "rfm": RfmSerializer(latest).data if latest else None,
                "loyalty": loyalty,
                "segment_history": self.HistorySerializer(history, many=True).data,
                "recent_purchases": self.PurchaseSerializer(recent_transactions(customer=customer), many=True).data,
            }
        )


class CustomerScoreApi(APIView):
    """A customer's loyalty score from the active model."""

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CustomerScoreOutput"

        customer_id = serializers.CharField()
        loyalty_score = serializers.FloatField()
        loyal = serializers.BooleanField()
        model = serializers.IntegerField(source="artifact_id")
        scored_at = serializers.DateTimeField()

    @extend_schema(
        tags=["Customers"],
        parameters=[CUSTOMER_ID],
        responses={200: OutputSerializer, **ERRORS, **UNAVAILABLE},
        examples=[
            OpenApiExample(
                "Score",
                value={
                    "customer_id": "1001",
                    "loyalty_score": 0.58,
                    "loyal": True,
                    "model": 3,
                    "scored_at": "2024-12-31T10:00:00Z",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, external_id: str):
        return Response(self.OutputSerializer(loyalty_prediction_get(customer_id=external_id)).data)


class CustomerRecommendationsApi(APIView):
    """Products for a customer: "buy_again" (may include what they bought) or "discover" (only new to them)."""

    class FilterSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CustomerRecommendationsFilter"

        mode = serializers.ChoiceField(choices=CustomerRecommendation.Mode.values, default="buy_again")
        limit = serializers.IntegerField(min_value=1, max_value=settings.RECOMMENDATIONS_PER_CUSTOMER, default=5)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CustomerRecommendationsOutput"

        product = serializers.CharField(source="product.name")
        score = serializers.FloatField()
        source = serializers.CharField(help_text="personal, or popular for a customer without history.")

    @extend_schema(
        tags=["Customers"],
        parameters=[CUSTOMER_ID, FilterSerializer],
        responses={200: OutputSerializer(many=True), **ERRORS},
        examples=[
            OpenApiExample(
                "Buy again",
                value={
                    "customer_id": "1001",
                    "mode": "buy_again",
                    "recommendations": [{"product": "Milk", "score": 0.42, "source": "personal"}],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, external_id: str):
        customer = customer_or_404(external_id)
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = customer_recommendations_list(
            customer_id=customer.pk, mode=filters.validated_data["mode"], limit=filters.validated_data["limit"]
        )
        return Response(
            {
                "customer_id": customer.external_id,
                "mode": filters.validated_data["mode"],
                "recommendations": self.OutputSerializer(rows, many=True).data,
            }
        )
