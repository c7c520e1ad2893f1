"""Train the loyalty model honestly and store it in the registry (not yet active: see analytics.scoring.scores).

Dates, with L the last purchase date, w the label window and c the training cutoff (default L − w):
- selection: candidates are fitted on features at c − w with labels from (c − w, c], and compared on features at
  c with labels from (c, c + w] — a later window they never saw; the best by ROC AUC is selected;
- the selected candidate is refitted on that latest labelled window (features at c, labels (c, c + w]);
- publishing it (`loyalty_model_publish`) scores every customer on features at L and then activates it in one
  short transaction, so the old model serves until that moment.

One training run per kind at a time: the run claims a slot (a partial unique index on status "started") and sends
heartbeats; a run whose heartbeats stopped is cleaned up by the next one.
"""

import datetime as dt
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from analytics.models import ModelArtifact
from analytics.rfm.selectors import purchase_date_range_get
from analytics.rfm.services import NO_DATA
from analytics.scoring.candidates import Classifier
from analytics.scoring.registry import library_versions_get, model_serialize
from analytics.scoring.selection import NotEnoughData, select_and_fit
from analytics.scoring.selectors import loyalty_dataset_get, model_artifact_running_get
from customers.exceptions import ApplicationError
from customers.progress import Progress, progress_silent

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=30)  # a "started" run without a heartbeat for this long was killed
TRAINING_STEPS = 4  # features, fitting, storing, publishing (scores + activation)


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


def training_plan_get(*, cutoff: dt.date | None, window: int, data_end: dt.date | None = None) -> dict[str, dt.date]:
    """The dates of a run, checked against the data: clear errors instead of dishonest or empty training."""
    if window < 1:
        raise ApplicationError("The label window must be at least one day.", code="bad_window")
    first, last = purchase_date_range_get()
    if first is None or last is None:
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


def _start(*, kind: str, created_by: User | None) -> ModelArtifact:
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
        running = model_artifact_running_get(kind=kind)
        if running is None:  # it finished between the insert and this read
            return _start(kind=kind, created_by=created_by)
        raise TrainingInProgress(running) from None


def model_artifact_heartbeat(*, artifact: ModelArtifact, message: str) -> None:
    """Record what a running training is doing, and that it is alive."""
    ModelArtifact.objects.filter(pk=artifact.pk).update(progress=message[:200], heartbeat_at=timezone.now())


def model_artifact_fail(*, artifact: ModelArtifact, message: str) -> None:
    """Record a failed run; the active model (another artifact) stays in service."""
    logger.warning("training run %s failed: %s", artifact.pk, message)
    ModelArtifact.objects.filter(pk=artifact.pk).update(
        status=ModelArtifact.Status.FAILED,
        is_active=False,
        error=message,
        progress="failed",
        finished_at=timezone.now(),
    )


def loyalty_model_train(
    *,
    cutoff: dt.date | None = None,
    label_window_days: int | None = None,
    created_by: User | None = None,
    progress: Progress = progress_silent,
    on_start: Callable[[ModelArtifact], object] | None = None,
) -> ModelArtifact:
    """Select, refit and store a loyalty model (status done, not active yet). Raises ApplicationError with a clear
    message when the data cannot support it; a failed run is recorded and leaves the active model untouched."""
    window = settings.LOYALTY_LABEL_WINDOW_DAYS if label_window_days is None else label_window_days
    plan = training_plan_get(cutoff=cutoff, window=window)
    artifact = _start(kind=ModelArtifact.Kind.LOYALTY, created_by=created_by)
    if on_start is not None:
        on_start(artifact)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    done = [0]

    def step(message: str) -> None:
        model_artifact_heartbeat(artifact=artifact, message=message)
        progress(done[0], TRAINING_STEPS, message)

    def fitting(fitted: int, candidates: int, message: str) -> None:
        step(message)

    try:
        step(f"features at {plan['selection']} and {plan['cutoff']}")
        train = loyalty_dataset_get(feature_date=plan["selection"], window_days=window)
        validation = loyalty_dataset_get(feature_date=plan["cutoff"], window_days=window)
        timings["features"] = time.perf_counter() - started
        done[0] = 1
        result = select_and_fit(train=train, validation=validation, progress=fitting)
        timings["models"] = time.perf_counter() - started - timings["features"]
        done[0] = 2
        step("storing the model")
        blob, digest = model_serialize(model=result.model)
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
            "timings": {k: round(v, 2) for k, v in timings.items()},
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
        artifact.library_versions = library_versions_get()
        artifact.status = ModelArtifact.Status.DONE
        artifact.save()
        return artifact
    except NotEnoughData as exc:
        model_artifact_fail(artifact=artifact, message=str(exc))
        raise ApplicationError(str(exc), code="not_enough_data") from exc
    except BaseException as exc:
        model_artifact_fail(artifact=artifact, message=f"{type(exc).__name__}: {exc}")
        raise


def _params(model: Classifier) -> dict[str, Any]:
    params = model.get_params(deep=False)
    return {k: v if isinstance(v, int | float | str | bool | type(None)) else repr(v) for k, v in params.items()}
