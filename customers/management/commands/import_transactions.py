from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from customers.imports.options import FIELDS, WHITESPACE, ImportOptions, LayoutError
from customers.imports.services import ImportFailed, transactions_import_csv
from customers.progress import progress_silent


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise CommandError(f"--map takes FIELD=COLUMN, got {pair!r}.")
        mapping[name.strip()] = column.strip()
    return mapping


class Command(BaseCommand):
    help = (
        "Import a purchase file (CSV or whitespace-separated) into customers, products and transactions. "
        "Default columns: transaction_id, customer_id, date, product_name, amount. All or nothing; "
        "re-importing adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=f"Read FIELD from COLUMN (repeatable). Fields: {', '.join(FIELDS)}.",
        )
        parser.add_argument("--delimiter", default=",", help=f"One character, or '{WHITESPACE}' (runs of spaces/tabs).")
        parser.add_argument("--encoding", default="utf-8-sig", help="Text encoding (default UTF-8, BOM allowed).")
        dates = parser.add_mutually_exclusive_group()
        dates.add_argument("--date-format", help="strptime format, e.g. %%Y%%m%%d. Default: ISO YYYY-MM-DD.")
        dates.add_argument("--dayfirst", action="store_true", help="Dates are DD/MM/YYYY.")
        parser.add_argument(
            "--keep-duplicates",
            action="store_true",
            help="Keep rows that repeat an earlier row exactly (for logs where identical rows are real purchases).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar and no summary.")

    def handle(self, *args, path: Path, quiet: bool, **opts):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            options = ImportOptions.build(
                mapping=_mapping(opts["map"]),
                delimiter=opts["delimiter"],
                encoding=opts["encoding"],
                date_format=opts["date_format"],
                dayfirst=opts["dayfirst"],
                keep_duplicates=opts["keep_duplicates"],
            )
        except LayoutError as exc:
            raise CommandError(str(exc)) from exc

        bar = None if quiet else tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc="Reading", leave=False)

        def progress(done: int, total: int, message: str) -> None:
            if bar is not None:
                bar.update(done - bar.n)

        try:
            run = transactions_import_csv(path=path, options=options, progress=progress if bar else progress_silent)
        except ImportFailed as exc:
            raise CommandError(f"{exc.message} (import run #{exc.run.pk})") from exc
        finally:
            if bar:
                bar.close()
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(f"Imported {path.name} in {run.duration_seconds:.1f}s (import run #{run.pk}).")
        )
        self.stdout.write(
            f"  rows read {run.rows_read:,} · imported {run.rows_imported:,} · duplicate {run.rows_duplicate:,} · "
            f"already imported {run.rows_existing:,} · rejected {run.rows_rejected:,}\n"
            f"  created {run.transactions_created:,} transactions, {run.customers_created:,} customers, "
            f"{run.products_created:,} products"
        )
        for warning in run.warnings:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
        for rejected in run.rejected_rows[:10]:
            self.stdout.write(f"  rejected line {rejected['line']}: {rejected['reason']}")
        if run.rows_rejected > 10:
            self.stdout.write(f"  … {run.rows_rejected - 10:,} more rejected rows (see the import run in the admin).")
