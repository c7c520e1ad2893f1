"""Models: every training run with its metrics; staff start a new one."""

import datetime as dt

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api import schema
from analytics.api.fields import ErrorSerializer
from analytics.api.schema import ERRORS, STAFF_ERRORS
from analytics.api.v1.jobs import JobQueuedSerializer, job_url
from analytics.pipeline.jobs import job_train_enqueue
from analytics.scoring.selectors import model_artifact_get, model_artifact_list
from loyalty_site.api.pagination import CappedLimitOffsetPagination
from loyalty_site.requests import request_user


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
        examples=schema.MODEL_LIST_EXAMPLES,
    )
    def get(self, request: Request) -> Response:
        queryset = model_artifact_list()
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
        examples=schema.MODEL_DETAIL_EXAMPLES,
    )
    def get(self, request: Request, pk: int) -> Response:
        artifact = model_artifact_get(pk=pk)
        if artifact is None:
            raise NotFound()
        return Response(self.OutputSerializer(artifact).data)


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
        examples=schema.TRAIN_START_POST_EXAMPLES,
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = job_train_enqueue(
            cutoff=data.validated_data["cutoff"],
            label_window_days=data.validated_data["label_window_days"],
            user=request_user(request),
        )
        return Response(
            {"job": job.pk, "job_url": job_url(request, job)},
            status=status.HTTP_202_ACCEPTED,
        )
