from django.core.management.base import BaseCommand, CommandError

from customers.exceptions import ApplicationError
from customers.services.erasure import customer_personal_data_erase


class Command(BaseCommand):
    help = (
        "Erase one customer's personal data on request: name and e-mail blanked, the customer id replaced by a "
        "pseudonym and scrubbed from import logs; the purchase history stays, anonymous, for the models."
    )

    def add_arguments(self, parser):
        parser.add_argument("customer_id")

    def handle(self, *args, customer_id: str, **options):
        try:
            erasure = customer_personal_data_erase(external_id=customer_id)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Erased the personal data of customer {customer_id!r}; ")
            + f"now {erasure.pseudonym}, {erasure.transactions_kept} transactions kept anonymously, "
            f"{erasure.import_rows_scrubbed} rejected import rows scrubbed."
        )
