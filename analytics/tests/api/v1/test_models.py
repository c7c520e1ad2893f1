"""/api/v1/models/ on the trained shop: the registry's runs, and training started as a job to poll."""

from http import HTTPStatus

import pytest

from analytics.models import Job, ModelArtifact

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


def test_models_list_and_detail(api, trained_shop):
    """The list leads with the active model; its detail has the validation metrics but never the model bytes."""
    listing = api.get("/api/v1/models/").json()
    assert listing["results"][0]["is_active"] is True
    detail = api.get(f"/api/v1/models/{trained_shop['artifact'].pk}/").json()
    assert "validation" in detail["metrics"]
    assert "model_bytes" not in detail


def test_staff_starts_training_as_a_job_to_poll(staff_api, django_capture_on_commit_callbacks):
    """Staff get a 202 and a job URL; the job trains, succeeds and names the new active model."""
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post("/api/v1/models/train/", {"label_window_days": 60}, format="json")
    assert response.status_code == HTTPStatus.ACCEPTED
    job = staff_api.get(response.json()["job_url"]).json()
    assert (job["kind"], job["status"]) == ("train", "succeeded")
    assert ModelArtifact.objects.get(is_active=True).pk == job["model"]


def test_a_second_training_while_one_is_queued_is_a_409(staff_api):
    """While a training job is queued another request is a 409 with code training_in_progress."""
    Job.objects.create(kind=Job.Kind.TRAIN, status=Job.Status.QUEUED)
    response = staff_api.post("/api/v1/models/train/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "training_in_progress")
