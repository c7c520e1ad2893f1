from typing import Any

from django.core.management.base import BaseCommand, CommandError

from analytics.pipeline.steps import pipeline_run, refresh_plan
from customers.exceptions import ApplicationError
from customers.progress import progress_printer


class Command(BaseCommand):
    help = (
        "Bring the answers up to date with the data, without retraining: RFM as of the last purchase, every "
        "customer re-scored with the model in service, recommendations rebuilt. For cron, after a daily import."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = pipeline_run(plan=refresh_plan(), progress=progress_printer(self.stdout))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        parts = [f"{step} {seconds:.1f}s" for step, seconds in result.timings.items()]
        scored = f"{result.scored:,} customers scored" if result.scored is not None else "no model to score with"
        self.stdout.write(self.style.SUCCESS("Refreshed: ") + ", ".join(parts) + f"; {scored}.")
