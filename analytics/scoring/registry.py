"""Model artifacts: serialise with skops, load only what analytics.scoring.artifacts verified, activate atomically.

Nothing is unpickled blindly: loading checks the sha256 recorded at training time and the types the file would
create (`verify_blob`); only then does skops build the model, with no pickle involved.
"""

import hashlib
import platform
from functools import lru_cache

import numpy
import scipy
import sklearn
import skops
import skops.io
from django.db import transaction
from django.utils import timezone

from analytics.models import ModelArtifact
from analytics.scoring.artifacts import RETRAIN, ArtifactRefused, verify_blob
from analytics.scoring.candidates import Classifier


def library_versions_get() -> dict[str, str]:
    """The versions a model is trained with, stored beside it."""
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "skops": skops.__version__,
    }


def model_serialize(*, model: Classifier) -> tuple[bytes, str]:
    """The skops bytes of a fitted model and their sha256."""
    blob: bytes = skops.io.dumps(model)
    return blob, hashlib.sha256(blob).hexdigest()


def model_artifact_load(*, artifact: ModelArtifact) -> Classifier:
    """The model of `artifact`, verified first; cached per artifact and checksum."""
    blob = bytes(artifact.model_bytes or b"")
    return _load_verified(artifact.pk, artifact.sha256, blob)


@lru_cache(maxsize=4)
def _load_verified(pk: int, sha256: str, blob: bytes) -> Classifier:
    trusted = verify_blob(pk=pk, blob=blob, sha256=sha256)
    try:
        model: Classifier = skops.io.loads(blob, trusted=trusted)
    except Exception as exc:
        raise ArtifactRefused(f"Model #{pk} could not be loaded ({type(exc).__name__}: {exc}); {RETRAIN}.") from exc
    return model


def model_artifact_activate(*, artifact: ModelArtifact) -> None:
    """Make `artifact` the active one of its kind in one short transaction: readers see the old model or the new
    one, never none and never two (the partial unique index guarantees the latter)."""
    with transaction.atomic():
        ModelArtifact.objects.filter(kind=artifact.kind, is_active=True).exclude(pk=artifact.pk).update(is_active=False)
        artifact.is_active = True
        artifact.activated_at = timezone.now()
        artifact.save(update_fields=["is_active", "activated_at"])
