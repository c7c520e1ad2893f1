"""Background tasks (Django's tasks API; the django-tasks-db backend runs them in `manage.py db_worker`)."""

from django.tasks import task

from analytics.services.jobs import job_run


@task()
def run_job(job_id: int) -> dict:
    return job_run(job_id=job_id)
