"""/api/v1/jobs/<id>/: a background job's state as the client polls it."""

import datetime as dt
from http import HTTPStatus

import pytest

from analytics.models import Job

# On the trained shop like the rest of the API tests (which share it), though a job needs none of it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


def test_a_job_is_reported_with_every_field(api):
    """The whole answer: kind, status, progress, error, attempts, what it produced and its times."""
    created = dt.datetime(2024, 12, 31, 10, 0, tzinfo=dt.UTC)
    job = Job.objects.create(
        kind=Job.Kind.TRAIN, status=Job.Status.FAILED, progress="failed", error="Not enough data.", attempts=2
    )
    Job.objects.filter(pk=job.pk).update(created_at=created, started_at=created + dt.timedelta(seconds=1))
    response = api.get(f"/api/v1/jobs/{job.pk}/")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "id": job.pk,
        "kind": "train",
        "status": "failed",
        "progress": "failed",
        "error": "Not enough data.",
        "attempts": 2,
        "import_run": None,
        "model": None,
        "created_at": "2024-12-31T10:00:00Z",
        "started_at": "2024-12-31T10:00:01Z",
        "finished_at": None,
    }


def test_an_unknown_job_is_a_404(api):
    """A job id that does not exist answers 404 with code not_found."""
    response = api.get("/api/v1/jobs/424242/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
