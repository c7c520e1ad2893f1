"""Checks on serialised models before anything is built from them (no database access here).

A blob is trusted when its sha256 equals the one recorded when it was written and every type skops would create
is either in skops' own safe set or on ALLOWED_TYPES. Only then may skops build the model — never pickle.
"""

import hashlib

import skops.io

from customers.exceptions import ApplicationError

# The types beyond skops' defaults that our candidates need (analytics.scoring.candidates.CANDIDATES).
# "analytics.ml.BlendClassifier" is the class path that artifacts saved before the feature layout recorded; the
# module analytics.ml still re-exports the class so that they keep loading.
ALLOWED_TYPES = frozenset(
    {
        "sklearn.tree._tree.Tree",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "analytics.scoring.candidates.BlendClassifier",
        "analytics.ml.BlendClassifier",
    }
)
RETRAIN = "retrain with `python manage.py train`"


class ArtifactRefused(ApplicationError):
    """An artifact that cannot be trusted or read; the message says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message, code="artifact_refused")


def verify_blob(*, pk: int, blob: bytes, sha256: str) -> list[str]:
    """The non-default types the blob will create, once it passed the checksum and the type allow-list."""
    if not blob:
        raise ArtifactRefused(f"Model #{pk} has no stored model; {RETRAIN}.")
    if hashlib.sha256(blob).hexdigest() != sha256:
        raise ArtifactRefused(f"Model #{pk} failed its integrity check (sha256 mismatch) and was refused; {RETRAIN}.")
    try:
        untrusted = skops.io.get_untrusted_types(data=blob)
    except Exception as exc:  # not a skops file at all
        raise ArtifactRefused(f"Model #{pk} is unreadable ({type(exc).__name__}); {RETRAIN}.") from exc
    unexpected = sorted(set(untrusted) - ALLOWED_TYPES)
    if unexpected:
        raise ArtifactRefused(
            f"Model #{pk} contains unexpected types ({', '.join(unexpected)}) and was refused; {RETRAIN}."
        )
    return list(untrusted)
