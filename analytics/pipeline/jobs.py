"""Long operations started from the web or the API: an import of an uploaded file, a training run.

The request stores what the job needs (the staged file, the options) and a `Job` row, and enqueues the task
after the transaction commits; the task worker (`manage.py db_worker`) runs it (analytics.pipeline.worker).
Running a job twice is safe: a finished job is not run again, an import that already succeeded adds nothing, and
a training run that a killed worker left behind is marked abandoned before the retry starts.
"""

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from analytics.models import Job
from analytics.pipeline.selectors import training_job_pending_get
from analytics.pipeline.tasks import run_job
from analytics.scoring.selectors import model_artifact_running_get
from customers.exceptions import ApplicationError
from customers.imports.options import ImportOptions
from customers.imports.services import import_run_create
from customers.imports.staging import StagedFile


def _enqueue(job: Job) -> None:
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


@transaction.atomic
def job_import_enqueue(*, staged: StagedFile, options: ImportOptions, user: User | None = None) -> Job:
    """Queue the import of a staged file (then RFM, scores and recommendations are refreshed)."""
    run = import_run_create(source_name=staged.name, options=options, created_by=user)
    job = Job.objects.create(kind=Job.Kind.IMPORT, params={"path": str(staged.path)}, import_run=run, created_by=user)
    transaction.on_commit(lambda: _enqueue(job))
    return job


@transaction.atomic
def job_train_enqueue(
    *, cutoff: dt.date | None = None, label_window_days: int | None = None, user: User | None = None
) -> Job:
    """Queue a training run; refused while another one is queued or running."""
    if training_job_pending_get() is not None or model_artifact_running_get() is not None:
        raise ApplicationError(
            "A training run is already queued or running; wait for it to finish.", code="training_in_progress"
        )
    job = Job.objects.create(
        kind=Job.Kind.TRAIN,
        params={"cutoff": cutoff.isoformat() if cutoff else None, "label_window_days": label_window_days},
        created_by=user,
    )
    transaction.on_commit(lambda: _enqueue(job))
    return job


def job_retry(*, job_id: int) -> Job:
    """Queue a failed or interrupted job again (its work is idempotent)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise ApplicationError(f"No job #{job_id}.", code="unknown_job")
    if job.status == Job.Status.SUCCEEDED:
        raise ApplicationError(f"Job #{job.pk} already succeeded.", code="job_done")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, error="", progress="queued for retry")
    _enqueue(job)
    job.refresh_from_db()
    return job
