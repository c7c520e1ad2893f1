import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from analytics import ml
from analytics.management.progress import progress_writer
from analytics.services.training import loyalty_model_train
from customers.exceptions import ApplicationError

COLUMNS = ("roc_auc", "pr_auc", "brier", "accuracy", "precision", "recall", "f1")


def metrics_table(results: dict, selected: str) -> list[str]:
    """The candidates and baselines side by side, for the terminal."""
    header = f"  {'model':<26}" + "".join(f"{c:>10}" for c in COLUMNS)
    lines = [header, "  " + "-" * (len(header) - 2)]
    for name, m in results.items():
        mark = "*" if name == selected else " "
        cells = "".join(f"{m.get(c):>10.4f}" if m.get(c) is not None else f"{'—':>10}" for c in COLUMNS)
        kind = "" if m.get("kind") == "candidate" else " (baseline)"
        lines.append(f"{mark} {name + kind:<26}{cells}")
    return lines


class Command(BaseCommand):
    help = (
        "Train the loyalty model: features at the cutoff, labels from the window after it, candidates compared out "
        "of time, the best refitted, every customer scored, the new model activated, recommendations rebuilt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cutoff", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: last purchase − label window)."
        )
        parser.add_argument("--label-window-days", type=int, default=None, help="Default 60 (settings).")
        parser.add_argument("--skip-recommendations", action="store_true", help="Do not rebuild recommendations.")

    def handle(self, *args, cutoff, label_window_days, skip_recommendations, **options):
        progress = progress_writer(self.stdout)

        try:
            artifact = loyalty_model_train(
                cutoff=cutoff,
                label_window_days=label_window_days,
                progress=progress,
                rebuild_recommendations=not skip_recommendations,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
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
        self.stdout.write(
            f"\nCandidates: {', '.join(c.name for c in ml.CANDIDATES)}. Timings: {artifact.metrics['timings']}"
        )
