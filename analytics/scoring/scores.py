"""Scores: every customer scored by a model and written for it, so a prediction is one indexed read.

`loyalty_model_publish` puts a freshly trained model in service (scores first, then activation, so the old model
serves until the new one has a score for everyone); `loyalty_scores_refresh` re-scores with the model in service
after new data arrived.
"""

import datetime as dt
import time

import numpy as np
from django.db import transaction
from django.utils import timezone

from analytics.models import LoyaltyScore, ModelArtifact
from analytics.rfm.selectors import purchase_date_range_get
from analytics.scoring.candidates import CANDIDATES_BY_NAME, predict
from analytics.scoring.registry import model_artifact_activate, model_artifact_load
from analytics.scoring.selectors import NO_MODEL, loyalty_dataset_get, model_artifact_active_get
from analytics.scoring.training import model_artifact_fail, model_artifact_heartbeat
from customers.bulk import bulk_insert, chunked, db_datetime, refresh_statistics
from customers.exceptions import ApplicationError
from customers.locks import PIPELINE_LOCK, exclusive_lock
from customers.progress import Progress, progress_silent

SCORE_BATCH = 20_000
SCORE_FIELDS = ["artifact", "customer", "loyalty_score", "loyal", "scored_at"]


def loyalty_scores_write(*, artifact: ModelArtifact, as_of: dt.date, window_days: int) -> int:
    """Score every customer with purchases up to `as_of` with `artifact`; replaces the artifact's scores.

    Rows are written in short batches: they are invisible to predictions until the artifact is active (for a new
    model), and for the active model (a refresh after an import) the replacement happens in one transaction.
    """
    model = model_artifact_load(artifact=artifact)
    candidate = CANDIDATES_BY_NAME[artifact.algorithm]
    table = loyalty_dataset_get(feature_date=as_of, window_days=window_days, labelled=False).features
    if not len(table):
        return 0
    scores = np.clip(predict(candidate, model, table), 0.0, 1.0)
    now = db_datetime(timezone.now())
    threshold = artifact.threshold if artifact.threshold is not None else 0.5
    rows = [
        (artifact.pk, customer, float(score), bool(score >= threshold), now)
        for customer, score in zip(table.customer_ids.tolist(), scores.tolist(), strict=True)
    ]
    if artifact.is_active:
        with exclusive_lock(key=PIPELINE_LOCK), transaction.atomic():
            LoyaltyScore.objects.filter(artifact=artifact).delete()
            bulk_insert(LoyaltyScore, SCORE_FIELDS, rows)
    else:
        LoyaltyScore.objects.filter(artifact=artifact).delete()
        for batch in chunked(rows, SCORE_BATCH):
            with transaction.atomic():
                bulk_insert(LoyaltyScore, SCORE_FIELDS, batch)
    refresh_statistics(LoyaltyScore)
    return len(rows)


def loyalty_model_publish(*, artifact: ModelArtifact, progress: Progress = progress_silent) -> int:
    """Score every customer on features at the data's last date with the new `artifact`, activate it, drop the
    scores of the models it replaces. Returns how many customers were scored. A failure marks the run failed and
    leaves the model in service untouched."""
    started = time.perf_counter()
    last = dt.date.fromisoformat(artifact.data_window["last_purchase"])
    message = f"scoring every customer on features at {last}"
    model_artifact_heartbeat(artifact=artifact, message=message)
    progress(0, 1, message)
    try:
        scored = loyalty_scores_write(
            artifact=artifact, as_of=last, window_days=artifact.data_window["label_window_days"]
        )
        model_artifact_activate(artifact=artifact)
        LoyaltyScore.objects.filter(artifact__kind=artifact.kind).exclude(artifact=artifact).delete()
    except BaseException as exc:
        model_artifact_fail(artifact=artifact, message=f"{type(exc).__name__}: {exc}")
        raise
    timings = artifact.metrics.setdefault("timings", {})
    timings["scoring"] = round(time.perf_counter() - started, 2)
    timings["total"] = round(sum(v for k, v in timings.items() if k != "total"), 2)
    artifact.finished_at = timezone.now()
    artifact.progress = "done"
    artifact.data_window["scored_customers"] = scored
    artifact.save(update_fields=["finished_at", "progress", "data_window", "metrics"])
    progress(1, 1, f"model #{artifact.pk} is active")
    return scored


def loyalty_scores_refresh() -> int:
    """Re-score every customer with the active model on current data (after an import added customers)."""
    artifact = model_artifact_active_get()
    if artifact is None:
        raise ApplicationError(NO_MODEL, code="no_model")
    _, last = purchase_date_range_get()
    if last is None:
        return 0
    return loyalty_scores_write(
        artifact=artifact, as_of=last, window_days=artifact.data_window.get("label_window_days", 60)
    )
