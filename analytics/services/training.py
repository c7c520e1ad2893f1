"""Train the loyalty model honestly, store it in the registry, score every customer, activate it.

Dates, with L the last purchase date, w the label window and c the training cutoff (default L − w):
- selection: candidates are fitted on features at c − w with labels from (c − w, c], and compared on features at
  c with labels from (c, c + w] — a later window they never saw; the best by ROC AUC is selected;
- the selected candidate is refitted on that latest labelled window (features at c, labels (c, c + w]);
- every customer is then scored on features at L (the live view) and the scores are written for the new artifact;
- activation flips the active artifact in one short transaction, so the old model serves until that moment.

`evaluate` (a backtest) runs the same pipeline as if the data ended at its cutoff C: training cutoff C − w, scores
on features at C, and the test is the window (C, C + w] that nothing in the pipeline saw.
"""

import datetime as dt
import logging
import time
from collections.abc import Callable
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from analytics import ml
from analytics.models import LoyaltyScore, ModelArtifact
from analytics.selectors import (
    NO_MODEL,
    active_artifact,
    customers_buying_in_window,
    purchase_aggregates,
    purchase_date_range,
)
from analytics.services import registry
from analytics.services.rfm import NO_DATA, rfm_weights
from customers.bulk import bulk_insert, chunked, db_datetime, refresh_statistics
from customers.exceptions import ApplicationError

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
STALE_AFTER = timedelta(minutes=30)  # a "started" run without a heartbeat for this long was killed
SCORE_BATCH = 20_000


class TrainingInProgress(ApplicationError):
    def __init__(self, running: ModelArtifact):
        super().__init__(
            f"Another training run (model #{running.pk}, started "
            f"{timezone.localtime(running.created_at):%Y-%m-%d %H:%M}, now: {running.progress or 'starting'}) "
            "is still in progress; wait for it to finish.",
            code="training_in_progress",
            extra={"artifact": running.pk},
        )


def _date(d: dt.date, days: int) -> dt.date:
    return d + timedelta(days=days)


def dataset(*, feature_date: dt.date, window_days: int, labelled: bool = True) -> ml.Dataset:
    """Customers with a purchase on or before `feature_date`, their features from that history only, and (when
    `labelled`) whether they bought in (feature_date, feature_date + window]."""
    features = ml.build_features(
        purchase_aggregates(as_of=feature_date), window_days=window_days, weights=rfm_weights()
    )
    labels = window = None
    if labelled:
        end = _date(feature_date, window_days)
        buyers = customers_buying_in_window(start=feature_date, end=end)
        labels = ml.labels_for(features.customer_ids, buyers)
        window = (f"{feature_date + timedelta(days=1)}", f"{end}")
    return ml.Dataset(features=features, labels=labels, feature_date=f"{feature_date}", label_window=window)


def _plan(*, cutoff: dt.date | None, window: int, data_end: dt.date | None = None) -> dict[str, dt.date]:
    """The dates of a run, checked against the data: clear errors instead of dishonest or empty training."""
    if window < 1:
        raise ApplicationError("The label window must be at least one day.", code="bad_window")
    first, last = purchase_date_range()
    if first is None:
        raise ApplicationError(NO_DATA, code="no_data")
    end = data_end or last
    cutoff = cutoff or _date(end, -window)
    if _date(cutoff, window) > end:
        raise ApplicationError(
            f"The cutoff {cutoff} plus the {window}-day label window ends after the data ({end}): those labels are "
            f"not known yet. Use a cutoff on or before {_date(end, -window)}.",
            code="labels_unknown",
        )
    selection = _date(cutoff, -window)
    if selection < first:
        raise ApplicationError(
            f"Not enough history for a {window}-day window: training compares candidates on two consecutive "
            f"windows, so it needs purchases before {selection} ({2 * window} days before the data ends at "
            f"{_date(cutoff, window)}); the data starts on {first}. Use a shorter --label-window-days or more history.",
            code="not_enough_history",
        )
    return {"first": first, "last": last, "selection": selection, "cutoff": cutoff, "end": _date(cutoff, window)}


