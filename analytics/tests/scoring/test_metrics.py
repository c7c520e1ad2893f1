"""Loyalty-model metrics on fixed predictions: confusion cells, AUCs, the F1 threshold, curves (no database)."""

import numpy as np
import pytest

from analytics.scoring.metrics import (
    best_f1_threshold,
    calibration_bins,
    probability_metrics,
    ranking_metrics,
    roc_points,
)


def test_probability_metrics_on_fixed_predictions():
    """Four customers at threshold 0.5, one in each confusion cell: every metric is the hand-computed one."""
    y = np.array([1, 1, 0, 0])
    p = np.array([0.9, 0.4, 0.6, 0.1])
    m = probability_metrics(y, p, 0.5)
    assert m["confusion_matrix"] == [[1, 1], [1, 1]]  # [[TN, FP], [FN, TP]]
    assert (m["accuracy"], m["precision"], m["recall"], m["f1"]) == (0.5, 0.5, 0.5, 0.5)
    assert m["brier"] == pytest.approx((0.1**2 + 0.6**2 + 0.6**2 + 0.1**2) / 4)
    assert m["roc_auc"] == pytest.approx(0.75)
    assert (m["positive_rate"], m["predicted_positive_rate"], m["customers"]) == (0.5, 0.5, 4)


def test_ranking_metrics_are_undefined_for_one_class():
    """With only one class present ROC AUC and PR AUC are None, not an error."""
    assert ranking_metrics(np.array([0, 0, 0]), np.array([0.1, 0.2, 0.3])) == {"roc_auc": None, "pr_auc": None}


def test_best_f1_threshold_separates_perfectly_separable_scores():
    """On separable scores the chosen threshold lies in the gap and gives F1 = 1."""
    y = np.array([0] * 50 + [1] * 50)
    p = np.r_[np.linspace(0.0, 0.4, 50), np.linspace(0.6, 1.0, 50)]
    threshold = best_f1_threshold(y, p)
    assert 0.4 < threshold <= 0.6
    assert probability_metrics(y, p, threshold)["f1"] == 1.0


def test_calibration_bins_and_roc_points():
    """Calibration bins give mean predicted and observed rates per bin; the ROC curve runs from FPR 0 to TPR 1."""
    y = np.array([0, 0, 1, 1])
    p = np.array([0.1, 0.2, 0.7, 0.9])
    bins = calibration_bins(y, p, bins=2)
    assert bins == {"predicted": [0.15, 0.8], "observed": [0.0, 1.0], "count": [2, 2]}
    roc = roc_points(y, p)
    assert roc["fpr"][0] == 0.0
    assert roc["tpr"][-1] == 1.0
