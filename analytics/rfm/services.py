"""Compute and store RFM snapshots (the maths is in analytics.rfm.maths)."""

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from analytics.facts import PurchaseAggregates
from analytics.models import CustomerRfm, RfmSnapshot
from analytics.rfm import maths as rfm
from analytics.rfm.selectors import purchase_aggregates_get, purchase_date_range_get, rfm_weights_get
from customers.bulk import Row, bulk_insert, refresh_statistics
from customers.exceptions import ApplicationError
from customers.locks import PIPELINE_LOCK, exclusive_lock

NO_DATA = "There are no purchases yet: import data first (python manage.py import_transactions PATH)."
BEFORE_FIRST = "as_of {as_of} is before the first purchase ({first}): no customer has bought anything yet."

ROW_FIELDS = [
    "snapshot",
    "customer",
    "first_purchase",
    "last_purchase",
    "recency_days",
    "frequency",
    "monetary",
    "tenure_days",
    "mean_gap_days",
    "r_norm",
    "f_norm",
    "m_norm",
    "rfm_score",
    "r_score",
    "f_score",
    "m_score",
    "fm_score",
    "segment",
]


def rfm_as_of_resolve(*, as_of: dt.date | None) -> dt.date:
    """Default: the last purchase date in the data (the live view). Refuse dates before any purchase."""
    first, last = purchase_date_range_get()
    if first is None or last is None:
        raise ApplicationError(NO_DATA, code="no_data")
    if as_of is None:
        return last
    if as_of < first:
        raise ApplicationError(BEFORE_FIRST.format(as_of=as_of, first=first), code="as_of_too_early")
    return as_of


def rfm_snapshot_compute(*, as_of: dt.date | None = None, keep: int | None = None) -> RfmSnapshot:
    """Aggregate in the database, score in numpy, write the snapshot in bulk, prune old snapshots (one writer of
    derived tables at a time, see customers.locks)."""
    with exclusive_lock(key=PIPELINE_LOCK):
        return _compute(as_of=as_of, keep=keep)


def _compute(*, as_of: dt.date | None, keep: int | None) -> RfmSnapshot:
    as_of = rfm_as_of_resolve(as_of=as_of)
    keep = settings.RFM_SNAPSHOTS_KEPT if keep is None else keep
    weights = rfm_weights_get()
    started = time.perf_counter()
    agg = purchase_aggregates_get(as_of=as_of)
    aggregated = time.perf_counter()
    table = rfm.compute(
        as_of_day=as_of.toordinal(),
        first_day=agg.first_day,
        last_day=agg.last_day,
        frequency=agg.frequency,
        monetary=agg.monetary,
        weights=weights,
    )
    computed = time.perf_counter()
    with transaction.atomic():
        snapshot = RfmSnapshot.objects.create(
            as_of=as_of,
            customers=len(agg),
            weights=weights.__dict__,
            segment_counts=dict(Counter(table.segment.tolist())),
        )
        bulk_insert(CustomerRfm, ROW_FIELDS, _rows(snapshot.pk, agg, table))
        _prune(keep)
        snapshot.timings = {
            "aggregate": round(aggregated - started, 3),
            "compute": round(computed - aggregated, 3),
            "write": round(time.perf_counter() - computed, 3),
        }
        snapshot.save(update_fields=["timings"])
    refresh_statistics(CustomerRfm)
    return snapshot


def _rows(snapshot_id: int, agg: PurchaseAggregates, table: rfm.RfmTable) -> Iterator[Row]:
    from_ordinal = dt.date.fromordinal
    cents = Decimal("0.01")
    columns = zip(
        agg.customer_ids.tolist(),
        agg.first_day.tolist(),
        agg.last_day.tolist(),
        table.recency_days.tolist(),
        table.frequency.tolist(),
        table.monetary.tolist(),
        table.tenure_days.tolist(),
        table.mean_gap_days.tolist(),
        table.r_norm.tolist(),
        table.f_norm.tolist(),
        table.m_norm.tolist(),
        table.rfm_score.tolist(),
        table.r_score.tolist(),
        table.f_score.tolist(),
        table.m_score.tolist(),
        table.fm_score.tolist(),
        table.segment.tolist(),
        strict=True,
    )
    for customer, first, last, rec, freq, money, tenure, gap, rn, fn, mn, score, rs, fs, ms, fm, seg in columns:
        yield (
            snapshot_id,
            customer,
            from_ordinal(first),
            from_ordinal(last),
            rec,
            freq,
            Decimal(repr(money)).quantize(cents),
            tenure,
            None if gap != gap else gap,  # NaN -> NULL
            rn,
            fn,
            mn,
            score,
            rs,
            fs,
            ms,
            fm,
            seg,
        )


def _prune(keep: int) -> int:
    stale = list(RfmSnapshot.objects.order_by("-created_at", "-id").values_list("pk", flat=True)[keep:])
    if not stale:
        return 0
    CustomerRfm.objects.filter(snapshot_id__in=stale).delete()
    RfmSnapshot.objects.filter(pk__in=stale).delete()
    return len(stale)
