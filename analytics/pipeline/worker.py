"""What the task worker does with a `Job`: run its pipeline plan and record the outcome on the job."""

import datetime as dt
from pathlib import Path
from typing import NotRequired, TypedDict

from django.utils import timezone

from analytics.models import Job, ModelArtifact
from analytics.pipeline.steps import pipeline_run, training_plan, upload_plan
from customers.exceptions import ApplicationError
from customers.imports.options import ImportOptions
from customers.imports.staging import UNKNOWN_UPLOAD
from customers.models import ImportRun
from customers.progress import Progress


class JobOutcome(TypedDict):
    """What the task returns (the task backend stores it as the task's result)."""

    job: int
    status: str
    error: NotRequired[str]


def job_run(*, job_id: int) -> JobOutcome:
    """Run a job (the task body). Expected failures are recorded on the job; unexpected ones are re-raised so the
    task backend records them too."""
    job = Job.objects.select_related("import_run", "artifact").get(pk=job_id)
    if job.status == Job.Status.SUCCEEDED:
        return {"job": job.pk, "status": job.status}
    job.status, job.started_at, job.finished_at, job.error = Job.Status.RUNNING, timezone.now(), None, ""
    job.attempts += 1
    job.save(update_fields=["status", "started_at", "finished_at", "error", "attempts"])
    try:
        if job.kind == Job.Kind.IMPORT:
            _run_import(job)
        else:
            _run_training(job)
    except ApplicationError as exc:
        _finish(job, Job.Status.FAILED, error=exc.message)
        return {"job": job.pk, "status": Job.Status.FAILED, "error": exc.message}
    except BaseException as exc:
        _finish(job, Job.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    _finish(job, Job.Status.SUCCEEDED)
    return {"job": job.pk, "status": Job.Status.SUCCEEDED}


def _progress(job: Job) -> Progress:
    def report(done: int, total: int, message: str) -> None:
        Job.objects.filter(pk=job.pk).update(progress=message[:200])

    return report


def _finish(job: Job, status: str, *, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(status=status, error=error, finished_at=timezone.now(), progress=status)


def _run_import(job: Job) -> None:
    run = job.import_run
    if run is None:
        raise ApplicationError("The job has no import run.", code="job_broken")
    path = Path(job.params["path"])
    if run.status != ImportRun.Status.SUCCEEDED and not path.exists():
        raise ApplicationError(UNKNOWN_UPLOAD, code="file_missing")
    plan = upload_plan(path=path, options=ImportOptions.from_dict(run.options), run=run, user=job.created_by)
    pipeline_run(plan=plan, progress=_progress(job))
    path.unlink(missing_ok=True)


def _run_training(job: Job) -> None:
    if job.artifact_id and job.artifact and job.artifact.status == ModelArtifact.Status.STARTED:
        # A worker died while training this job: the retry takes over its slot.
        ModelArtifact.objects.filter(pk=job.artifact_id, status=ModelArtifact.Status.STARTED).update(
            status=ModelArtifact.Status.FAILED, error="Abandoned: the worker stopped; the job was retried."
        )
    cutoff = job.params.get("cutoff")
    plan = training_plan(
        cutoff=dt.date.fromisoformat(cutoff) if cutoff else None,
        label_window_days=job.params.get("label_window_days"),
        user=job.created_by,
        on_training_start=lambda started: Job.objects.filter(pk=job.pk).update(artifact=started),
    )
    result = pipeline_run(plan=plan, progress=_progress(job))
    Job.objects.filter(pk=job.pk).update(artifact=result.artifact)
