"""Reads of background jobs."""

from analytics.models import Job
from customers.models import ImportRun


def job_get(*, pk: int) -> Job | None:
    return Job.objects.select_related("import_run", "artifact").filter(pk=pk).first()


def training_job_pending_get() -> Job | None:
    """A training job that is queued or running, if any."""
    return Job.objects.filter(kind=Job.Kind.TRAIN, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()


def import_run_job_get(*, run: ImportRun) -> Job | None:
    """The job that runs (or ran) an import."""
    return Job.objects.filter(import_run=run).order_by("-created_at", "-pk").first()
