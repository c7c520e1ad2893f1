"""What the dashboard shows: KPIs and chart series, computed by the database and cached per data version."""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, FloatField, Max, Sum, Value
from django.db.models.functions import Floor, TruncMonth

from analytics.models import LoyaltyScore, ModelArtifact
from analytics.rfm import SEGMENTS
from analytics.selectors.customers import active_artifact
from analytics.selectors.facts import latest_snapshot, purchase_date_range
from customers.models import Customer, ImportRun, Transaction

CACHE_SECONDS = 600
SCORE_BINS = 10


def _version() -> str:
    """Changes whenever the data, the snapshot or the model changes, so cached figures are never stale."""
    last_txn = Transaction.objects.aggregate(m=Max("pk"))["m"]
    snapshot = latest_snapshot()
    artifact = active_artifact()
    return f"{last_txn}:{snapshot.pk if snapshot else 0}:{artifact.pk if artifact else 0}"


def dashboard_data() -> dict:
    key = f"dashboard:v1:{_version()}"
    data = cache.get(key)
    if data is None:
        data = _compute()
        cache.set(key, data, CACHE_SECONDS)
    return data


def _compute() -> dict:
    first, last = purchase_date_range()
    window = settings.LOYALTY_LABEL_WINDOW_DAYS
    purchases = Transaction.objects.purchases()
    totals = Transaction.objects.aggregate(revenue=Sum("total_amount"))
    active = (
        purchases.filter(date__gt=last - dt.timedelta(days=window)).values("customer_id").distinct().count()
        if last
        else 0
    )
    snapshot = latest_snapshot()
    artifact = active_artifact()
    last_import = ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED).order_by("-finished_at").first()
    last_training = (
        ModelArtifact.objects.filter(status=ModelArtifact.Status.DONE)
        .defer("model_bytes")
        .order_by("-finished_at")
        .first()
    )
    return {
        "first_purchase": first,
        "last_purchase": last,
        "window_days": window,
        "customers": Customer.objects.count(),
        "transactions": purchases.count(),
        "revenue": float(totals["revenue"] or 0),
        "active_customers": active,
        "snapshot": {"id": snapshot.pk, "as_of": snapshot.as_of, "customers": snapshot.customers} if snapshot else None,
        "model": (
            {
                "id": artifact.pk,
                "algorithm": artifact.algorithm,
                "roc_auc": artifact.validation_roc_auc,
                "threshold": artifact.threshold,
            }
            if artifact
            else None
        ),
        "last_import": (
            {"id": last_import.pk, "name": last_import.source_name, "at": last_import.finished_at}
            if last_import
            else None
        ),
        "last_training": ({"id": last_training.pk, "at": last_training.finished_at} if last_training else None),
        "segments": [{"segment": name, "customers": snapshot.segment_counts.get(name, 0)} for name in SEGMENTS]
        if snapshot
        else [],
        "score_histogram": _score_histogram(artifact),
        "monthly": _monthly(),
    }


def _score_histogram(artifact: ModelArtifact | None) -> dict | None:
    if artifact is None:
        return None
    counts = [0] * SCORE_BINS
    bucketed = (
        LoyaltyScore.objects.filter(artifact=artifact)
        .annotate(bucket=Floor(F("loyalty_score") * Value(float(SCORE_BINS), output_field=FloatField())))
        .values("bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in bucketed:
        counts[min(int(row["bucket"]), SCORE_BINS - 1)] += row["n"]
    return {"edges": [round(i / SCORE_BINS, 2) for i in range(SCORE_BINS + 1)], "counts": counts, "label": "Customers"}


def _monthly() -> list[dict]:
    rows = (
        Transaction.objects.purchases()
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(revenue=Sum("total_amount"), transactions=Count("pk"))
        .order_by("month")
    )
    return [
        {
            "month": row["month"].strftime("%Y-%m"),
            "revenue": float(row["revenue"] or 0),
            "transactions": row["transactions"],
        }
        for row in rows
    ]
