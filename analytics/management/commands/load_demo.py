from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.pipeline.steps import demo_plan, pipeline_run
from customers.exceptions import ApplicationError
from customers.progress import progress_printer
from customers.selectors import transactions_exist

DEMO_FILE = settings.VAR_DIR / "data" / "demo.csv"


class Command(BaseCommand):
    help = (
        "Make the embedded default useful: when the database has no purchases, generate the seed's demo file and "
        "import it; then compute RFM, train and build recommendations if they are missing. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEMO_FILE, help=f"Where to write the demo CSV ({DEMO_FILE}).")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not transactions_exist():
            self.stdout.write("Loading the demo data…")
            call_command("generate_data", "--out", str(file), stdout=self.stdout)
        try:
            result = pipeline_run(plan=demo_plan(path=file), progress=progress_printer(self.stdout))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        done = ", ".join(result.ran) or "nothing was missing"
        self.stdout.write(self.style.SUCCESS(f"Demo data, RFM snapshot, model and recommendations are ready ({done})."))
