from django.core.management.base import BaseCommand, CommandError

from analytics.scoring.scores import loyalty_scores_refresh
from customers.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Re-score every customer with the active loyalty model on current data (e.g. after an import)."

    def handle(self, *args, **options):
        try:
            count = loyalty_scores_refresh()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Scored {count:,} customers with the active model."))
