"""A background job's page and the status part htmx refreshes."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from analytics.models import Job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


def test_a_running_job_shows_its_progress_and_the_status_part_alone(signed_in):
    """The job page and its status fragment show the job's progress; the fragment is not a whole page."""
    job = Job.objects.create(kind=Job.Kind.TRAIN, status=Job.Status.RUNNING, progress="fitting blend")
    page = signed_in.get(reverse("analytics:job-detail", args=[job.pk])).content.decode()
    status = signed_in.get(reverse("analytics:job-status", args=[job.pk])).content.decode()
    assert "fitting blend" in page
    assert "fitting blend" in status
    assert "<html" in page
    assert "<html" not in status


def test_an_unknown_job_is_a_404(signed_in):
    """A job number that does not exist is a 404 for the page and for its status part."""
    assert signed_in.get(reverse("analytics:job-detail", args=[424242])).status_code == HTTPStatus.NOT_FOUND
    assert signed_in.get(reverse("analytics:job-status", args=[424242])).status_code == HTTPStatus.NOT_FOUND
