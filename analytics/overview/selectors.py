"""The state of the whole system: what the dashboard shows (KPIs and chart series, computed by the database and
cached per data version) and whether the service is ready to answer."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, FloatField, Max, Sum, Value
from django.db.models.functions import Floor, TruncMonth

from analytics.models import LoyaltyScore, ModelArtifact
from analytics.rfm.maths import SEGMENTS
from analytics.rfm.selectors import purchase_date_range_get, rfm_snapshot_latest_get
from analytics.scoring.selectors import model_artifact_active_get, model_artifact_active_is_trusted
from customers.models import Customer, ImportRun, Transaction

logger = logging.getLogger(__name__)

CACHE_SECONDS = 600
SCORE_BINS = 10


def _version() -> str:
    """Changes whenever the data, the snapshot or the model changes, so cached figures are never stale."""
    last_txn = Transaction.objects.aggregate(m=Max("pk"))["m"]
    snapshot = rfm_snapshot_latest_get()
    artifact = model_artifact_active_get()
    return f"{last_txn}:{snapshot.pk if snapshot else 0}:{artifact.pk if artifact else 0}"


def dashboard_data_get() -> dict[str, Any]:
    """The dashboard's figures; cached until the data, the snapshot or the model changes."""
    key = f"dashboard:v1:{_version()}"
    data: dict[str, Any] | None = cache.get(key)
    if data is None:
        data = _compute()
        cache.set(key, data, CACHE_SECONDS)
    return data


def _compute() -> dict[str, Any]:
    first, last = purchase_date_range_get()
    window = settings.LOYALTY_LABEL_WINDOW_DAYS
    purchases = Transaction.objects.purchases()
    totals = Transaction.objects.aggregate(revenue=Sum("total_amount"))
    active = (
        purchases.filter(date__gt=last - dt.timedelta(days=window)).values("customer_id").distinct().count()
        if last
        else 0
    )
    snapshot = rfm_snapshot_latest_get()
    artifact = model_artifact_active_get()
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


def _score_histogram(artifact: ModelArtifact | None) -> dict[str, Any] | None:
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


def _monthly() -> list[dict[str, Any]]:
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


def readiness_get() -> dict[str, bool]:
    """Readiness checks: the database answers, and an active loyalty model passes its integrity checks."""
    checks = {"database": False, "model": False}
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
        checks["model"] = model_artifact_active_is_trusted()
    except Exception as exc:  # any failure means "not ready"; the probe says which check failed
        logger.warning("readiness check failed: %s", exc)
    return checks
