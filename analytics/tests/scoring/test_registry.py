"""The registry on the trained shop's model: a stored artifact is loaded only when its bytes can be trusted."""

import hashlib

import pytest
import skops.io

from analytics.scoring import registry
from analytics.scoring.artifacts import ArtifactRefused

pytestmark = pytest.mark.django_db


def test_the_active_model_loads_and_predicts_probabilities(trained_shop):
    """The stored model loads as its candidate's estimator and answers probabilities."""
    model = registry.model_artifact_load(artifact=trained_shop["artifact"])
    assert hasattr(model, "predict_proba")
    assert list(model.classes_) == [0, 1]


def test_tampered_artifact_is_refused(trained_shop):
    """One changed byte fails the checksum; nothing is deserialised."""
    trained = trained_shop["artifact"]
    blob = bytearray(trained.model_bytes)
    blob[len(blob) // 2] ^= 0xFF
    trained.model_bytes = bytes(blob)
    with pytest.raises(ArtifactRefused, match="integrity check"):
        registry.model_artifact_load(artifact=trained)


class Smuggled:
    """Stands for any type an attacker would like the loader to build."""


def test_artifact_with_unexpected_types_is_refused_even_with_a_matching_checksum(trained_shop):
    """A blob that would build a type outside the allow-list is refused, naming the type, despite a valid checksum."""
    trained = trained_shop["artifact"]
    blob = skops.io.dumps({"model": Smuggled()})
    trained.model_bytes, trained.sha256 = blob, hashlib.sha256(blob).hexdigest()
    with pytest.raises(ArtifactRefused, match=r"unexpected types \(.*Smuggled\)"):
        registry.model_artifact_load(artifact=trained)


def test_unreadable_artifact_is_refused(trained_shop):
    """Bytes that are not a skops file at all are refused as unreadable."""
    trained = trained_shop["artifact"]
    blob = b"not a model at all"
    trained.model_bytes, trained.sha256 = blob, hashlib.sha256(blob).hexdigest()
    with pytest.raises(ArtifactRefused, match="unreadable"):
        registry.model_artifact_load(artifact=trained)
