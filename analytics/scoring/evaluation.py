"""Backtests: `train`'s pipeline as if the data ended at a cutoff, measured on the window after it."""

import datetime as dt
from typing import Any

from analytics.rfm.selectors import purchase_date_range_get
from analytics.rfm.services import NO_DATA
from analytics.scoring.candidates import BASELINES, CANDIDATES
from analytics.scoring.selection import NotEnoughData, select_and_fit
from analytics.scoring.selectors import loyalty_dataset_get
from analytics.scoring.training import training_plan_get
from customers.exceptions import ApplicationError
from customers.progress import Progress, progress_silent

CANDIDATE_KEYS = ("roc_auc", "pr_auc", "brier", "accuracy", "precision", "recall", "f1", "confusion_matrix")


def loyalty_model_evaluate(
    *, cutoff: dt.date, label_window_days: int, progress: Progress = progress_silent
) -> dict[str, Any]:
    """Backtest: `train`'s pipeline as if the data ended at `cutoff`, tested on (cutoff, cutoff + window].
    Nothing after the cutoff reaches features, labels or selection; the registry is not touched."""
    window = label_window_days
    first, last = purchase_date_range_get()
    if first is None or last is None:
        raise ApplicationError(NO_DATA, code="no_data")
    test_end = cutoff + dt.timedelta(days=window)
    if test_end > last:
        raise ApplicationError(
            f"The test window ({cutoff} to {test_end}) ends after the data ({last}); use a cutoff on or before "
            f"{last - dt.timedelta(days=window)}.",
            code="labels_unknown",
        )
    plan = training_plan_get(cutoff=cutoff - dt.timedelta(days=window), window=window, data_end=cutoff)
    progress(0, 0, f"features at {plan['selection']}, {plan['cutoff']} and {cutoff}")
    train = loyalty_dataset_get(feature_date=plan["selection"], window_days=window)
    validation = loyalty_dataset_get(feature_date=plan["cutoff"], window_days=window)
    test = loyalty_dataset_get(feature_date=cutoff, window_days=window)
    try:
        result = select_and_fit(train=train, validation=validation, test=test, progress=progress)
    except NotEnoughData as exc:
        raise ApplicationError(str(exc), code="not_enough_data") from exc
    return {
        "cutoff": f"{cutoff}",
        "label_window_days": window,
        "train": {
            "cutoff": f"{plan['cutoff']}",
            "customers": len(validation.features),
            "positive_rate": validation.positive_rate,
        },
        "test": {"customers": len(test.features), "positive_rate": test.positive_rate},
        "selected": result.selected.name,
        "candidates": [{"name": c.name, **{k: result.test[c.name][k] for k in CANDIDATE_KEYS}} for c in CANDIDATES],
        "baselines": [
            {"name": name, **{k: result.test[name][k] for k in ("roc_auc", "pr_auc", "brier")}} for name in BASELINES
        ],
    }
