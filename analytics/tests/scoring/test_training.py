"""`train` end to end on a generated shop: registry, scores, activation, refusals, tampering, backtest shape."""

import hashlib

import pytest
import skops.io
from django.db import IntegrityError, transaction
from django.utils import timezone

from analytics.models import LoyaltyScore, ModelArtifact, RecommendationBuild
from analytics.scoring import registry, training
from analytics.scoring.artifacts import ALLOWED_TYPES, ArtifactRefused
from analytics.scoring.candidates import BASELINES, BLEND_FEATURES, CANDIDATES, CANDIDATES_BY_NAME
from analytics.scoring.training import STALE_AFTER, TrainingInProgress, loyalty_model_train
from analytics.tests.helpers import train_and_publish
from customers.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shop(synthetic_imported):
    return synthetic_imported


@pytest.fixture
def trained() -> ModelArtifact:
    return train_and_publish()


def test_train_stores_activates_and_scores_every_customer(trained):
    artifact = ModelArtifact.objects.get(pk=trained.pk)
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

    scores = LoyaltyScore.objects.filter(artifact=artifact)
    assert scores.count() == Customer.objects.filter(transactions__isnull=False).distinct().count()
    for score, loyal in scores.values_list("loyalty_score", "loyal")[:200]:
        assert 0 <= score <= 1
        assert loyal == (score >= artifact.threshold)
    assert RecommendationBuild.objects.filter(is_active=True).exists()


def test_retraining_swaps_the_active_model_and_drops_old_scores(trained):
    second = train_and_publish(recommendations=False)
    assert list(ModelArtifact.objects.filter(is_active=True).values_list("pk", flat=True)) == [second.pk]
    assert not LoyaltyScore.objects.filter(artifact=trained).exists()
    assert LoyaltyScore.objects.filter(artifact=second).exists()


def test_failed_run_leaves_the_active_model_untouched(trained, monkeypatch):
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


def test_a_second_train_while_one_runs_is_refused():
    running = ModelArtifact.objects.create(progress="fitting blend")
    with pytest.raises(TrainingInProgress, match=rf"Another training run \(model #{running.pk}.*fitting blend"):
        loyalty_model_train()
    assert ModelArtifact.objects.count() == 1


def test_a_run_that_stopped_sending_heartbeats_is_cleaned_up():
    dead = ModelArtifact.objects.create(heartbeat_at=timezone.now() - STALE_AFTER * 2)
    artifact = train_and_publish(recommendations=False)
    dead.refresh_from_db()
    assert dead.status == ModelArtifact.Status.FAILED
    assert "Abandoned" in dead.error
    assert artifact.is_active


def test_database_allows_one_active_model_per_kind(trained):
    other = ModelArtifact.objects.create(status=ModelArtifact.Status.DONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelArtifact.objects.filter(pk=other.pk).update(is_active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelArtifact.objects.create(status=ModelArtifact.Status.FAILED, is_active=True)


def test_tampered_artifact_is_refused(trained):
    """One changed byte fails the checksum; nothing is deserialised."""
    blob = bytearray(trained.model_bytes)
    blob[len(blob) // 2] ^= 0xFF
    trained.model_bytes = bytes(blob)
    with pytest.raises(ArtifactRefused, match="integrity check"):
        registry.model_artifact_load(artifact=trained)


class Smuggled:
    """Stands for any type an attacker would like the loader to build."""


def test_artifact_with_unexpected_types_is_refused_even_with_a_matching_checksum(trained):
    blob = skops.io.dumps({"model": Smuggled()})
    trained.model_bytes, trained.sha256 = blob, hashlib.sha256(blob).hexdigest()
    with pytest.raises(ArtifactRefused, match=r"unexpected types \(.*Smuggled\)"):
        registry.model_artifact_load(artifact=trained)


def test_unreadable_artifact_is_refused(trained):
    blob = b"not a model at all"
    trained.model_bytes, trained.sha256 = blob, hashlib.sha256(blob).hexdigest()
    with pytest.raises(ArtifactRefused, match="unreadable"):
        registry.model_artifact_load(artifact=trained)


def test_every_candidate_serialises_within_the_allowed_types():
    """The allow-list covers what training can produce, so a legitimate model always loads."""
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, len(BLEND_FEATURES)))
    x[:, BLEND_FEATURES.index("bgnbd_p_purchase")] = rng.uniform(size=300)
    y = (x[:, 0] > 0).astype(int)
    for candidate in CANDIDATES:
        model = candidate.make().fit(x[:, : len(candidate.features)], y)
        assert set(skops.io.get_untrusted_types(data=skops.io.dumps(model))) <= ALLOWED_TYPES
