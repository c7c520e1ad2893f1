"""Customers, scores and segments as the pages and the API read them."""

import datetime as dt
from dataclasses import dataclass

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
    Prefetch,
    Q,
    QuerySet,
    Value,
)

from analytics.artifacts import verify_blob
from analytics.models import CustomerRfm, LoyaltyScore, ModelArtifact, RfmSnapshot
from analytics.rfm import SEGMENT_DESCRIPTIONS, SEGMENTS
from analytics.selectors.facts import NO_MODEL
from customers.exceptions import ApplicationError
from customers.models import Customer, Product, Transaction, TransactionItem
from customers.names import normalize_product_name

# ordering -> (field, descending, which table it lives in). Orderings on a score or an RFM value list the customers
# that have one (an inner join), so that PostgreSQL can walk the (snapshot|artifact, value) index instead of
# sorting every customer; "id" lists everyone.
ORDERINGS = {
    "id": ("external_id", False, "customer"),
    "score": ("loyalty_score", True, "score"),
    "-score": ("loyalty_score", False, "score"),
    "recency": ("recency_days", False, "rfm"),
    "-recency": ("recency_days", True, "rfm"),
    "frequency": ("frequency", True, "rfm"),
    "-frequency": ("frequency", False, "rfm"),
    "monetary": ("monetary", True, "rfm"),
    "-monetary": ("monetary", False, "rfm"),
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
    field, descending, source = ORDERINGS.get(ordering, ORDERINGS["id"])
    if source == "score" and artifact is not None:
        queryset = queryset.filter(loyalty_score__isnull=False)
    elif source == "rfm" and snapshot is not None:
        queryset = queryset.filter(segment__isnull=False)
    order = F(field).desc() if descending else F(field).asc()
    return queryset.order_by(order, "external_id")


def customer_by_external_id(external_id: str) -> Customer | None:
    return Customer.objects.filter(external_id=external_id).first()


@dataclass(frozen=True)
class Prediction:
    customer_id: str
    loyalty_score: float
    loyal: bool
    artifact_id: int
    scored_at: dt.datetime


_VERIFIED: set[tuple[int, str]] = set()  # (artifact, sha256) pairs this process has checked


def _ensure_trusted(artifact_id: int, sha256: str) -> None:
    """Serve scores only from an artifact whose bytes pass the integrity checks: verified once per process and
    artifact (a tampered or corrupt active model answers 503 until it is retrained)."""
    if (artifact_id, sha256) in _VERIFIED:
        return
    blob = ModelArtifact.objects.filter(pk=artifact_id).values_list("model_bytes", flat=True).first()
    verify_blob(pk=artifact_id, blob=bytes(blob or b""), sha256=sha256)
    _VERIFIED.add((artifact_id, sha256))


def active_model_is_trusted() -> bool:
    """A model is active and its artifact passes the integrity checks (readiness)."""
    artifact = ModelArtifact.objects.filter(kind=ModelArtifact.Kind.LOYALTY, is_active=True).values("pk", "sha256")
    row = artifact.first()
    if row is None:
        return False
    try:
        _ensure_trusted(row["pk"], row["sha256"])
    except ApplicationError:
        return False
    return True


def loyalty_prediction_get(*, customer_id: str) -> Prediction:
    """The active model's stored score: one indexed read. Raises ApplicationError (unknown customer, no model,
    no score yet, untrustworthy model) with messages that never mention other customers."""
    row = list(
        LoyaltyScore.objects.filter(
            artifact__kind=ModelArtifact.Kind.LOYALTY, artifact__is_active=True, customer__external_id=customer_id
        ).values_list("loyalty_score", "loyal", "artifact_id", "scored_at", "artifact__sha256")[:1]
    )
    if row:
        score, loyal, artifact_id, scored_at, sha256 = row[0]
        _ensure_trusted(artifact_id, sha256)
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
