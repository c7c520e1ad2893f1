from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from analytics.models import ModelArtifact, RecommendationBuild, RfmSnapshot
from customers.models import Transaction

DEMO_FILE = settings.VAR_DIR / "data" / "demo.csv"


class Command(BaseCommand):
    help = (
        "Make the embedded default useful: when the database has no purchases, generate the seed's demo file and "
        "import it; then compute RFM, train and build recommendations if they are missing. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEMO_FILE, help=f"Where to write the demo CSV ({DEMO_FILE}).")

    def handle(self, *args, file: Path, **options):
        verbosity = options["verbosity"]
        if not Transaction.objects.exists():
            self.stdout.write("Loading the demo data…")
            call_command("generate_data", "--out", str(file), stdout=self.stdout)
            call_command("import_transactions", str(file), "--quiet", stdout=self.stdout)
        if not RfmSnapshot.objects.exists():
            call_command("compute_rfm", stdout=self.stdout, verbosity=verbosity)
        if not ModelArtifact.objects.filter(is_active=True).exists():
            self.stdout.write("Training the loyalty model…")
            call_command("train", stdout=self.stdout if verbosity > 1 else _Quiet())
        if not RecommendationBuild.objects.filter(is_active=True).exists():
            call_command("build_recommendations", stdout=self.stdout if verbosity > 1 else _Quiet())
        self.stdout.write(self.style.SUCCESS("Demo data, RFM snapshot, model and recommendations are ready."))


class _Quiet:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass
