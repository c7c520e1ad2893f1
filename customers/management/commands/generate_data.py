import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from customers.demo.generator import GeneratorConfig, demo_config, generate_csv

DEMO_PATH = settings.VAR_DIR / "data" / "demo.csv"
SYNTHETIC_PATH = settings.VAR_DIR / "data" / "synthetic.csv"


class Command(BaseCommand):
    help = (
        "Write a synthetic purchase CSV in the seed's raw layout. Without sizes: the seed demo (~500 rows, customers "
        f"1001-1050, groceries, a few null and duplicate rows) to {DEMO_PATH.relative_to(settings.BASE_DIR)}. "
        f"With --customers/--rows/--products: a large file to {SYNTHETIC_PATH.relative_to(settings.BASE_DIR)}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="Where to write the CSV (default depends on the mode).")
        parser.add_argument("--customers", type=int)
        parser.add_argument("--rows", type=int, help="Line items to write (exact).")
        parser.add_argument("--products", type=int)
        parser.add_argument("--seed", type=int, default=None, help="Same seed, same file (default 42).")
        parser.add_argument("--start", type=dt.date.fromisoformat, help="First date (default 2024-01-01).")
        parser.add_argument("--days", type=int, help="Length of the period in days (default 365).")
        parser.add_argument("--no-bundles", action="store_true", help="No planted co-purchase bundles.")
        parser.add_argument("--dirty", action="store_true", help="Plant null and duplicate rows (always on in demo).")

    def handle(self, *args, **opts):
        sizes = {name: opts[name] for name in ("customers", "rows", "products")}
        if any(v is not None for v in sizes.values()) and not all(v is not None for v in sizes.values()):
            raise CommandError(
                "Give all of --customers, --rows and --products for a scaled file, or none for the demo."
            )
        demo = sizes["customers"] is None
        base = demo_config() if demo else GeneratorConfig(**sizes, dirty=opts["dirty"])
        overrides = {
            "seed": opts["seed"],
            "start": opts["start"],
            "days": opts["days"],
            "bundles": False if opts["no_bundles"] else None,
        }
        try:
            config = GeneratorConfig(**{**base.__dict__, **{k: v for k, v in overrides.items() if v is not None}})
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        path = opts["out"] or (DEMO_PATH if demo else SYNTHETIC_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        result = generate_csv(config=config, path=path)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {path}: ")
            + f"{result.rows_written:,} rows, {result.transactions:,} transactions, {result.customers:,} customers, "
            f"{result.products:,} products ({result.null_rows} null rows, {result.duplicate_rows} duplicate rows)."
        )
