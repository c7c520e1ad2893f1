"""The versioned API under /api/v1/: customers, scores, recommendations, segments, models, imports, jobs.

Every view validates its input with a serializer, calls a selector or service, and serialises explicit fields.
Errors: {"error": "...", "code": "...", "details": {...}} (loyalty_site.api).
"""

import datetime as dt
import json

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.apis.fields import ErrorSerializer
from analytics.models import CustomerRecommendation, Job, ModelArtifact
from analytics.rfm import SEGMENTS
from analytics.selectors import (
    ORDERINGS,
    active_artifact,
    customer_by_external_id,
    customer_directory,
    customer_rfm_history,
    latest_snapshot,
    loyalty_prediction_get,
    product_search,
    recent_transactions,
    segment_summary,
)
from analytics.services.jobs import job_import_enqueue, job_train_enqueue, upload_stage
from analytics.services.recommendations import customer_recommendations_list, product_recommendations_get
from customers.csv_import import FIELDS, WHITESPACE, ImportOptions, LayoutError
from customers.exceptions import ApplicationError
from customers.models import Customer, ImportRun
from loyalty_site.api import CappedLimitOffsetPagination

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input."),
    401: OpenApiResponse(ErrorSerializer, description="No or invalid credentials."),
    404: OpenApiResponse(ErrorSerializer, description="Not found."),
}
STAFF_ERRORS = {**ERRORS, 403: OpenApiResponse(ErrorSerializer, description="Staff only.")}
UNAVAILABLE = {503: OpenApiResponse(ErrorSerializer, description="No model or recommendations yet.")}
CUSTOMER_ID = OpenApiParameter("external_id", OpenApiTypes.STR, OpenApiParameter.PATH, description="Customer id.")


def _customer_or_404(external_id: str) -> Customer:
    customer = customer_by_external_id(external_id)
    if customer is None:
        raise ApplicationError(f"Unknown customer: {external_id!r}.", code="unknown_customer")
    return customer


# ------------------------------------------------------------------------------------------------------------------
# Customers
# ------------------------------------------------------------------------------------------------------------------


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
        customer = _customer_or_404(external_id)
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
        customer = _customer_or_404(external_id)
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


# ------------------------------------------------------------------------------------------------------------------
# Products and segments
# ------------------------------------------------------------------------------------------------------------------


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


# ------------------------------------------------------------------------------------------------------------------
# Models, imports, jobs
# ------------------------------------------------------------------------------------------------------------------


class ArtifactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    is_active = serializers.BooleanField()
    algorithm = serializers.CharField()
    validation_roc_auc = serializers.FloatField(allow_null=True)
    threshold = serializers.FloatField(allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField()


class ModelListApi(APIView):
    """Trained models, newest first."""

    @extend_schema(
        tags=["Models"],
        responses={200: ArtifactSerializer(many=True), 401: ERRORS[401]},
        examples=[
            OpenApiExample(
                "Models",
                value={
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [
                        {
                            "id": 3,
                            "kind": "loyalty",
                            "status": "done",
                            "is_active": True,
                            "algorithm": "blend",
                            "validation_roc_auc": 0.769,
                            "threshold": 0.28,
                            "created_at": "2024-12-31T10:00:00Z",
                            "finished_at": "2024-12-31T10:00:20Z",
                            "error": "",
                        }
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        queryset = ModelArtifact.objects.defer("model_bytes").order_by("-created_at", "-pk")
        paginator = CappedLimitOffsetPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(ArtifactSerializer(page, many=True).data)


class ModelDetailApi(APIView):
    """One model with every metric of every candidate and baseline, curves and its data window."""

    class OutputSerializer(ArtifactSerializer):
        class Meta:
            ref_name = "ModelDetailOutput"

        description = serializers.CharField()
        params = serializers.DictField()
        feature_names = serializers.ListField(child=serializers.CharField())
        metrics = serializers.DictField()
        data_window = serializers.DictField()
        library_versions = serializers.DictField()
        sha256 = serializers.CharField()
        size_bytes = serializers.IntegerField()

    @extend_schema(
        tags=["Models"],
        responses={200: OutputSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Model",
                value={
                    "id": 3,
                    "algorithm": "blend",
                    "metrics": {"validation": {"blend": {"roc_auc": 0.769, "brier": 0.0908}}},
                    "data_window": {"cutoff": "1997-08-01", "label_window_days": 60},
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, pk: int):
        artifact = get_object_or_404(ModelArtifact.objects.defer("model_bytes"), pk=pk)
        return Response(self.OutputSerializer(artifact).data)


class JobQueuedSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    job_url = serializers.URLField(help_text="Poll this URL for the job's status.")
    import_run = serializers.IntegerField(required=False)


class ImportRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source_name = serializers.CharField()
    status = serializers.CharField()
    phase = serializers.CharField()
    sha256 = serializers.CharField()
    rows_read = serializers.IntegerField()
    rows_imported = serializers.IntegerField()
    rows_duplicate = serializers.IntegerField()
    rows_existing = serializers.IntegerField()
    rows_rejected = serializers.IntegerField()
    transactions_created = serializers.IntegerField()
    customers_created = serializers.IntegerField()
    products_created = serializers.IntegerField()
    rejected_rows = serializers.ListField(child=serializers.DictField())
    warnings = serializers.ListField(child=serializers.CharField())
    error = serializers.CharField()
    options = serializers.DictField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.FloatField(allow_null=True)


IMPORT_EXAMPLE = {
    "id": 7,
    "source_name": "purchases.csv",
    "status": "succeeded",
    "phase": "",
    "sha256": "9f2c…",
    "rows_read": 500,
    "rows_imported": 487,
    "rows_duplicate": 6,
    "rows_existing": 0,
    "rows_rejected": 7,
    "transactions_created": 189,
    "customers_created": 50,
    "products_created": 30,
    "rejected_rows": [{"line": 84, "reason": "customer_id is empty", "values": ["T0000031", "", "2024-02-11"]}],
    "warnings": [],
    "error": "",
    "options": {"delimiter": ","},
    "created_at": "2024-12-31T10:00:00Z",
    "started_at": "2024-12-31T10:00:01Z",
    "finished_at": "2024-12-31T10:00:02Z",
    "duration_seconds": 0.4,
}


class ImportRunListApi(APIView):
    """Imports, newest first; staff may POST a file to start one (multipart: `file` plus options)."""

    parser_classes = [MultiPartParser]

    class StartSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ImportRunListStart"

        file = serializers.FileField()
        delimiter = serializers.CharField(required=False, default=",", max_length=16)
        encoding = serializers.CharField(required=False, default="utf-8-sig", max_length=32)
        date_format = serializers.CharField(required=False, allow_blank=True, max_length=64)
        dayfirst = serializers.BooleanField(required=False, default=False)
        keep_duplicates = serializers.BooleanField(required=False, default=False)
        mapping = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=2000,
            help_text='Field → column as a JSON object, e.g. {"amount": "dollar_value"}. Fields: ' + ", ".join(FIELDS),
        )

        def validate_mapping(self, value: str) -> dict:
            try:
                mapping = json.loads(value or "{}")
            except ValueError as exc:
                raise serializers.ValidationError("mapping must be a JSON object.") from exc
            if not isinstance(mapping, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
            ):
                raise serializers.ValidationError("mapping must be a JSON object of field names to column names.")
            return mapping

        def validate(self, attrs):
            delimiter = attrs["delimiter"]
            delimiter = "\t" if delimiter in ("\\t", "tab") else delimiter
            try:
                attrs["options"] = ImportOptions(
                    mapping=attrs.get("mapping") or {},
                    delimiter=WHITESPACE if delimiter == WHITESPACE else delimiter,
                    encoding=attrs["encoding"],
                    date_format=attrs.get("date_format") or None,
                    dayfirst=attrs["dayfirst"],
                    keep_duplicates=attrs["keep_duplicates"],
                )
            except LayoutError as exc:
                raise serializers.ValidationError(str(exc)) from exc
            return attrs

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAdminUser()]
        return super().get_permissions()

    @extend_schema(
        tags=["Imports"],
        responses={200: ImportRunSerializer(many=True), 401: ERRORS[401]},
        examples=[OpenApiExample("Imports", value={"count": 1, "results": [IMPORT_EXAMPLE]}, response_only=True)],
    )
    def get(self, request):
        paginator = CappedLimitOffsetPagination()
        page = paginator.paginate_queryset(ImportRun.objects.order_by("-created_at", "-pk"), request, view=self)
        return paginator.get_paginated_response(ImportRunSerializer(page, many=True).data)

    @extend_schema(
        tags=["Imports"],
        request={"multipart/form-data": StartSerializer},
        responses={202: JobQueuedSerializer, **STAFF_ERRORS},
        examples=[
            OpenApiExample(
                "Queued",
                value={"job": 12, "job_url": "http://127.0.0.1:8000/api/v1/jobs/12/", "import_run": 7},
                response_only=True,
                status_codes=["202"],
            )
        ],
    )
    def post(self, request):
        data = self.StartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        staged = upload_stage(upload=data.validated_data["file"])
        job = job_import_enqueue(staged=staged, options=data.validated_data["options"], user=request.user)
        return Response(
            {
                "job": job.pk,
                "job_url": request.build_absolute_uri(reverse("api:job-detail", args=[job.pk])),
                "import_run": job.import_run_id,
            },
            status=status.HTTP_202_ACCEPTED,
        )


class ImportRunDetailApi(APIView):
    """One import: counts, the first rejected rows with reasons, warnings, timing."""

    @extend_schema(
        tags=["Imports"],
        responses={200: ImportRunSerializer, **ERRORS},
        examples=[OpenApiExample("Import", value=IMPORT_EXAMPLE, response_only=True)],
    )
    def get(self, request, pk: int):
        return Response(ImportRunSerializer(get_object_or_404(ImportRun, pk=pk)).data)


class TrainStartApi(APIView):
    """Staff: start a training run in the background."""

    permission_classes = [IsAdminUser]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TrainStartInput"

        cutoff = serializers.DateField(required=False, allow_null=True, default=None)
        label_window_days = serializers.IntegerField(
            required=False, min_value=1, max_value=730, allow_null=True, default=None
        )

        def validate_cutoff(self, value: dt.date | None) -> dt.date | None:
            if value is not None and value.year < 1900:
                raise serializers.ValidationError("cutoff is before 1900.")
            return value

    @extend_schema(
        tags=["Models"],
        request=InputSerializer,
        responses={
            202: JobQueuedSerializer,
            409: OpenApiResponse(ErrorSerializer, description="A training run is already queued or running."),
            **STAFF_ERRORS,
        },
        examples=[
            OpenApiExample("Request", value={"label_window_days": 60}, request_only=True),
            OpenApiExample(
                "Queued",
                value={"job": 13, "job_url": "http://127.0.0.1:8000/api/v1/jobs/13/"},
                response_only=True,
                status_codes=["202"],
            ),
        ],
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = job_train_enqueue(
            cutoff=data.validated_data["cutoff"],
            label_window_days=data.validated_data["label_window_days"],
            user=request.user,
        )
        return Response(
            {"job": job.pk, "job_url": request.build_absolute_uri(reverse("api:job-detail", args=[job.pk]))},
            status=status.HTTP_202_ACCEPTED,
        )


class JobDetailApi(APIView):
    """A background job: its status and progress, and what it produced (import run or model)."""

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "JobDetailOutput"

        id = serializers.IntegerField()
        kind = serializers.CharField()
        status = serializers.CharField()
        progress = serializers.CharField()
        error = serializers.CharField()
        attempts = serializers.IntegerField()
        import_run = serializers.IntegerField(source="import_run_id", allow_null=True)
        model = serializers.IntegerField(source="artifact_id", allow_null=True)
        created_at = serializers.DateTimeField()
        started_at = serializers.DateTimeField(allow_null=True)
        finished_at = serializers.DateTimeField(allow_null=True)

    @extend_schema(
        tags=["Jobs"],
        responses={200: OutputSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Running",
                value={
                    "id": 13,
                    "kind": "train",
                    "status": "running",
                    "progress": "fitting blend",
                    "error": "",
                    "attempts": 1,
                    "import_run": None,
                    "model": 4,
                    "created_at": "2024-12-31T10:00:00Z",
                    "started_at": "2024-12-31T10:00:01Z",
                    "finished_at": None,
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, pk: int):
        return Response(self.OutputSerializer(get_object_or_404(Job, pk=pk)).data)
