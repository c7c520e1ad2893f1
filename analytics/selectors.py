"""Read queries for analytics: per-customer aggregates computed by the database, latest snapshots."""

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max, Min, Q, Sum

from analytics.models import CustomerRfm, RfmSnapshot
from customers.models import Transaction

PURCHASE = Q(is_return=False)


@dataclass(frozen=True)
class PurchaseAggregates:
    """Per customer with at least one purchase on or before `as_of`, in customer-id order."""

    as_of: dt.date
    customer_ids: np.ndarray
    first_day: np.ndarray  # date ordinals
    last_day: np.ndarray
    frequency: np.ndarray
    monetary: np.ndarray

    def __len__(self) -> int:
        return self.customer_ids.size


def purchase_date_range() -> tuple[dt.date | None, dt.date | None]:
    """First and last purchase dates in the data (returns excluded)."""
    agg = Transaction.objects.purchases().aggregate(first=Min("date"), last=Max("date"))
    return agg["first"], agg["last"]


def purchase_aggregates(*, as_of: dt.date) -> PurchaseAggregates:
    """One GROUP BY in the database over transactions up to `as_of`: first/last purchase, purchase count and
    net spend (returns netted). Customers whose only transactions are returns are left out."""
    rows = (
        Transaction.objects.up_to(as_of)
        .order_by()
        .values("customer_id")
        .annotate(
            first=Min("date", filter=PURCHASE),
            last=Max("date", filter=PURCHASE),
            frequency=Count("pk", filter=PURCHASE),
            monetary=Sum("total_amount"),
        )
        .filter(frequency__gt=0)
        .order_by("customer_id")
        .values_list("customer_id", "first", "last", "frequency", "monetary")
    )
    ids, firsts, lasts, freqs, money = [], [], [], [], []
    for customer_id, first, last, frequency, monetary in rows.iterator(chunk_size=20_000):
        ids.append(customer_id)
        firsts.append(first.toordinal())
        lasts.append(last.toordinal())
        freqs.append(frequency)
        money.append(monetary)
    return PurchaseAggregates(
        as_of=as_of,
        customer_ids=np.array(ids, dtype=np.int64),
        first_day=np.array(firsts, dtype=np.int64),
        last_day=np.array(lasts, dtype=np.int64),
        frequency=np.array(freqs, dtype=np.int64),
        # Cents, rounded: SQLite sums decimals as floating point.
        monetary=np.round(np.array(money, dtype=float), 2),
    )


def latest_snapshot() -> RfmSnapshot | None:
    return RfmSnapshot.objects.order_by("-created_at", "-id").first()


def customer_rfm_history(*, customer_id: int, limit: int = 12) -> list[CustomerRfm]:
    """The customer's rows in the kept snapshots, newest first (segment movement)."""
    return list(
        CustomerRfm.objects.filter(customer_id=customer_id)
        .select_related("snapshot")
        .order_by("-snapshot__created_at", "-snapshot_id")[:limit]
    )
