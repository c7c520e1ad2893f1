"""Per-customer aggregates of the facts at a date (features, labels) and the latest snapshots."""

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import (
    Count,
    Max,
    Min,
    Q,
    Sum,
)

from analytics.models import CustomerRfm, RfmSnapshot
from customers.models import Transaction

NO_MODEL = "No loyalty model has been trained yet: run `python manage.py train`."

PURCHASE = Q(is_return=False)


RECENT_WINDOWS = (30, 90, 180)  # days: purchase counts in these trailing windows are model features


@dataclass(frozen=True)
class PurchaseAggregates:
    """Per customer with at least one purchase on or before `as_of`, in customer-id order. Day values are date
    ordinals; counts exclude returns; money is net of returns."""

    as_of: dt.date
    customer_ids: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    frequency: np.ndarray  # purchase transactions
    monetary: np.ndarray
    purchase_days: np.ndarray  # distinct days with a purchase (BG/NBD counts one transaction per day)
    recent_purchases: dict[int, np.ndarray]  # window (days) -> purchases in (as_of - window, as_of]
    recent_spend_90: np.ndarray
    returns: np.ndarray
    units: np.ndarray  # items bought (sum of quantities) in purchases
    recent_units_90: np.ndarray

    def __len__(self) -> int:
        return self.customer_ids.size


def purchase_date_range() -> tuple[dt.date | None, dt.date | None]:
    """First and last purchase dates in the data (returns excluded)."""
    agg = Transaction.objects.purchases().aggregate(first=Min("date"), last=Max("date"))
    return agg["first"], agg["last"]


def purchase_aggregates(*, as_of: dt.date) -> PurchaseAggregates:
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
    columns: list[list] = [[] for _ in range(len(fields) + len(recent))]
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


def customers_buying_in_window(*, start: dt.date, end: dt.date) -> np.ndarray:
    """Ids of customers with at least one purchase in (start, end]: the loyalty label."""
    ids = Transaction.objects.purchases().in_window(start, end).order_by().values_list("customer_id", flat=True)
    return np.unique(np.fromiter(ids.distinct().iterator(chunk_size=50_000), dtype=np.int64))


def latest_snapshot() -> RfmSnapshot | None:
    return RfmSnapshot.objects.order_by("-created_at", "-id").first()


def customer_rfm_history(*, customer_id: int, limit: int = 12) -> list[CustomerRfm]:
    """The customer's rows in the kept snapshots, newest first (segment movement)."""
    return list(
        CustomerRfm.objects.filter(customer_id=customer_id)
        .select_related("snapshot")
        .order_by("-snapshot__created_at", "-snapshot_id")[:limit]
    )
