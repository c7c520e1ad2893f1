"""Long operations started from the web: an import of an uploaded file, a training run.

The request stores what the job needs (the uploaded file, the options) and a `Job` row, and enqueues the task
after the transaction commits; the task worker (`manage.py db_worker`) runs `job_run`. Running a job twice is
safe: a finished job is not run again, an import that already succeeded adds nothing, and a training run that a
killed worker left behind is marked abandoned before the retry starts.
"""

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from analytics.models import Job, ModelArtifact
from analytics.selectors import active_artifact
from analytics.services.recommendations import recommendations_build
from analytics.services.rfm import rfm_snapshot_compute
from analytics.services.training import loyalty_model_train, loyalty_scores_refresh
from customers.csv_import import ImportOptions
from customers.exceptions import ApplicationError
from customers.models import ImportRun
from customers.services.imports import import_run_create, transactions_import_csv

logger = logging.getLogger(__name__)

UPLOAD_DIR = "imports"
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _enqueue(job: Job) -> None:
    from analytics.tasks import run_job  # the task module imports this one

    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def upload_too_large_message(size: int) -> str | None:
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        return f"The file is too large ({size / 1e6:.1f} MB); the limit is {limit / 1e6:.0f} MB."
    return None


@dataclass(frozen=True)
class StagedFile:
    """An uploaded file kept on disk until its import is started (the upload page previews it first)."""

    token: str
    name: str
    path: Path
    size: int


def _staging_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_stage(*, upload: UploadedFile) -> StagedFile:
    """Store an upload under an unguessable token; refuse empty and oversized files."""
    too_large = upload_too_large_message(upload.size or 0)
    if too_large:
        raise ApplicationError(too_large, code="too_large")
    if not upload.size:
        raise ApplicationError("The file is empty.", code="empty_file")
    name = get_valid_filename(Path(upload.name or "upload.csv").name)[:100] or "upload.csv"
    token = uuid.uuid4().hex
    path = _staging_dir() / f"{token}-{name}"
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return StagedFile(token=token, name=name, path=path, size=path.stat().st_size)


def staged_file_get(*, token: str) -> StagedFile:
    if not _TOKEN.fullmatch(token or ""):
        raise ApplicationError("Unknown upload.", code="unknown_upload")
    matches = list(_staging_dir().glob(f"{token}-*"))
    if not matches:
        raise ApplicationError("The uploaded file is no longer available; upload it again.", code="unknown_upload")
    path = matches[0]
    return StagedFile(token=token, name=path.name[len(token) + 1 :], path=path, size=path.stat().st_size)


@transaction.atomic
def job_import_enqueue(*, staged: StagedFile, options: ImportOptions, user=None) -> Job:
    """Queue the import of a staged file (then RFM, scores and recommendations are refreshed)."""
    run = import_run_create(source_name=staged.name, options=options, created_by=user)
    job = Job.objects.create(
        kind=Job.Kind.IMPORT, params={"path": str(staged.path), "refresh": True}, import_run=run, created_by=user
    )
    transaction.on_commit(lambda: _enqueue(job))
    return job


@transaction.atomic
def job_train_enqueue(*, cutoff=None, label_window_days: int | None = None, user=None) -> Job:
    """Queue a training run; refused while another one is queued or running."""
    busy = Job.objects.filter(kind=Job.Kind.TRAIN, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
    if busy or ModelArtifact.objects.filter(status=ModelArtifact.Status.STARTED).exists():
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


def _progress(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(progress=message[:200])


def job_run(*, job_id: int) -> dict:
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


def _finish(job: Job, status: str, *, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(status=status, error=error, finished_at=timezone.now(), progress=status)


def _run_import(job: Job) -> None:
    run = job.import_run
    path = Path(job.params["path"])
    if run.status != ImportRun.Status.SUCCEEDED:
        if not path.exists():
            raise ApplicationError("The uploaded file is no longer available; upload it again.", code="file_missing")
        _progress(job, "importing")
        transactions_import_csv(path=path, options=ImportOptions.from_dict(run.options), run=run)
    if job.params.get("refresh"):
        _progress(job, "computing RFM")
        rfm_snapshot_compute()
        if active_artifact() is not None:
            _progress(job, "scoring customers with the active model")
            loyalty_scores_refresh()
        _progress(job, "rebuilding recommendations")
        recommendations_build()
    path.unlink(missing_ok=True)


def _run_training(job: Job) -> None:
    if job.artifact_id and job.artifact.status == ModelArtifact.Status.STARTED:
        # A worker died while training this job: the retry takes over its slot.
        ModelArtifact.objects.filter(pk=job.artifact_id, status=ModelArtifact.Status.STARTED).update(
            status=ModelArtifact.Status.FAILED, error="Abandoned: the worker stopped; the job was retried."
        )
    cutoff = job.params.get("cutoff")
    artifact = loyalty_model_train(
        cutoff=dt.date.fromisoformat(cutoff) if cutoff else None,
        label_window_days=job.params.get("label_window_days"),
        created_by=job.created_by,
        progress=lambda message: _progress(job, message),
        on_start=lambda started: Job.objects.filter(pk=job.pk).update(artifact=started),
    )
    Job.objects.filter(pk=job.pk).update(artifact=artifact)
    _progress(job, "computing RFM")
    rfm_snapshot_compute()


def job_retry(*, job_id: int) -> Job:
    """Queue a failed or interrupted job again (its work is idempotent)."""
    job = Job.objects.get(pk=job_id)
    if job.status == Job.Status.SUCCEEDED:
        raise ApplicationError(f"Job #{job.pk} already succeeded.", code="job_done")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, error="", progress="queued for retry")
    _enqueue(job)
    job.refresh_from_db()
    return job
