"""Training the loyalty model on the real database: the guardrails on thin data, then on the trained shop what a
run stores, refusals while another runs, and a failed run leaving the active model in service."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from analytics.models import LoyaltyScore, ModelArtifact
from analytics.scoring import training
from analytics.scoring.candidates import BASELINES, CANDIDATES, CANDIDATES_BY_NAME
from analytics.scoring.training import STALE_AFTER, TrainingInProgress, loyalty_model_train
from analytics.tests.helpers import train_and_publish
from customers.exceptions import ApplicationError

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------------------------------
# On an empty database or five hand-made histories (these tests come first: the trained shop comes after them)
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cutoff": dt.date(2024, 9, 1)}, "those labels are not known yet"),
        ({"cutoff": dt.date(2024, 4, 1)}, "Not enough history for a 60-day window"),
        ({"label_window_days": 0}, "at least one day"),
    ],
)
def test_date_guardrails_are_clear_errors(empty_database, history, kwargs, message):
    """A cutoff too late for its labels, too early for any history, or an empty window is refused clearly."""
    with pytest.raises(ApplicationError, match=message):
        loyalty_model_train(**kwargs)


def test_too_few_customers_is_a_clear_error(empty_database, history):
    """Five customers cannot be trained on honestly: the message says how many there are and how many it needs."""
    with pytest.raises(ApplicationError, match=r"training set has \d+ customers .* needs at least 20"):
        loyalty_model_train(cutoff=dt.date(2024, 6, 30), label_window_days=60)


def test_empty_database_is_a_clear_error(empty_database):
    """Without purchases training says to import data first."""
    with pytest.raises(ApplicationError, match="import data first"):
        loyalty_model_train()


# ---------------------------------------------------------------------------------------------------------------
# On the trained shop
# ---------------------------------------------------------------------------------------------------------------


def test_train_stores_the_model_with_its_metrics_and_data_window(trained_shop):
    """A run stores a checksummed model, selected by out-of-time ROC AUC among the candidates, with its metrics."""
    artifact = trained_shop["artifact"]
    assert (artifact.status, artifact.is_active) == (ModelArtifact.Status.DONE, True)
    assert artifact.sha256 == hashlib.sha256(bytes(artifact.model_bytes)).hexdigest()
    assert artifact.algorithm in CANDIDATES_BY_NAME
    assert set(artifact.metrics["validation"]) == {c.name for c in CANDIDATES} | set(BASELINES)
    selected = artifact.metrics["validation"][artifact.algorithm]
    assert selected["roc_auc"] == max(
        artifact.metrics["validation"][c.name]["roc_auc"] for c in CANDIDATES
    )  # selected by out-of-time ROC AUC, never a baseline
    assert {"roc", "calibration"} <= set(artifact.metrics["curves"])
    assert artifact.metrics["feature_importance"]
    assert set(artifact.library_versions) >= {"scikit-learn", "numpy", "skops"}
    assert artifact.data_window["label_window_days"] == 60


def test_failed_run_leaves_the_active_model_untouched(trained_shop, monkeypatch):
    """A run that crashes is recorded as failed with its error; the active model and its scores stay as they were."""
    trained = trained_shop["artifact"]
    before = list(LoyaltyScore.objects.filter(artifact=trained).values_list("customer_id", "loyalty_score"))

    def broken(**kwargs):
        raise RuntimeError("out of memory (injected)")

    monkeypatch.setattr(training, "select_and_fit", broken)
    with pytest.raises(RuntimeError, match="injected"):
        loyalty_model_train()
    failed = ModelArtifact.objects.order_by("-pk").first()
    assert (failed.status, failed.is_active) == (ModelArtifact.Status.FAILED, False)
    assert "out of memory (injected)" in failed.error
    assert ModelArtifact.objects.get(is_active=True).pk == trained.pk
    assert list(LoyaltyScore.objects.filter(artifact=trained).values_list("customer_id", "loyalty_score")) == before


def test_a_second_train_while_one_runs_is_refused(trained_shop):
    """While a run is in progress another is refused, naming that run and its progress, and stores nothing."""
    running = ModelArtifact.objects.create(progress="fitting blend")
    before = sorted(ModelArtifact.objects.values_list("pk", flat=True))
    with pytest.raises(TrainingInProgress, match=rf"Another training run \(model #{running.pk}.*fitting blend"):
        loyalty_model_train()
    assert sorted(ModelArtifact.objects.values_list("pk", flat=True)) == before


def test_a_run_that_stopped_sending_heartbeats_is_cleaned_up(trained_shop):
    """A run whose heartbeat is stale is marked abandoned, and the new run trains and becomes active."""
    dead = ModelArtifact.objects.create(heartbeat_at=timezone.now() - STALE_AFTER * 2)
    artifact = train_and_publish(recommendations=False)
    dead.refresh_from_db()
    assert dead.status == ModelArtifact.Status.FAILED
    assert "Abandoned" in dead.error
    assert artifact.is_active
