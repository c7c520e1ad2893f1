"""Metrics of scores and probabilities on labelled customers: ranking, calibration, thresholds, importance."""

from collections.abc import Callable

import numpy as np
from sklearn.inspection import permutation_importance
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)

from analytics.facts import FloatArray
from analytics.scoring.candidates import RANDOM_STATE, Candidate, Classifier
from analytics.scoring.features import Dataset, Labels

# A metrics table as stored in ModelArtifact.metrics (JSON): figures, counts, a confusion matrix, labels.
Metric = float | int | str | list[list[int]] | None
Metrics = dict[str, Metric]


def _safe(fn: Callable[..., float], *args: object, **kwargs: object) -> float | None:
    try:
        value = float(fn(*args, **kwargs))
    except ValueError:  # one class only: the metric is undefined
        return None
    return None if np.isnan(value) else round(value, 6)


def ranking_metrics(y: Labels, score: FloatArray) -> dict[str, float | None]:
    """Metrics of a score that is not a probability: ranking quality only (undefined with one class)."""
    if len(np.unique(y)) < 2:
        return {"roc_auc": None, "pr_auc": None}
    return {"roc_auc": _safe(roc_auc_score, y, score), "pr_auc": _safe(average_precision_score, y, score)}


def probability_metrics(y: Labels, p: FloatArray, threshold: float) -> Metrics:
    predicted = (p >= threshold).astype(int)
    matrix = confusion_matrix(y, predicted, labels=[0, 1])
    return {
        **ranking_metrics(y, p),
        "brier": round(float(brier_score_loss(y, p, labels=[0, 1])), 6) if len(y) else None,
        "accuracy": round(float(accuracy_score(y, predicted)), 6) if len(y) else None,
        "precision": round(float(precision_score(y, predicted, zero_division=0)), 6),
        "recall": round(float(recall_score(y, predicted, zero_division=0)), 6),
        "f1": round(float(f1_score(y, predicted, zero_division=0)), 6),
        "confusion_matrix": matrix.tolist(),
        "positive_rate": round(float(np.mean(y)), 6) if len(y) else None,
        "predicted_positive_rate": round(float(np.mean(predicted)), 6) if len(y) else None,
        "threshold": round(float(threshold), 6),
        "customers": len(y),
    }


def best_f1_threshold(y: Labels, p: FloatArray) -> float:
    """The probability cut-off with the best F1 on out-of-time predictions ("loyal: true" above it)."""
    if len(np.unique(y)) < 2:
        return 0.5
    candidates = np.unique(np.quantile(p, np.linspace(0.01, 0.99, 99)))
    scores = [f1_score(y, (p >= t).astype(int), zero_division=0) for t in candidates]
    return float(candidates[int(np.argmax(scores))])


def roc_points(y: Labels, p: FloatArray, max_points: int = 60) -> dict[str, list[float]]:
    if len(np.unique(y)) < 2:
        return {"fpr": [], "tpr": []}
    fpr, tpr, _ = roc_curve(y, p)
    keep = np.unique(np.linspace(0, len(fpr) - 1, min(max_points, len(fpr))).astype(int))
    return {"fpr": np.round(fpr[keep], 4).tolist(), "tpr": np.round(tpr[keep], 4).tolist()}


def calibration_bins(y: Labels, p: FloatArray, bins: int = 10) -> dict[str, list[float] | list[int]]:
    """Reliability: mean predicted vs observed rate in equal-count bins of the predictions."""
    if not len(y):
        return {"predicted": [], "observed": [], "count": []}
    order = np.argsort(p, kind="stable")
    groups = [g for g in np.array_split(order, min(bins, len(y))) if len(g)]
    return {
        "predicted": [round(float(p[g].mean()), 4) for g in groups],
        "observed": [round(float(y[g].mean()), 4) for g in groups],
        "count": [len(g) for g in groups],
    }


def feature_importance(
    candidate: Candidate, model: Classifier, data: Dataset, max_rows: int = 5000
) -> list[dict[str, str | float]]:
    """Permutation importance (drop in ROC AUC) on out-of-time data, for any model type."""
    y = data.labels
    if y is None or len(np.unique(y)) < 2:
        return []
    x = data.features.matrix(candidate.features)
    if len(y) > max_rows:
        rows = np.random.default_rng(RANDOM_STATE).choice(len(y), size=max_rows, replace=False)
        x, y = x[rows], y[rows]
        if len(np.unique(y)) < 2:
            return []
    result = permutation_importance(model, x, y, scoring="roc_auc", n_repeats=3, random_state=RANDOM_STATE, n_jobs=1)
    ranked = sorted(
        zip(candidate.features, result.importances_mean, result.importances_std, strict=True),
        key=lambda item: -item[1],
    )
    return [{"feature": f, "importance": round(float(m), 6), "std": round(float(s), 6)} for f, m, s in ranked]
