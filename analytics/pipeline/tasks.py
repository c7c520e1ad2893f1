"""Background tasks (Django's tasks API; the django-tasks-db backend runs them in `manage.py db_worker`)."""

from typing import Any

from django.tasks import task

from analytics.pipeline.worker import job_run


@task()
def run_job(job_id: int) -> dict[str, Any]:
    return job_run(job_id=job_id)
