"""Models, imports and background jobs: what was trained and loaded, and starting more (staff)."""

import datetime as dt
import json

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.apis.fields import ErrorSerializer
from analytics.apis.v1.common import ERRORS, STAFF_ERRORS
from analytics.models import Job, ModelArtifact
from analytics.services.jobs import job_import_enqueue, job_train_enqueue, upload_stage
from customers.csv_import import FIELDS, WHITESPACE, ImportOptions, LayoutError
from customers.models import ImportRun
from loyalty_site.api import CappedLimitOffsetPagination


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
