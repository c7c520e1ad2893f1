"""Read queries for analytics: per-customer aggregates computed by the database, latest snapshots."""

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import (
    Avg,
    BooleanField,
    CharField,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)

from analytics.models import CustomerRfm, LoyaltyScore, ModelArtifact, RfmSnapshot
from analytics.rfm import SEGMENT_DESCRIPTIONS, SEGMENTS
from customers.exceptions import ApplicationError
from customers.models import Customer, Product, Transaction, TransactionItem
from customers.names import normalize_product_name

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


# ----------------------------------------------------------------------------------------------------------------
# Customers, scores and segments as the pages and the API read them
# ----------------------------------------------------------------------------------------------------------------

ORDERINGS = {
    "score": F("loyalty_score").desc(nulls_last=True),
    "-score": F("loyalty_score").asc(nulls_last=True),
    "recency": F("recency_days").asc(nulls_last=True),
    "-recency": F("recency_days").desc(nulls_last=True),
    "frequency": F("frequency").desc(nulls_last=True),
    "-frequency": F("frequency").asc(nulls_last=True),
    "monetary": F("monetary").desc(nulls_last=True),
    "-monetary": F("monetary").asc(nulls_last=True),
    "id": F("external_id").asc(),
}
ORDERING_LABELS = {
    "id": "Customer id",
    "score": "Loyalty score (high first)",
    "recency": "Most recent first",
    "frequency": "Most purchases first",
    "monetary": "Highest spend first",
}


def active_artifact(kind: str = ModelArtifact.Kind.LOYALTY) -> ModelArtifact | None:
    return ModelArtifact.objects.filter(kind=kind, is_active=True).defer("model_bytes").first()


def customer_directory(
    *,
    search: str = "",
    segment: str = "",
    ordering: str = "id",
    snapshot: RfmSnapshot | None = None,
    artifact: ModelArtifact | None = None,
) -> QuerySet[Customer]:
    """Customers with their latest RFM values and loyalty score, filtered and ordered in one query (left joins
    restricted to the latest snapshot and the active model, so customers without either still appear)."""
    queryset = Customer.objects.all()
    if snapshot is not None:
        queryset = queryset.annotate(
            rfm=FilteredRelation("rfm_rows", condition=Q(rfm_rows__snapshot_id=snapshot.pk))
        ).annotate(
            segment=F("rfm__segment"),
            recency_days=F("rfm__recency_days"),
            frequency=F("rfm__frequency"),
            monetary=F("rfm__monetary"),
            rfm_score=F("rfm__rfm_score"),
            r_score=F("rfm__r_score"),
            f_score=F("rfm__f_score"),
            m_score=F("rfm__m_score"),
        )
    else:
        queryset = queryset.annotate(
            **{
                name: Value(None, output_field=field)
                for name, field in (
                    ("segment", CharField()),
                    ("recency_days", IntegerField()),
                    ("frequency", IntegerField()),
                    ("monetary", DecimalField()),
                    ("rfm_score", FloatField()),
                    ("r_score", IntegerField()),
                    ("f_score", IntegerField()),
                    ("m_score", IntegerField()),
                )
            }
        )
    if artifact is not None:
        queryset = queryset.annotate(
            score=FilteredRelation("loyalty_scores", condition=Q(loyalty_scores__artifact_id=artifact.pk))
        ).annotate(loyalty_score=F("score__loyalty_score"), loyal=F("score__loyal"))
    else:
        queryset = queryset.annotate(
            loyalty_score=Value(None, output_field=FloatField()), loyal=Value(None, output_field=BooleanField())
        )
    search = search.strip()
    if search:
        queryset = queryset.filter(
            Q(external_id=search)
            | Q(external_id__startswith=search)
            | Q(name__icontains=search)
            | Q(email__iexact=search)
        )
    if segment:
        queryset = queryset.filter(segment=segment)
    return queryset.order_by(ORDERINGS.get(ordering, ORDERINGS["id"]), "pk")


def customer_by_external_id(external_id: str) -> Customer | None:
    return Customer.objects.filter(external_id=external_id).first()


@dataclass(frozen=True)
class Prediction:
    customer_id: str
    loyalty_score: float
    loyal: bool
    artifact_id: int
    scored_at: dt.datetime


def loyalty_prediction_get(*, customer_id: str) -> Prediction:
    """The active model's stored score: one indexed read. Raises ApplicationError (unknown customer, no model,
    no score yet) with messages that never mention other customers."""
    row = list(
        LoyaltyScore.objects.filter(
            artifact__kind=ModelArtifact.Kind.LOYALTY, artifact__is_active=True, customer__external_id=customer_id
        ).values_list("loyalty_score", "loyal", "artifact_id", "scored_at")[:1]
    )
    if row:
        score, loyal, artifact_id, scored_at = row[0]
        return Prediction(customer_id, float(score), bool(loyal), artifact_id, scored_at)
    if not ModelArtifact.objects.filter(kind=ModelArtifact.Kind.LOYALTY, is_active=True).exists():
        raise ApplicationError(NO_MODEL, code="no_model")
    if not Customer.objects.filter(external_id=customer_id).exists():
        raise ApplicationError(f"Unknown customer: {customer_id!r}.", code="unknown_customer")
    raise ApplicationError(
        f"Customer {customer_id!r} has no loyalty score yet (no purchases when the model last scored). "
        "Run `python manage.py score_customers` after importing new data.",
        code="no_score",
    )


def segment_summary(*, snapshot: RfmSnapshot | None, artifact: ModelArtifact | None) -> list[dict]:
    """Per segment of the latest snapshot: customers, share, mean recency/frequency/spend and loyalty score."""
    if snapshot is None:
        return []
    rows = CustomerRfm.objects.filter(snapshot=snapshot)
    score = Value(None, output_field=FloatField())
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
    summary = []
    for name in SEGMENTS:
        row = stats.get(name, {})
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


def _round(value, digits: int):
    return None if value is None else round(float(value), digits)


def recent_transactions(*, customer: Customer, limit: int = 10) -> list[Transaction]:
    return list(
        Transaction.objects.filter(customer=customer)
        .prefetch_related(Prefetch("items", queryset=TransactionItem.objects.select_related("product")))
        .order_by("-date", "-pk")[:limit]
    )


def product_search(*, query: str, limit: int = 10) -> list[str]:
    """Product names starting with (then containing) the query, case-insensitive: the autocomplete list."""
    key = normalize_product_name(query)
    if not key:
        return []
    names = list(
        Product.objects.filter(normalized_name__startswith=key)
        .order_by("normalized_name")
        .values_list("name", flat=True)[:limit]
    )
    if len(names) < limit:
        names += [
            n
            for n in Product.objects.filter(normalized_name__contains=key)
            .exclude(normalized_name__startswith=key)
            .order_by("normalized_name")
            .values_list("name", flat=True)[: limit - len(names)]
        ]
    return names
