"""The model pages on the trained shop: a run's metrics and plots, and "Train now" for staff."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from analytics.models import Job, ModelArtifact

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


def test_model_detail_shows_metrics_curves_matrix_and_importance(signed_in, trained_shop):
    """A run's page has ROC, calibration and importance data, the confusion matrix and the seed's split."""
    artifact = trained_shop["artifact"]
    response = signed_in.get(reverse("analytics:model-detail", args=[artifact.pk]))
    html = response.content.decode()
    for chart in ("roc-data", "calibration-data", "importance-data"):
        assert f'id="{chart}"' in html
    assert 'class="matrix"' in html
    assert "random 80/20 split" in html
    assert [row["name"] for row in response.context["rows"] if row["selected"]] == [artifact.algorithm]


def test_an_unknown_model_is_a_404(signed_in):
    """A model number that does not exist is a 404 page."""
    assert signed_in.get(reverse("analytics:model-detail", args=[424242])).status_code == HTTPStatus.NOT_FOUND


def test_train_now_is_for_staff(signed_in):
    """An analyst pressing "Train now" gets a 403 page saying training is for staff."""
    response = signed_in.post(reverse("analytics:model-train"), {"label_window_days": 60})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Imports and training are for staff users" in response.content.decode()


def test_staff_trains_now_and_follows_the_job(staff_client, django_capture_on_commit_callbacks):
    """Staff are sent to the job's page, which shows the job succeeded and links the new model."""
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("analytics:model-train"), {"label_window_days": 60})
    job = Job.objects.get()
    assert response["Location"] == reverse("analytics:job-detail", args=[job.pk])
    page = staff_client.get(response["Location"]).content.decode()
    assert "Succeeded" in page
    assert f"Open model #{ModelArtifact.objects.get(is_active=True).pk}" in page


def test_invalid_training_options_go_back_to_the_list_with_a_message(staff_client):
    """A label window of zero days starts no job and returns to the model list with the form's error."""
    response = staff_client.post(reverse("analytics:model-train"), {"label_window_days": 0}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("analytics:model-list")
    assert not Job.objects.exists()
    assert "Check the training options" in response.content.decode()
