"""Background tasks (Django's tasks API; the django-tasks-db backend runs them in `manage.py db_worker`)."""

from django.tasks import task

from analytics.pipeline.worker import JobOutcome, job_run


@task()
def run_job(job_id: int) -> JobOutcome:
    return job_run(job_id=job_id)
