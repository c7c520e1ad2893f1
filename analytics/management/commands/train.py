import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.management.tables import metrics_table
from analytics.pipeline.steps import pipeline_run, training_plan
from analytics.scoring.candidates import CANDIDATES
from customers.exceptions import ApplicationError
from customers.progress import progress_printer


class Command(BaseCommand):
    help = (
        "Train the loyalty model: RFM at the last date, features at the cutoff and labels from the window after "
        "it, candidates compared out of time, the best refitted, every customer scored, the new model activated, "
        "recommendations rebuilt (the pipeline's RFM → train → score → recommendations steps)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cutoff", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: last purchase − label window)."
        )
        parser.add_argument("--label-window-days", type=int, default=None, help="Default 60 (settings).")
        parser.add_argument("--skip-recommendations", action="store_true", help="Do not rebuild recommendations.")

    def handle(
        self,
        *args: Any,
        cutoff: dt.date | None,
        label_window_days: int | None,
        skip_recommendations: bool,
        **options: Any,
    ) -> None:
        plan = training_plan(
            cutoff=cutoff, label_window_days=label_window_days, recommendations=not skip_recommendations
        )
        try:
            result = pipeline_run(plan=plan, progress=progress_printer(self.stdout))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        artifact = result.artifact
        if artifact is None:  # the plan always trains; a run that did not is a bug worth a clear message
            raise CommandError("Training did not produce a model.")
        window = artifact.data_window
        self.stdout.write(
            self.style.SUCCESS(f"\nModel #{artifact.pk} ({artifact.algorithm}) is active.")
            + f" Selected by ROC AUC on the out-of-time window {window['cutoff']} → {window['labels_until']}"
            f" ({window['validation_customers']:,} customers, {window['validation_positive_rate']:.1%} bought again);"
            f" threshold {artifact.threshold:.3f}; {window['scored_customers']:,} customers scored."
        )
        self.stdout.write("\nOut-of-time validation (candidates fitted on the previous window):")
        for line in metrics_table(artifact.metrics["validation"], artifact.algorithm):
            self.stdout.write(line)
        random_split = artifact.metrics.get("random_split")
        if random_split:
            self.stdout.write("\nFor reference only — the seed's random 80/20 split of one window (not out of time):")
            for line in metrics_table({k: {**v, "kind": "candidate"} for k, v in random_split.items()}, ""):
                self.stdout.write(line)
        timings = {**artifact.metrics["timings"], **{f"pipeline_{k}": v for k, v in result.timings.items()}}
        self.stdout.write(f"\nCandidates: {', '.join(c.name for c in CANDIDATES)}. Timings: {timings}")
