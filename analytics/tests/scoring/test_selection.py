"""Model selection on generated datasets: out of time, the winner refitted, guardrails on thin data (no database)."""

import datetime as dt

import numpy as np
import pytest

from analytics.scoring.candidates import CANDIDATES
from analytics.scoring.features import ALL_COLUMNS, Dataset, FeatureTable
from analytics.scoring.selection import NotEnoughData, check_enough, select_and_fit


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
    """Too few customers or too few of one class is refused, naming what is missing."""
    data = _dataset(n, 3, f"{dt.date(2024, 1, 1)}")
    data.labels[:] = 0
    data.labels[:positives] = 1
    with pytest.raises(NotEnoughData, match=message):
        check_enough(data, "training")
