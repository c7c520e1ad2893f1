"""Queuing background jobs: what a request records before the task runs, refusals, retries (no task is run)."""

import pytest

from analytics.models import Job, ModelArtifact
from analytics.pipeline import jobs
from customers.exceptions import ApplicationError
from customers.imports.options import ImportOptions
from customers.imports.staging import StagedFile
from customers.models import ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """The ids of the jobs handed to the task backend."""
    sent: list[int] = []
    monkeypatch.setattr(jobs, "_enqueue", lambda job: sent.append(job.pk))
    return sent


def test_an_import_job_records_a_queued_run_and_is_sent_after_commit(
    tmp_path, enqueued, django_capture_on_commit_callbacks
):
    """The job and its import run are stored as queued; the task is sent only once the transaction commits."""
    staged = StagedFile(token="0" * 32, name="shop.csv", path=tmp_path / "shop.csv", size=10)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.job_import_enqueue(staged=staged, options=ImportOptions(delimiter=";"))
    assert enqueued == []
    run = ImportRun.objects.get()
    assert (job.kind, job.status, job.import_run, job.params) == ("import", "queued", run, {"path": str(staged.path)})
    assert (run.source_name, run.status, run.options["delimiter"]) == ("shop.csv", "queued", ";")
    for callback in callbacks:
        callback()
    assert enqueued == [job.pk]


def test_training_is_refused_while_another_is_queued_or_running(enqueued):
    """A training job is refused while one is queued, and while a model is being trained."""
    queued = jobs.job_train_enqueue(label_window_days=30)
    assert queued.params == {"cutoff": None, "label_window_days": 30}
    with pytest.raises(ApplicationError, match="already queued or running") as excinfo:
        jobs.job_train_enqueue()
    assert excinfo.value.code == "training_in_progress"
    Job.objects.filter(pk=queued.pk).update(status=Job.Status.SUCCEEDED)
    ModelArtifact.objects.create(progress="fitting blend")
    with pytest.raises(ApplicationError, match="already queued or running"):
        jobs.job_train_enqueue()


def test_a_retried_job_is_queued_again_at_once(enqueued):
    """A failed job goes back to queued, its error cleared, and is sent to the task backend immediately."""
    job = Job.objects.create(kind=Job.Kind.TRAIN, status=Job.Status.FAILED, error="worker killed")
    retried = jobs.job_retry(job_id=job.pk)
    assert (retried.status, retried.error, retried.progress) == ("queued", "", "queued for retry")
    assert enqueued == [job.pk]


def test_unknown_and_finished_jobs_are_not_retried(enqueued):
    """Retrying a job that does not exist or already succeeded is refused with its own code."""
    with pytest.raises(ApplicationError) as excinfo:
        jobs.job_retry(job_id=424242)
    assert (excinfo.value.code, excinfo.value.message) == ("unknown_job", "No job #424242.")
    done = Job.objects.create(kind=Job.Kind.TRAIN, status=Job.Status.SUCCEEDED)
    with pytest.raises(ApplicationError) as excinfo:
        jobs.job_retry(job_id=done.pk)
    assert excinfo.value.code == "job_done"
    assert enqueued == []
