"""What the task worker does with a job: run it once, and record how it ended on the job."""

import pytest

from analytics.models import Job
from analytics.pipeline import worker
from analytics.pipeline.worker import job_run
from customers.imports.options import ImportOptions
from customers.imports.services import import_run_create
from customers.imports.staging import UNKNOWN_UPLOAD

pytestmark = pytest.mark.django_db


def test_a_finished_job_is_not_run_again():
    """A job that already succeeded is reported as such, without another attempt."""
    job = Job.objects.create(kind=Job.Kind.TRAIN, status=Job.Status.SUCCEEDED, attempts=1)
    assert job_run(job_id=job.pk) == {"job": job.pk, "status": "succeeded"}
    job.refresh_from_db()
    assert job.attempts == 1


def test_an_import_job_whose_file_is_gone_fails_with_the_reason(tmp_path):
    """The staged file is missing: the job fails, saying to upload again, and the result says so too."""
    run = import_run_create(source_name="gone.csv", options=ImportOptions())
    job = Job.objects.create(kind=Job.Kind.IMPORT, import_run=run, params={"path": str(tmp_path / "gone.csv")})
    assert job_run(job_id=job.pk) == {"job": job.pk, "status": "failed", "error": UNKNOWN_UPLOAD}
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts, job.progress) == ("failed", UNKNOWN_UPLOAD, 1, "failed")
    assert job.started_at is not None
    assert job.finished_at is not None


def test_an_import_job_imports_its_file_and_deletes_it(tmp_path):
    """The upload's file is imported through the pipeline and removed once the job succeeded."""
    path = tmp_path / "part.csv"
    path.write_text("transaction_id,customer_id,date,amount\nW1,c1,2024-05-01,9.99\n")
    run = import_run_create(source_name=path.name, options=ImportOptions())
    job = Job.objects.create(kind=Job.Kind.IMPORT, import_run=run, params={"path": str(path)})
    assert job_run(job_id=job.pk) == {"job": job.pk, "status": "succeeded"}
    run.refresh_from_db()
    assert (run.status, run.transactions_created) == ("succeeded", 1)
    assert not path.exists()


def test_an_unexpected_error_is_recorded_and_raised_for_the_task_backend(monkeypatch):
    """A crash marks the job failed with the exception, and is re-raised so the task backend records it too."""

    def crash(job):
        raise RuntimeError("disk full (injected)")

    monkeypatch.setattr(worker, "_run_training", crash)
    job = Job.objects.create(kind=Job.Kind.TRAIN)
    with pytest.raises(RuntimeError, match="injected"):
        job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "RuntimeError: disk full (injected)")
