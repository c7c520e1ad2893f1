import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from analytics.rfm.maths import SEGMENTS
from analytics.rfm.services import rfm_snapshot_compute
from customers.exceptions import ApplicationError


class Command(BaseCommand):
    help = (
        "Compute an RFM snapshot (recency, frequency, monetary, 1-5 scores and segment) for every customer with "
        "purchases on or before --as-of (default: the last purchase date)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: last purchase date).")

    def handle(self, *args, as_of: dt.date | None, **options):
        try:
            snapshot = rfm_snapshot_compute(as_of=as_of)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        seconds = sum(snapshot.timings.values())
        self.stdout.write(
            self.style.SUCCESS(f"RFM snapshot #{snapshot.pk} as of {snapshot.as_of}: ")
            + f"{snapshot.customers:,} customers in {seconds:.2f}s "
            + ", ".join(f"{k} {v:.2f}s" for k, v in snapshot.timings.items())
        )
        for segment in SEGMENTS:
            count = snapshot.segment_counts.get(segment, 0)
            share = count / snapshot.customers if snapshot.customers else 0
            self.stdout.write(f"  {segment:<20} {count:>9,}  {share:6.1%}")
