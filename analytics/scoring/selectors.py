"""Reads for the loyalty model: the registry, datasets at a date, and a customer's stored score."""

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet

from analytics.facts import IntArray
from analytics.models import LoyaltyScore, ModelArtifact
from analytics.rfm.selectors import purchase_aggregates_get, rfm_weights_get
from analytics.scoring.artifacts import verify_blob
from analytics.scoring.features import Dataset, build_features, labels_for
from customers.exceptions import ApplicationError
from customers.models import Customer, Transaction

NO_MODEL = "No loyalty model has been trained yet: run `python manage.py train`."


def model_artifact_active_get(*, kind: str = ModelArtifact.Kind.LOYALTY) -> ModelArtifact | None:
    """The model in service (without its bytes)."""
    return ModelArtifact.objects.filter(kind=kind, is_active=True).defer("model_bytes").first()


def model_artifact_list() -> QuerySet[ModelArtifact]:
    """Every training run, newest first (without the model bytes)."""
    return ModelArtifact.objects.defer("model_bytes").select_related("created_by").order_by("-created_at", "-pk")


def model_artifact_get(*, pk: int) -> ModelArtifact | None:
    return ModelArtifact.objects.defer("model_bytes").filter(pk=pk).first()


def model_artifact_running_get(*, kind: str = ModelArtifact.Kind.LOYALTY) -> ModelArtifact | None:
    """The training run of `kind` in progress, if any."""
    return ModelArtifact.objects.filter(kind=kind, status=ModelArtifact.Status.STARTED).defer("model_bytes").first()


def window_buyers_list(*, start: dt.date, end: dt.date) -> IntArray:
    """Ids of customers with at least one purchase in (start, end]: the loyalty label."""
    ids = Transaction.objects.purchases().in_window(start, end).order_by().values_list("customer_id", flat=True)
    return np.unique(np.fromiter(ids.distinct().iterator(chunk_size=50_000), dtype=np.int64))


def loyalty_dataset_get(*, feature_date: dt.date, window_days: int, labelled: bool = True) -> Dataset:
    """Customers with a purchase on or before `feature_date`, their features from that history only, and (when
    `labelled`) whether they bought in (feature_date, feature_date + window]."""
    features = build_features(
        purchase_aggregates_get(as_of=feature_date), window_days=window_days, weights=rfm_weights_get()
    )
    labels = window = None
    if labelled:
        end = feature_date + dt.timedelta(days=window_days)
        buyers = window_buyers_list(start=feature_date, end=end)
        labels = labels_for(features.customer_ids, buyers)
        window = (f"{feature_date + dt.timedelta(days=1)}", f"{end}")
    return Dataset(features=features, labels=labels, feature_date=f"{feature_date}", label_window=window)


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


def model_artifact_active_is_trusted() -> bool:
    """A model is active and its artifact passes the integrity checks (readiness)."""
    row = (
        ModelArtifact.objects.filter(kind=ModelArtifact.Kind.LOYALTY, is_active=True).values_list("pk", "sha256")
    ).first()
    if row is None:
        return False
    try:
        _ensure_trusted(*row)
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
