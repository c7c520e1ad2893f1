"""Customers: the directory, a profile, a score, recommendations for a customer."""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api import schema
from analytics.api.schema import CUSTOMER_ID, ERRORS, UNAVAILABLE
from analytics.models import CustomerRecommendation
from analytics.profiles.selectors import ORDERINGS, customer_directory_list, customer_profile_get
from analytics.recommendations.selectors import customer_recommendations_list
from analytics.rfm.maths import SEGMENTS
from analytics.rfm.selectors import rfm_snapshot_latest_get
from analytics.scoring.selectors import loyalty_prediction_get, model_artifact_active_get
from customers.exceptions import ApplicationError
from customers.models import Customer
from customers.selectors import customer_get
from loyalty_site.api.pagination import CappedLimitOffsetPagination


def customer_or_404(external_id: str) -> Customer:
    customer = customer_get(external_id=external_id)
    if customer is None:
        raise ApplicationError(f"Unknown customer: {external_id!r}.", code="unknown_customer")
    return customer


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
        examples=schema.CUSTOMER_LIST_EXAMPLES,
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = customer_directory_list(
            search=filters.validated_data.get("search", ""),
            segment=filters.validated_data.get("segment", ""),
            ordering=filters.validated_data["ordering"],
            snapshot=rfm_snapshot_latest_get(),
            artifact=model_artifact_active_get(),
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

        def get_items(self, obj: Any) -> list[dict[str, Any]]:
            # many=True makes a ListSerializer whose data is a ReturnList; the stubs type it as ReturnDict.
            return CustomerDetailApi.ItemSerializer(obj.items.all(), many=True).data  # type: ignore[return-value]

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
        examples=schema.CUSTOMER_DETAIL_EXAMPLES,
    )
    def get(self, request: Request, external_id: str) -> Response:
        profile = customer_profile_get(external_id=external_id)
        if profile is None:
            raise ApplicationError(f"Unknown customer: {external_id!r}.", code="unknown_customer")
        prediction = profile.prediction  # None: no model or no score yet, and the profile still answers
        customer = profile.customer
        return Response(
            {
                "customer_id": customer.external_id,
                "name": customer.name,
                "email": customer.email,
                "rfm": RfmSerializer(profile.rfm).data if profile.rfm else None,
                "loyalty": {
                    "loyalty_score": round(prediction.loyalty_score, 6),
                    "loyal": prediction.loyal,
                    "model": prediction.artifact_id,
                    "scored_at": prediction.scored_at,
                }
                if prediction
                else None,
                "segment_history": self.HistorySerializer(profile.history, many=True).data,
                "recent_purchases": self.PurchaseSerializer(profile.transactions, many=True).data,
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
        examples=schema.CUSTOMER_SCORE_EXAMPLES,
    )
    def get(self, request: Request, external_id: str) -> Response:
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
        # A field named like Field.source (the API's key); DRF's metaclass moves declared fields off the class.
        source = serializers.CharField(  # type: ignore[assignment]
            help_text="personal, or popular for a customer without history."
        )

    @extend_schema(
        tags=["Customers"],
        parameters=[CUSTOMER_ID, FilterSerializer],
        responses={200: OutputSerializer(many=True), **ERRORS},
        examples=schema.CUSTOMER_RECOMMENDATIONS_EXAMPLES,
    )
    def get(self, request: Request, external_id: str) -> Response:
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