def _start(*, kind: str, created_by) -> ModelArtifact:
    """Claim the single training slot of `kind`, clearing a run that stopped sending heartbeats."""
    stale = timezone.now() - STALE_AFTER
    ModelArtifact.objects.filter(kind=kind, status=ModelArtifact.Status.STARTED, heartbeat_at__lt=stale).update(
        status=ModelArtifact.Status.FAILED,
        error="Abandoned: the training process stopped (no heartbeat); the next run cleaned it up.",
        finished_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            return ModelArtifact.objects.create(kind=kind, created_by=created_by, progress="starting")
    except IntegrityError:
        running = ModelArtifact.objects.filter(kind=kind, status=ModelArtifact.Status.STARTED).first()
        if running is None:  # it finished between the insert and this read
            return _start(kind=kind, created_by=created_by)
        raise TrainingInProgress(running) from None


def _heartbeat(artifact: ModelArtifact, message: str, progress: Progress | None) -> None:
    ModelArtifact.objects.filter(pk=artifact.pk).update(progress=message[:200], heartbeat_at=timezone.now())
    if progress:
        progress(message)


def loyalty_model_train(
    *,
    cutoff: dt.date | None = None,
    label_window_days: int | None = None,
    created_by=None,
    progress: Progress | None = None,
    rebuild_recommendations: bool = True,
    on_start: Callable[[ModelArtifact], object] | None = None,
) -> ModelArtifact:
    """The whole `train` run. Raises ApplicationError with a clear message when the data cannot support it;
    a failed run is recorded and leaves the active model untouched."""
    window = settings.LOYALTY_LABEL_WINDOW_DAYS if label_window_days is None else label_window_days
    plan = _plan(cutoff=cutoff, window=window)
    artifact = _start(kind=ModelArtifact.Kind.LOYALTY, created_by=created_by)
    if on_start:
        on_start(artifact)
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def step(message: str) -> None:
        _heartbeat(artifact, message, progress)

    try:
        step(f"features at {plan['selection']} and {plan['cutoff']}")
        train = dataset(feature_date=plan["selection"], window_days=window)
        validation = dataset(feature_date=plan["cutoff"], window_days=window)
        timings["features"] = time.perf_counter() - started
        result = ml.select_and_fit(train=train, validation=validation, progress=step)
        timings["models"] = time.perf_counter() - started - timings["features"]
        blob, digest = registry.serialize(result.model)
        artifact.algorithm = result.selected.name
        artifact.description = result.selected.description
        artifact.params = _params(result.model)
        artifact.feature_names = list(result.selected.features)
        artifact.threshold = result.threshold
        artifact.metrics = {
            "validation": result.validation,
            "curves": result.curves,
            "feature_importance": result.importance,
            "random_split": result.random_split,
            "selection": {"metric": "roc_auc", "on": "validation (out of time)"},
        }
        artifact.data_window = {
            "first_purchase": f"{plan['first']}",
            "last_purchase": f"{plan['last']}",
            "label_window_days": window,
            "selection_features_at": f"{plan['selection']}",
            "cutoff": f"{plan['cutoff']}",
            "labels_until": f"{plan['end']}",
            "train_customers": len(train.features),
            "train_positive_rate": train.positive_rate,
            "validation_customers": len(validation.features),
            "validation_positive_rate": validation.positive_rate,
            "bgnbd_params_at_cutoff": validation.features.bgnbd_params,
        }
        artifact.model_bytes, artifact.sha256, artifact.size_bytes = blob, digest, len(blob)
        artifact.library_versions = registry.library_versions()
        artifact.status = ModelArtifact.Status.DONE
        artifact.save()

        step(f"scoring every customer on features at {plan['last']}")
        scored = loyalty_scores_write(artifact=artifact, as_of=plan["last"], window_days=window)
        timings["scoring"] = time.perf_counter() - started - timings["features"] - timings["models"]
        registry.activate(artifact)
        LoyaltyScore.objects.filter(artifact__kind=artifact.kind).exclude(artifact=artifact).delete()
        if rebuild_recommendations:
            step("rebuilding recommendations")
            _rebuild_recommendations()
        timings["total"] = time.perf_counter() - started
        artifact.finished_at = timezone.now()
        artifact.progress = "done"
        artifact.data_window["scored_customers"] = scored
        artifact.metrics["timings"] = {k: round(v, 2) for k, v in timings.items()}
        artifact.save(update_fields=["finished_at", "progress", "data_window", "metrics"])
        return artifact
    except ml.NotEnoughData as exc:
        _fail(artifact, str(exc))
        raise ApplicationError(str(exc), code="not_enough_data") from exc
    except BaseException as exc:
        _fail(artifact, f"{type(exc).__name__}: {exc}")
        raise


def _rebuild_recommendations() -> None:
    from analytics.services.recommendations import recommendations_build

    recommendations_build()


def _fail(artifact: ModelArtifact, message: str) -> None:
    logger.warning("training run %s failed: %s", artifact.pk, message)
    ModelArtifact.objects.filter(pk=artifact.pk).update(
        status=ModelArtifact.Status.FAILED,
        is_active=False,
        error=message,
        progress="failed",
        finished_at=timezone.now(),
    )


def _params(model) -> dict:
    params = model.get_params(deep=False)
    return {k: v if isinstance(v, int | float | str | bool | type(None)) else repr(v) for k, v in params.items()}


def loyalty_scores_write(*, artifact: ModelArtifact, as_of: dt.date, window_days: int) -> int:
    """Score every customer with purchases up to `as_of` with `artifact`; replaces the artifact's scores.

    Rows are written in short batches: they are invisible to predictions until the artifact is active (for a new
    model), and for the active model (a refresh after an import) the replacement happens in one transaction.
    """
    model = registry.load(artifact)
    candidate = ml.CANDIDATES_BY_NAME[artifact.algorithm]
    table = dataset(feature_date=as_of, window_days=window_days, labelled=False).features
    if not len(table):
        return 0
    scores = np.clip(ml.predict(candidate, model, table), 0.0, 1.0)
    now = db_datetime(timezone.now())
    threshold = artifact.threshold if artifact.threshold is not None else 0.5
    rows = [
        (artifact.pk, customer, float(score), bool(score >= threshold), now)
        for customer, score in zip(table.customer_ids.tolist(), scores.tolist(), strict=True)
    ]
    fields = ["artifact", "customer", "loyalty_score", "loyal", "scored_at"]
    if artifact.is_active:
        with transaction.atomic():
            LoyaltyScore.objects.filter(artifact=artifact).delete()
            bulk_insert(LoyaltyScore, fields, rows)
    else:
        LoyaltyScore.objects.filter(artifact=artifact).delete()
        for batch in chunked(rows, SCORE_BATCH):
            with transaction.atomic():
                bulk_insert(LoyaltyScore, fields, batch)
    refresh_statistics(LoyaltyScore)
    return len(rows)


def loyalty_scores_refresh() -> int:
    """Re-score every customer with the active model on current data (after an import added customers)."""
    artifact = active_artifact()
    if artifact is None:
        raise ApplicationError(NO_MODEL, code="no_model")
    _, last = purchase_date_range()
    return loyalty_scores_write(
        artifact=artifact, as_of=last, window_days=artifact.data_window.get("label_window_days", 60)
    )


def loyalty_model_evaluate(*, cutoff: dt.date, label_window_days: int, progress: Progress | None = None) -> dict:
    """Backtest: `train`'s pipeline as if the data ended at `cutoff`, tested on (cutoff, cutoff + window].
    Nothing after the cutoff reaches features, labels or selection; the registry is not touched."""
    window = label_window_days
    first, last = purchase_date_range()
    if first is None:
        raise ApplicationError(NO_DATA, code="no_data")
    test_end = _date(cutoff, window)
    if test_end > last:
        raise ApplicationError(
            f"The test window ({cutoff} to {test_end}) ends after the data ({last}); use a cutoff on or before "
            f"{_date(last, -window)}.",
            code="labels_unknown",
        )
    plan = _plan(cutoff=_date(cutoff, -window), window=window, data_end=cutoff)
    say = progress or (lambda message: None)
    say(f"features at {plan['selection']}, {plan['cutoff']} and {cutoff}")
    train = dataset(feature_date=plan["selection"], window_days=window)
    validation = dataset(feature_date=plan["cutoff"], window_days=window)
    test = dataset(feature_date=cutoff, window_days=window)
    try:
        result = ml.select_and_fit(train=train, validation=validation, test=test, progress=say)
    except ml.NotEnoughData as exc:
        raise ApplicationError(str(exc), code="not_enough_data") from exc
    candidate_keys = ("roc_auc", "pr_auc", "brier", "accuracy", "precision", "recall", "f1", "confusion_matrix")
    return {
        "cutoff": f"{cutoff}",
        "label_window_days": window,
        "train": {
            "cutoff": f"{plan['cutoff']}",
            "customers": len(validation.features),
            "positive_rate": validation.positive_rate,
        },
        "test": {"customers": len(test.features), "positive_rate": test.positive_rate},
        "selected": result.selected.name,
        "candidates": [{"name": c.name, **{k: result.test[c.name][k] for k in candidate_keys}} for c in ml.CANDIDATES],
        "baselines": [
            {"name": name, **{k: result.test[name][k] for k in ("roc_auc", "pr_auc", "brier")}} for name in ml.BASELINES
        ],
    }
