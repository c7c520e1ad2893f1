import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from analytics.recommendations.evaluation import recommendations_evaluate
from customers.exceptions import ApplicationError
from customers.progress import progress_printer


class Command(BaseCommand):
    help = (
        "Evaluate recommendations out of time: build from baskets on or before --cutoff, then measure HitRate@k "
        "and MRR@k on later baskets (held-out products) and on what customers bought later, beside baselines."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cutoff", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--k", type=int, default=5)
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, cutoff, k: int, json: bool, **options):
        if k < 1:
            raise CommandError("--k must be at least 1.")
        progress = progress_printer(self.stdout, enabled=not json)

        try:
            report = recommendations_evaluate(cutoff=cutoff, k=k, progress=progress)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if json:
            self.stdout.write(_dumps(report))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"\nRecommendations built up to {report['cutoff']} "
                f"(γ = {report['gamma']}, β = {report['beta']}), k = {k}"
            )
        )
        self.stdout.write(f"Product → products: {report['queries']:,} held-out queries")
        for name, r in report["item_to_items"].items():
            self.stdout.write(f"  {name:<24} HitRate@{k} {_f(r['hit_rate'])}   MRR@{k} {_f(r['mrr'])}")
        self.stdout.write(
            f"Customers: {report['customers']:,} active before and buying after the cutoff "
            f"({report['customers_with_new_products']:,} bought something new)"
        )
        for name, r in report["customer"].items():
            self.stdout.write(f"  {name:<24} HitRate@{k} {_f(r['hit_rate'])}   MRR@{k} {_f(r['mrr'])}")


def _f(value) -> str:
    return "   —  " if value is None else f"{value:.4f}"


def _dumps(report: dict) -> str:
    return json.dumps(report)
