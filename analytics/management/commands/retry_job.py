from django.core.management.base import BaseCommand, CommandError

from analytics.pipeline.jobs import job_retry
from customers.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Queue a failed or interrupted background job (import or training) again; its work is idempotent."

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)

    def handle(self, *args, job_id: int, **options):
        try:
            job = job_retry(job_id=job_id)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Job #{job.pk} is queued again ({job.get_status_display()})."))
