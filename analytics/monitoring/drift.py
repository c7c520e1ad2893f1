"""Drift between the population a model was trained on and the one it scores now (pure: arrays in, numbers out).

The population stability index of a variable, with bins cut at the deciles of the reference (training) values:

    PSI = Σ_bins (actual% − expected%) · ln(actual% / expected%)

Empty bins are given a small share (PSI_FLOOR) so the index stays finite. The usual reading: below 0.1 stable,
0.1 to 0.25 a moderate shift, above 0.25 a major shift that calls for retraining.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

PSI_BINS = 10
PSI_FLOOR = 1e-4
STABLE, MODERATE, MAJOR = "stable", "moderate", "major"


@dataclass(frozen=True)
class Psi:
    value: float
    band: str
    edges: list[float]
    expected: list[float]  # share of the reference in each bin
    actual: list[float]  # share of the current population in each bin


def psi_band(value: float) -> str:
    return STABLE if value < 0.1 else MODERATE if value <= 0.25 else MAJOR


def population_stability(expected: npt.ArrayLike, actual: npt.ArrayLike, *, bins: int = PSI_BINS) -> Psi | None:
    """PSI of `actual` against `expected`, bins at the reference's quantiles (ties merge bins). None when either
    population is empty."""
    reference = np.asarray(expected, dtype=float)
    current = np.asarray(actual, dtype=float)
    reference, current = reference[np.isfinite(reference)], current[np.isfinite(current)]
    if not reference.size or not current.size:
        return None
    inner = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
    cuts = np.concatenate([[-np.inf], inner, [np.inf]])
    share_ref = np.histogram(reference, cuts)[0] / reference.size
    share_now = np.histogram(current, cuts)[0] / current.size
    e, a = np.maximum(share_ref, PSI_FLOOR), np.maximum(share_now, PSI_FLOOR)
    value = float(np.sum((a - e) * np.log(a / e)))
    return Psi(
        value=round(value, 6),
        band=psi_band(value),
        edges=[round(float(c), 6) for c in inner],
        expected=[round(float(v), 6) for v in share_ref],
        actual=[round(float(v), 6) for v in share_now],
    )


def expected_calibration_error(y: npt.ArrayLike, p: npt.ArrayLike, *, bins: int = 10) -> float | None:
    """Σ_b (n_b / N)·|observed rate_b − mean prediction_b| over equal-count bins of the predictions."""
    labels = np.asarray(y, dtype=float)
    predictions = np.asarray(p, dtype=float)
    if not labels.size:
        return None
    order = np.argsort(predictions, kind="stable")
    total = 0.0
    for group in np.array_split(order, min(bins, labels.size)):
        if group.size:
            total += group.size * abs(float(labels[group].mean()) - float(predictions[group].mean()))
    return round(total / labels.size, 6)
