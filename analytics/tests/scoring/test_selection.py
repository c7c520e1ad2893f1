"""Loyalty-model maths on fixed data: metrics, threshold, curves, selection, guardrails (no database)."""

import datetime as dt

import numpy as np
import pytest

from analytics.scoring.candidates import CANDIDATES, BlendClassifier, _logistic_log
from analytics.scoring.features import ALL_COLUMNS, Dataset, FeatureTable
from analytics.scoring.metrics import (
    best_f1_threshold,
    calibration_bins,
    probability_metrics,
    ranking_metrics,
    roc_points,
)
from analytics.scoring.selection import NotEnoughData, check_enough, select_and_fit


def test_probability_metrics_on_fixed_predictions():
    """Four customers, threshold 0.5: one of each confusion cell."""
    y = np.array([1, 1, 0, 0])
    p = np.array([0.9, 0.4, 0.6, 0.1])
    m = probability_metrics(y, p, 0.5)
    assert m["confusion_matrix"] == [[1, 1], [1, 1]]  # [[TN, FP], [FN, TP]]
    assert (m["accuracy"], m["precision"], m["recall"], m["f1"]) == (0.5, 0.5, 0.5, 0.5)
    assert m["brier"] == pytest.approx((0.1**2 + 0.6**2 + 0.6**2 + 0.1**2) / 4)
    assert m["roc_auc"] == pytest.approx(0.75)
    assert (m["positive_rate"], m["predicted_positive_rate"], m["customers"]) == (0.5, 0.5, 4)


def test_ranking_metrics_are_undefined_for_one_class():
    assert ranking_metrics(np.array([0, 0, 0]), np.array([0.1, 0.2, 0.3])) == {"roc_auc": None, "pr_auc": None}


def test_best_f1_threshold_separates_perfectly_separable_scores():
    y = np.array([0] * 50 + [1] * 50)
    p = np.r_[np.linspace(0.0, 0.4, 50), np.linspace(0.6, 1.0, 50)]
    threshold = best_f1_threshold(y, p)
    assert 0.4 < threshold <= 0.6
    assert probability_metrics(y, p, threshold)["f1"] == 1.0


def test_calibration_bins_and_roc_points():
    y = np.array([0, 0, 1, 1])
    p = np.array([0.1, 0.2, 0.7, 0.9])
    bins = calibration_bins(y, p, bins=2)
    assert bins == {"predicted": [0.15, 0.8], "observed": [0.0, 1.0], "count": [2, 2]}
    roc = roc_points(y, p)
    assert roc["fpr"][0] == 0.0
    assert roc["tpr"][-1] == 1.0


def test_blend_classifier_averages_members_and_probability_columns():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    x[:, 2] = rng.uniform(size=400)  # an input that already is a probability
    y = (x[:, 0] > 0).astype(int)
    blend = BlendClassifier(members=((_logistic_log(), (0, 1)),), probability_columns=(2,)).fit(x, y)
    member = blend.fitted_[0][0].predict_proba(x[:, [0, 1]])[:, 1]
    assert blend.predict_proba(x)[:, 1] == pytest.approx((member + x[:, 2]) / 2)


def _dataset(n: int, seed: int, date: str, signal: float = 2.0) -> Dataset:
    """A dataset where recency really drives the label, with every feature column present."""
    rng = np.random.default_rng(seed)
    recency = rng.uniform(0, 100, n)
    columns = {name: rng.normal(size=n) for name in ALL_COLUMNS}
    columns["recency_days"] = recency
    columns["log_recency"] = np.log1p(recency)
    columns["bgnbd_p_purchase"] = rng.uniform(size=n)
    logit = signal * (1 - recency / 50)
    labels = (rng.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    table = FeatureTable(customer_ids=np.arange(n), columns=columns, bgnbd_params=None)
    return Dataset(features=table, labels=labels, feature_date=date, label_window=(date, date))


def test_selection_is_out_of_time_and_refits_the_winner():
    """Candidates fitted on the earlier window are compared on the later one; the winner is refitted there."""
    train, validation = _dataset(600, 1, "2024-01-01"), _dataset(600, 2, "2024-03-01")
    result = select_and_fit(train=train, validation=validation, candidates=CANDIDATES[:3])
    aucs = {name: result.validation[name]["roc_auc"] for name in ("seed_logistic_regression", "seed_random_forest")}
    assert result.selected.name == max(
        ["seed_logistic_regression", "seed_random_forest", "logistic_regression_log"],
        key=lambda n: result.validation[n]["roc_auc"],
    )
    assert aucs["seed_logistic_regression"] > 0.75
    assert {"recency", "rfm_score", "bgnbd"} <= set(result.validation)
    assert result.validation["recency"]["brier"] is None
    assert result.random_split  # the seed's figures, for reference
    assert result.curves["calibration"]["count"]


@pytest.mark.parametrize(
    ("n", "positives", "message"),
    [(10, 5, "training needs at least 20"), (100, 0, "at least 3 of each"), (100, 99, "at least 3 of each")],
)
def test_guardrails_name_what_is_missing(n, positives, message):
    data = _dataset(n, 3, f"{dt.date(2024, 1, 1)}")
    data.labels[:] = 0
    data.labels[:positives] = 1
    with pytest.raises(NotEnoughData, match=message):
        check_enough(data, "training")
