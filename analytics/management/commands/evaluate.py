import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from analytics.management.tables import metrics_table
from analytics.scoring.evaluation import loyalty_model_evaluate
from customers.exceptions import ApplicationError
from customers.progress import progress_printer


class Command(BaseCommand):
    help = (
        "Backtest the loyalty model: run train's pipeline as if the data ended at --cutoff and measure it on the "
        "purchases in (cutoff, cutoff + window]. Does not touch the active model."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cutoff", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--label-window-days", type=int, default=60)
        parser.add_argument("--json", action="store_true", help="Print exactly one JSON object.")

    def handle(self, *args, cutoff, label_window_days, json: bool, **options):
        progress = progress_printer(self.stdout, enabled=not json)

        try:
            report = loyalty_model_evaluate(cutoff=cutoff, label_window_days=label_window_days, progress=progress)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if json:
            self.stdout.write(_dumps(report))
            return
        self.stdout.write(
            self.style.SUCCESS(f"\nBacktest at {report['cutoff']}, {report['label_window_days']}-day window: ")
            + f"selected {report['selected']} (trained up to {report['train']['cutoff']}, "
            f"{report['train']['customers']:,} customers); test {report['test']['customers']:,} customers, "
            f"{report['test']['positive_rate']:.1%} bought again."
        )
        results = {c["name"]: {**c, "kind": "candidate"} for c in report["candidates"]}
        results |= {b["name"]: {**b, "kind": "baseline"} for b in report["baselines"]}
        for line in metrics_table(results, report["selected"]):
            self.stdout.write(line)


def _dumps(report: dict) -> str:
    return json.dumps(report)
