"""What a stored model may contain: the type allow-list covers every candidate, refuses empty blobs, and keeps
artifacts written before the feature layout (their blend recorded as `analytics.ml.BlendClassifier`) loading."""

import gzip
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import skops.io
from django.utils import timezone

from analytics.models import LoyaltyScore, ModelArtifact
from analytics.scoring.artifacts import ALLOWED_TYPES, ArtifactRefused, verify_blob
from analytics.scoring.candidates import BLEND_FEATURES, CANDIDATES
from analytics.scoring.registry import model_artifact_load
from analytics.scoring.selectors import loyalty_prediction_get, model_artifact_active_is_trusted
from customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture
def legacy_artifact() -> tuple[ModelArtifact, dict]:
    blob = gzip.decompress((DATA / "blend_saved_as_analytics_ml.skops.gz").read_bytes())
    expected = json.loads((DATA / "blend_saved_as_analytics_ml.json").read_text())
    assert hashlib.sha256(blob).hexdigest() == expected["sha256"]
    artifact = ModelArtifact.objects.create(
        algorithm="blend",
        status=ModelArtifact.Status.DONE,
        is_active=True,
        threshold=0.5,
        model_bytes=blob,
        sha256=expected["sha256"],
        size_bytes=len(blob),
    )
    return artifact, expected


def test_an_artifact_saved_under_the_old_class_path_loads_and_predicts_as_before(legacy_artifact):
    """The blob names analytics.ml.BlendClassifier; it passes the type allow-list and predicts what it did."""
    artifact, expected = legacy_artifact
    model = model_artifact_load(artifact=artifact)
    assert type(model).__name__ == "BlendClassifier"
    predicted = model.predict_proba(np.array(expected["x"]))[:, 1]
    assert np.allclose(predicted, expected["p"], atol=1e-7)


def test_an_old_active_artifact_is_trusted_and_its_scores_are_served(legacy_artifact):
    """Readiness and predictions verify the old artifact's bytes and serve its scores."""
    artifact, _ = legacy_artifact
    customer = CustomerFactory(external_id="1001")
    LoyaltyScore.objects.create(
        artifact=artifact, customer=customer, loyalty_score=0.7, loyal=True, scored_at=timezone.now()
    )
    assert model_artifact_active_is_trusted()
    assert loyalty_prediction_get(customer_id="1001").loyalty_score == 0.7


def test_every_candidate_serialises_within_the_allowed_types():
    """The allow-list covers what training can produce, so a legitimate model always loads."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, len(BLEND_FEATURES)))
    x[:, BLEND_FEATURES.index("bgnbd_p_purchase")] = rng.uniform(size=300)
    y = (x[:, 0] > 0).astype(int)
    for candidate in CANDIDATES:
        model = candidate.make().fit(x[:, : len(candidate.features)], y)
        assert set(skops.io.get_untrusted_types(data=skops.io.dumps(model))) <= ALLOWED_TYPES


def test_an_empty_blob_is_refused_with_the_command_to_retrain():
    """A model without stored bytes is refused before any check, saying to retrain."""
    with pytest.raises(ArtifactRefused, match=r"Model #7 has no stored model; retrain with `python manage.py train`"):
        verify_blob(pk=7, blob=b"", sha256="")
