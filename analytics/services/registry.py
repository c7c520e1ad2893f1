"""Model artifacts: serialise with skops, load only what is verified and expected, activate atomically.

Nothing is unpickled blindly. Loading checks, in order: the bytes exist; their sha256 equals the one recorded
when they were written (a changed byte is refused); skops lists the types the file would create, and every
type outside skops' own safe set must be on ALLOWED_TYPES below (a tampered file that smuggles in another
type is refused before anything is built). Only then does skops build the model, with no pickle involved.
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
from analytics.selectors import NO_MODEL  # noqa: F401 (re-exported: one message for every "no model" answer)
from customers.exceptions import ApplicationError

# The types beyond skops' defaults that our candidates need (analytics.ml.CANDIDATES).
ALLOWED_TYPES = frozenset(
    {
        "sklearn.tree._tree.Tree",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "analytics.ml.BlendClassifier",
    }
)


class ArtifactRefused(ApplicationError):
    """An artifact that cannot be trusted or read; the message says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message, code="artifact_refused")


def library_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "skops": skops.__version__,
    }


def serialize(model) -> tuple[bytes, str]:
    blob = skops.io.dumps(model)
    return blob, hashlib.sha256(blob).hexdigest()


def _verified_types(blob: bytes) -> list[str]:
    try:
        untrusted = skops.io.get_untrusted_types(data=blob)
    except Exception as exc:  # not a skops file at all
        raise ArtifactRefused(
            f"The artifact is unreadable ({type(exc).__name__}); retrain with `manage.py train`."
        ) from exc
    unexpected = sorted(set(untrusted) - ALLOWED_TYPES)
    if unexpected:
        raise ArtifactRefused(
            f"The artifact contains unexpected types ({', '.join(unexpected)}) and was refused; "
            "retrain with `python manage.py train`."
        )
    return list(untrusted)


def load(artifact: ModelArtifact):
    """The model of `artifact`, verified (see the module docstring); cached per artifact and checksum."""
    blob = bytes(artifact.model_bytes or b"")
    if not blob:
        raise ArtifactRefused(f"Model #{artifact.pk} has no stored model; retrain with `python manage.py train`.")
    digest = hashlib.sha256(blob).hexdigest()
    if digest != artifact.sha256:
        raise ArtifactRefused(
            f"Model #{artifact.pk} failed its integrity check (sha256 mismatch) and was refused; "
            "retrain with `python manage.py train`."
        )
    return _load_verified(artifact.pk, digest, blob)


@lru_cache(maxsize=4)
def _load_verified(pk: int, digest: str, blob: bytes):
    trusted = _verified_types(blob)
    try:
        return skops.io.loads(blob, trusted=trusted)
    except Exception as exc:
        raise ArtifactRefused(
            f"Model #{pk} could not be loaded ({type(exc).__name__}: {exc}); retrain with `python manage.py train`."
        ) from exc


def activate(artifact: ModelArtifact) -> None:
    """Make `artifact` the active one of its kind in one short transaction: readers see the old model or the new
    one, never none and never two (the partial unique index guarantees the latter)."""
    with transaction.atomic():
        ModelArtifact.objects.filter(kind=artifact.kind, is_active=True).exclude(pk=artifact.pk).update(is_active=False)
        artifact.is_active = True
        artifact.activated_at = timezone.now()
        artifact.save(update_fields=["is_active", "activated_at"])
