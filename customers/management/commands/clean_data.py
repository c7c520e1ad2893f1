from django.core.management.base import BaseCommand

from customers.services.cleaning import data_clean


class Command(BaseCommand):
    help = (
        "Apply the cleaning rules to data already in the database and print a data-quality report. Safe fixes "
        "(merge product-name variants, recalculate totals and return flags from line items) are applied atomically."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report only; change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        report = data_clean(dry_run=dry_run)
        mode = "dry run, nothing changed" if dry_run else "safe fixes applied"
        self.stdout.write(
            self.style.SUCCESS(f"Data-quality report #{report.pk} ({mode}, {report.duration_seconds:.1f}s)")
        )
        for finding in report.findings.values():
            style = self.style.WARNING if finding["count"] else (lambda s: s)
            line = f"  {finding['count']:>8,}  {finding['title']}"
            if finding["note"]:
                line += f" — {finding['note']}"
            self.stdout.write(style(line))
            for example in finding["examples"]:
                self.stdout.write(f"            e.g. {example}")
        for fix, count in report.fixes.items():
            self.stdout.write(self.style.SUCCESS(f"  fixed: {fix.replace('_', ' ')}: {count:,}"))
