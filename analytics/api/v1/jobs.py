"""Background jobs: status, progress and what a job produced."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api import schema
from analytics.api.schema import ERRORS
from analytics.models import Job
from analytics.pipeline.selectors import job_get


def job_url(request: Request, job: Job) -> str:
    """Where a client polls a queued job."""
    return request.build_absolute_uri(reverse("api:job-detail", args=[job.pk]))


class JobQueuedSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    job_url = serializers.URLField(help_text="Poll this URL for the job's status.")
    import_run = serializers.IntegerField(required=False)


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
        examples=schema.JOB_DETAIL_EXAMPLES,
    )
    def get(self, request: Request, pk: int) -> Response:
        job = job_get(pk=pk)
        if job is None:
            raise NotFound()
        return Response(self.OutputSerializer(job).data)
