"""Imports: what was loaded, with rejected rows; staff upload a file to start one."""

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api import schema
from analytics.api.schema import ERRORS, STAFF_ERRORS
from analytics.api.v1.jobs import JobQueuedSerializer, job_url
from analytics.pipeline.jobs import job_import_enqueue
from customers.imports.options import FIELDS, ImportOptions, LayoutError
from customers.imports.staging import upload_stage
from customers.selectors import import_run_get, import_run_list
from loyalty_site.api.pagination import CappedLimitOffsetPagination
from loyalty_site.requests import request_user

if TYPE_CHECKING:  # the protocol APIView.get_permissions returns, defined only in djangorestframework-stubs
    from rest_framework.permissions import _SupportsHasPermission


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

        def validate_mapping(self, value: str) -> dict[str, str]:
            try:
                mapping = json.loads(value or "{}")
            except ValueError as exc:
                raise serializers.ValidationError("mapping must be a JSON object.") from exc
            if not isinstance(mapping, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
            ):
                raise serializers.ValidationError("mapping must be a JSON object of field names to column names.")
            return mapping

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            try:
                attrs["options"] = ImportOptions.build(
                    mapping=attrs.get("mapping"),
                    delimiter=attrs["delimiter"],
                    encoding=attrs["encoding"],
                    date_format=attrs.get("date_format"),
                    dayfirst=attrs["dayfirst"],
                    keep_duplicates=attrs["keep_duplicates"],
                )
            except LayoutError as exc:
                raise serializers.ValidationError(str(exc)) from exc
            return attrs

    def get_permissions(self) -> "Sequence[_SupportsHasPermission]":
        if self.request.method == "POST":
            return [IsAdminUser()]
        return super().get_permissions()

    @extend_schema(
        tags=["Imports"],
        responses={200: ImportRunSerializer(many=True), 401: ERRORS[401]},
        examples=schema.IMPORT_RUN_LIST_EXAMPLES,
    )
    def get(self, request: Request) -> Response:
        paginator = CappedLimitOffsetPagination()
        page = paginator.paginate_queryset(import_run_list(), request, view=self)
        return paginator.get_paginated_response(ImportRunSerializer(page, many=True).data)

    @extend_schema(
        tags=["Imports"],
        request={"multipart/form-data": StartSerializer},
        responses={202: JobQueuedSerializer, **STAFF_ERRORS},
        examples=schema.IMPORT_RUN_LIST_POST_EXAMPLES,
    )
    def post(self, request: Request) -> Response:
        data = self.StartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        staged = upload_stage(upload=data.validated_data["file"])
        job = job_import_enqueue(staged=staged, options=data.validated_data["options"], user=request_user(request))
        return Response(
            {
                "job": job.pk,
                "job_url": job_url(request, job),
                "import_run": job.import_run_id,
            },
            status=status.HTTP_202_ACCEPTED,
        )


class ImportRunDetailApi(APIView):
    """One import: counts, the first rejected rows with reasons, warnings, timing."""

    @extend_schema(
        tags=["Imports"],
        responses={200: ImportRunSerializer, **ERRORS},
        examples=schema.IMPORT_RUN_DETAIL_EXAMPLES,
    )
    def get(self, request: Request, pk: int) -> Response:
        run = import_run_get(pk=pk)
        if run is None:
            raise NotFound()
        return Response(ImportRunSerializer(run).data)
