"""`manage.py retry_job`: the errors it turns into CommandError."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from analytics.models import Job

pytestmark = pytest.mark.django_db


def test_an_unknown_job_is_a_command_error():
    """A job id that does not exist is refused with its number."""
    with pytest.raises(CommandError, match=r"No job #424242"):
        call_command("retry_job", "424242", stdout=StringIO())


def test_a_finished_job_is_not_run_again():
    """Retrying a job that already succeeded is refused."""
    job = Job.objects.create(kind=Job.Kind.TRAIN, status=Job.Status.SUCCEEDED)
    with pytest.raises(CommandError, match="already succeeded"):
        call_command("retry_job", str(job.pk), stdout=StringIO())
