"""Reads for RFM: the per-customer purchase aggregates at a date (what RFM and the loyalty features start from),
the data's date range, snapshots, a customer's segment history and the segment summary."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypedDict

import numpy as np
from django.conf import settings
from django.db.models import (
    Avg,
    CharField,
    Count,
    FilteredRelation,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)

from analytics.facts import RECENT_WINDOWS, PurchaseAggregates
from analytics.models import CustomerRfm, ModelArtifact, RfmSnapshot
from analytics.rfm.maths import SEGMENT_DESCRIPTIONS, SEGMENTS, RfmWeights
from customers.models import Customer, Transaction

PURCHASE = Q(is_return=False)


def rfm_weights_get() -> RfmWeights:
    """The rfm_score weights from settings.RFM_WEIGHTS."""
    return RfmWeights(**settings.RFM_WEIGHTS)


def purchase_date_range_get() -> tuple[dt.date | None, dt.date | None]:
    """First and last purchase dates in the data (returns excluded)."""
    agg = Transaction.objects.purchases().aggregate(first=Min("date"), last=Max("date"))
    return agg["first"], agg["last"]


def purchase_aggregates_get(*, as_of: dt.date) -> PurchaseAggregates:
    """One GROUP BY in the database over transactions up to `as_of` (never after it): first/last purchase,
    purchase count, distinct purchase days, net spend, trailing-window counts. Customers whose only transactions
    are returns are left out."""
    recent = {
        f"n{days}": Count("pk", filter=PURCHASE & Q(date__gt=as_of - dt.timedelta(days=days)))
        for days in RECENT_WINDOWS
    }
    fields = (
        "customer_id",
        "first",
        "last",
        "frequency",
        "monetary",
        "days",
        "spend90",
        "returns",
        "units_total",
        "units90",
    )
    rows = (
        Transaction.objects.up_to(as_of)
        .order_by()
        .values("customer_id")
        .annotate(
            first=Min("date", filter=PURCHASE),
            last=Max("date", filter=PURCHASE),
            frequency=Count("pk", filter=PURCHASE),
            monetary=Sum("total_amount"),
            days=Count("date", filter=PURCHASE, distinct=True),
            spend90=Sum("total_amount", filter=Q(date__gt=as_of - dt.timedelta(days=90))),
            returns=Count("pk", filter=Q(is_return=True)),
            units_total=Sum("units", filter=PURCHASE),
            units90=Sum("units", filter=PURCHASE & Q(date__gt=as_of - dt.timedelta(days=90))),
            **recent,
        )
        .filter(frequency__gt=0)
        .order_by("customer_id")
        .values_list(*fields, *recent)
    )
    columns: list[list[Any]] = [[] for _ in range(len(fields) + len(recent))]
    for row in rows.iterator(chunk_size=20_000):
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    ids, first, last, frequency, monetary, days, spend90, returns, units, units90, *counts = columns
    return PurchaseAggregates(
        as_of=as_of,
        customer_ids=np.array(ids, dtype=np.int64),
        first_day=np.array([d.toordinal() for d in first], dtype=np.int64),
        last_day=np.array([d.toordinal() for d in last], dtype=np.int64),
        frequency=np.array(frequency, dtype=np.int64),
        # Cents, rounded: SQLite sums decimals as floating point.
        monetary=np.round(np.array(monetary, dtype=float), 2),
        purchase_days=np.array(days, dtype=np.int64),
        recent_purchases={w: np.array(c, dtype=np.int64) for w, c in zip(RECENT_WINDOWS, counts, strict=True)},
        recent_spend_90=np.round(np.array([v or 0 for v in spend90], dtype=float), 2),
        returns=np.array(returns, dtype=np.int64),
        units=np.array(units, dtype=float),
        recent_units_90=np.array([v or 0 for v in units90], dtype=float),
    )


def rfm_snapshot_latest_get() -> RfmSnapshot | None:
    return RfmSnapshot.objects.order_by("-created_at", "-id").first()


def customer_rfm_history_list(*, customer_id: int, limit: int = 12) -> list[CustomerRfm]:
    """The customer's rows in the kept snapshots, newest first (segment movement)."""
    return list(
        CustomerRfm.objects.filter(customer_id=customer_id)
        .select_related("snapshot")
        .order_by("-snapshot__created_at", "-snapshot_id")[:limit]
    )


class LatestRfm(TypedDict):
    """The columns `customer_list_with_latest_rfm` adds for the admin's RFM columns (None: not in the snapshot)."""

    rfm_segment: str | None
    rfm_rfm_score: float | None
    rfm_r_score: int | None
    rfm_f_score: int | None
    rfm_m_score: int | None
    rfm_recency_days: int | None
    rfm_frequency: int | None
    rfm_monetary: Decimal | None


def customer_list_with_latest_rfm(*, queryset: QuerySet[Customer], columns: tuple[str, ...]) -> QuerySet[Customer]:
    """`queryset` annotated with `rfm_<column>` from the latest snapshot (None where it has no row)."""
    snapshot = rfm_snapshot_latest_get()
    if snapshot is None:
        return queryset.annotate(**{f"rfm_{c}": Value(None, output_field=CharField()) for c in columns})
    rows = CustomerRfm.objects.filter(snapshot=snapshot, customer=OuterRef("pk"))
    return queryset.annotate(**{f"rfm_{c}": Subquery(rows.values(c)[:1]) for c in columns})


class SegmentSummary(TypedDict):
    segment: str
    description: str
    customers: int
    share: float
    avg_recency_days: float | None
    avg_frequency: float | None
    avg_monetary: float | None
    avg_loyalty_score: float | None


def segment_summary_list(*, snapshot: RfmSnapshot | None, artifact: ModelArtifact | None) -> list[SegmentSummary]:
    """Per segment of `snapshot`: customers, share, mean recency/frequency/spend and loyalty score."""
    if snapshot is None:
        return []
    rows = CustomerRfm.objects.filter(snapshot=snapshot)
    score: Avg | Value = Value(None, output_field=FloatField())
    if artifact is not None:
        rows = rows.annotate(
            s=FilteredRelation(
                "customer__loyalty_scores", condition=Q(customer__loyalty_scores__artifact_id=artifact.pk)
            )
        )
        score = Avg("s__loyalty_score")
    stats = {
        row["segment"]: row
        for row in rows.order_by()
        .values("segment")
        .annotate(
            customers=Count("pk"),
            recency_days=Avg("recency_days"),
            frequency=Avg("frequency"),
            monetary=Avg("monetary"),
            loyalty_score=score,
        )
    }
    total = max(snapshot.customers, 1)
    summary: list[SegmentSummary] = []
    for name in SEGMENTS:
        row: Mapping[str, Any] = stats.get(name, {})
        customers = row.get("customers", 0)
        summary.append(
            {
                "segment": name,
                "description": SEGMENT_DESCRIPTIONS[name],
                "customers": customers,
                "share": round(customers / total, 4),
                "avg_recency_days": _round(row.get("recency_days"), 1),
                "avg_frequency": _round(row.get("frequency"), 2),
                "avg_monetary": _round(row.get("monetary"), 2),
                "avg_loyalty_score": _round(row.get("loyalty_score"), 4),
            }
        )
    return summary


def _round(value: float | Decimal | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)
