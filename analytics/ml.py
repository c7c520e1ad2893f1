"""The loyalty model on plain arrays: features, candidates, baselines, out-of-time selection, metrics.

No database access: the training service (analytics.services.training) builds datasets from per-customer
aggregates at a feature date and labels from the window after it, and calls `select_and_fit` here.

Protocol (see DESIGN.md and the README):
- a dataset is the customers with a purchase on or before its feature date `d`, their features from purchases
  on or before `d` only, and the label "bought at least once in (d, d + window]";
- candidates are fitted on one dataset and compared on a later one (out of time); the best by ROC AUC is
  selected and refitted on the later dataset, which is the latest window with known labels;
- baselines (recency alone, rfm_score alone, BG/NBD) are reported beside the candidates and never selected.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
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
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from analytics import bgnbd, rfm

RANDOM_STATE = 42

# Every feature is computed from purchases on or before the feature date.
FEATURES = (
    "recency_days",
    "frequency",
    "monetary",
    "tenure_days",
    "mean_gap_days",
    "single_purchase",
    "r_norm",
    "f_norm",
    "m_norm",
    "rfm_score",
    "avg_basket",
    "purchases_30d",
    "purchases_90d",
    "purchases_180d",
    "spend_90d",
    "returns",
    "recency_over_gap",
    "units",
    "units_per_purchase",
    "units_90d",
    "price_per_unit",
    "bgnbd_p_alive",
    "bgnbd_expected",
    "bgnbd_p_purchase",
    "bgnbd_logit_p_purchase",
)
SEED_FEATURES = ("recency_days", "frequency", "monetary", "rfm_score")
LOG_FEATURES = (
    "log_recency",
    "log_frequency",
    "log_monetary",
    "log_mean_gap",
    "single_purchase",
    "log_purchases_30d",
    "log_purchases_90d",
    "log_purchases_180d",
    "log_spend_90d",
    "log_recency_over_gap",
    "log_avg_basket",
    "log_units",
    "log_units_per_purchase",
    "log_units_90d",
    "log_price_per_unit",
    "recency_x_single",
    "frequency_x_recency",
    "bgnbd_p_alive",
    "bgnbd_p_purchase",
    "bgnbd_logit_p_purchase",
    "bgnbd_logit_p_alive",
    "log_bgnbd_expected",
)
ALL_COLUMNS = FEATURES + tuple(f for f in LOG_FEATURES if f not in FEATURES)

MIN_CUSTOMERS = 20
MIN_PER_CLASS = 3


class NotEnoughData(ValueError):
    """Training cannot be honest with this data; the message says what is missing."""


def _signed_log(values: np.ndarray) -> np.ndarray:
    return np.sign(values) * np.log1p(np.abs(values))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


@dataclass
class FeatureTable:
    customer_ids: np.ndarray
    columns: dict[str, np.ndarray]
    bgnbd_params: dict | None

    def __len__(self) -> int:
        return self.customer_ids.size

    def matrix(self, names: tuple[str, ...]) -> np.ndarray:
        return np.column_stack([self.columns[name] for name in names]).astype(float)


def build_features(agg, *, window_days: int, weights: rfm.RfmWeights | None = None) -> FeatureTable:
    """Features of every customer in `agg` (analytics.selectors.PurchaseAggregates) at `agg.as_of`.

    BG/NBD is fitted on this population only (its purchases up to the feature date), so its outputs respect
    the cutoff like every other feature.
    """
    as_of_day = agg.as_of.toordinal()
    table = rfm.compute(
        as_of_day=as_of_day,
        first_day=agg.first_day,
        last_day=agg.last_day,
        frequency=agg.frequency,
        monetary=agg.monetary,
        weights=weights,
    )
    recency = table.recency_days.astype(float)
    tenure = table.tenure_days.astype(float)
    frequency = agg.frequency.astype(float)
    single = (agg.frequency <= 1).astype(float)
    # A single purchase has no gap yet: its tenure is a lower bound on the gap, flagged by `single_purchase`.
    gap = np.where(np.isnan(table.mean_gap_days), tenure, table.mean_gap_days)
    recency_over_gap = recency / np.maximum(gap, 1.0)

    x = agg.purchase_days.astype(float) - 1  # repeat purchase days
    t_x = (agg.last_day - agg.first_day).astype(float)
    big_t = tenure
    params = None
    p_alive = expected = p_purchase = np.full(len(agg), np.nan)
    if len(agg) >= MIN_CUSTOMERS and x.sum() > 0:
        fitted = bgnbd.fit(x=x, t_x=t_x, T=big_t)
        params = fitted.to_dict()
        p_alive = bgnbd.probability_alive(fitted, x=x, t_x=t_x, T=big_t)
        expected = bgnbd.expected_purchases(fitted, t=float(window_days), x=x, t_x=t_x, T=big_t)
        p_purchase = bgnbd.probability_of_purchase(fitted, t=float(window_days), x=x, t_x=t_x, T=big_t)
    else:  # too little repeat behaviour to fit: neutral values, the candidates still train
        p_alive = np.ones(len(agg))
        expected = np.zeros(len(agg))
        p_purchase = np.zeros(len(agg))

    units = np.maximum(agg.units, 0.0)
    columns = {
        "recency_days": recency,
        "frequency": frequency,
        "monetary": agg.monetary.astype(float),
        "tenure_days": tenure,
        "mean_gap_days": gap,
        "single_purchase": single,
        "r_norm": table.r_norm,
        "f_norm": table.f_norm,
        "m_norm": table.m_norm,
        "rfm_score": table.rfm_score,
        "avg_basket": agg.monetary / np.maximum(frequency, 1.0),
        "purchases_30d": agg.recent_purchases[30].astype(float),
        "purchases_90d": agg.recent_purchases[90].astype(float),
        "purchases_180d": agg.recent_purchases[180].astype(float),
        "spend_90d": agg.recent_spend_90.astype(float),
        "returns": agg.returns.astype(float),
        "recency_over_gap": recency_over_gap,
        "units": units,
        "units_per_purchase": units / np.maximum(frequency, 1.0),
        "units_90d": np.maximum(agg.recent_units_90, 0.0),
        "price_per_unit": np.maximum(agg.monetary, 0.0) / np.maximum(units, 1.0),
        "bgnbd_p_alive": p_alive,
        "bgnbd_expected": expected,
        "bgnbd_p_purchase": p_purchase,
        "bgnbd_logit_p_purchase": _logit(p_purchase),
    }
    columns |= {
        "log_recency": np.log1p(recency),
        "log_frequency": np.log1p(frequency),
        "log_monetary": _signed_log(agg.monetary.astype(float)),
        "log_tenure": np.log1p(tenure),
        "log_mean_gap": np.log1p(gap),
        "log_purchases_30d": np.log1p(columns["purchases_30d"]),
        "log_purchases_90d": np.log1p(columns["purchases_90d"]),
        "log_purchases_180d": np.log1p(columns["purchases_180d"]),
        "log_spend_90d": _signed_log(columns["spend_90d"]),
        "log_recency_over_gap": np.log1p(recency_over_gap),
        "log_avg_basket": _signed_log(columns["avg_basket"]),
        "log_units": np.log1p(units),
        "log_units_per_purchase": np.log1p(columns["units_per_purchase"]),
        "log_units_90d": np.log1p(columns["units_90d"]),
        "log_price_per_unit": np.log1p(columns["price_per_unit"]),
        "recency_x_single": np.log1p(recency) * single,
        "frequency_x_recency": np.log1p(frequency) * np.log1p(recency),
        "bgnbd_logit_p_alive": _logit(p_alive),
        "log_bgnbd_expected": np.log1p(expected),
    }
    return FeatureTable(customer_ids=agg.customer_ids, columns=columns, bgnbd_params=params)


@dataclass
class Dataset:
    """Features at a date and, when known, the labels from the window after it."""

    features: FeatureTable
    labels: np.ndarray | None
    feature_date: str
    label_window: tuple[str, str] | None

    @property
    def positive_rate(self) -> float | None:
        return None if self.labels is None or not len(self.labels) else float(self.labels.mean())


def labels_for(customer_ids: np.ndarray, buyers: np.ndarray) -> np.ndarray:
    """1 for customers in `buyers` (who purchased in the label window), else 0."""
    return np.isin(customer_ids, buyers).astype(np.int8)


@dataclass(frozen=True)
class Candidate:
    name: str
    description: str
    features: tuple[str, ...]
    make: Callable[[], object]


class BlendClassifier(ClassifierMixin, BaseEstimator):
    """Soft vote: the mean of the members' probabilities and of probability columns of the input.

    `members` are (estimator, column indices) pairs, each fitted on its own columns; `probability_columns` are
    inputs that already are probabilities (the BG/NBD forecast), averaged as they are.
    """

    def __init__(self, members=(), probability_columns=()):
        self.members = members
        self.probability_columns = probability_columns

    def fit(self, x, y):
        self.fitted_ = [(clone(estimator).fit(x[:, list(cols)], y), list(cols)) for estimator, cols in self.members]
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, x):
        parts = [estimator.predict_proba(x[:, cols])[:, 1] for estimator, cols in self.fitted_]
        parts += [np.clip(x[:, c], 0.0, 1.0) for c in self.probability_columns]
        p = np.mean(parts, axis=0)
        return np.column_stack([1 - p, p])

    def predict(self, x):
        return (self.predict_proba(x)[:, 1] >= 0.5).astype(int)


def _logistic_log():
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=5000))


def _gradient_boosting():
    return HistGradientBoostingClassifier(
        learning_rate=0.05,
        max_iter=60,
        max_leaf_nodes=5,
        min_samples_leaf=200,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=RANDOM_STATE,
    )


BLEND_FEATURES = tuple(dict.fromkeys(LOG_FEATURES + FEATURES))


def _blend():
    index = {name: i for i, name in enumerate(BLEND_FEATURES)}
    return BlendClassifier(
        members=(
            (_logistic_log(), tuple(index[f] for f in LOG_FEATURES)),
            (_gradient_boosting(), tuple(index[f] for f in FEATURES)),
        ),
        probability_columns=(index["bgnbd_p_purchase"],),
    )


CANDIDATES = (
    Candidate(
        "seed_logistic_regression",
        "The seed's model: StandardScaler + LogisticRegression(max_iter=2000) on R, F, M and rfm_score.",
        SEED_FEATURES,
        lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    ),
    Candidate(
        "seed_random_forest",
        "The seed's model: RandomForest with 100 trees on R, F, M and rfm_score.",
        SEED_FEATURES,
        lambda: RandomForestClassifier(n_estimators=100, random_state=RANDOM_STATE, n_jobs=-1),
    ),
    Candidate(
        "logistic_regression_log",
        "Regularised logistic regression on log-scaled RFM, trailing-window counts, units and BG/NBD outputs.",
        LOG_FEATURES,
        _logistic_log,
    ),
    Candidate(
        "hist_gradient_boosting",
        "Shallow, regularised gradient-boosted trees (HistGradientBoosting) on every feature.",
        FEATURES,
        _gradient_boosting,
    ),
    Candidate(
        "blend",
        "Soft vote of the log-scaled logistic regression, the gradient-boosted trees and the BG/NBD forecast.",
        BLEND_FEATURES,
        _blend,
    ),
)
CANDIDATES_BY_NAME = {c.name: c for c in CANDIDATES}

# Baselines: a score per customer, reported beside the candidates and never selected.
BASELINES = {
    "recency": ("Recency alone (more recent, higher score).", lambda t: -t.columns["recency_days"], False),
    "rfm_score": ("The seed's rfm_score alone.", lambda t: t.columns["rfm_score"], False),
    "bgnbd": (
        "BG/NBD (Fader, Hardie & Lee 2005): P(at least one purchase in the window).",
        lambda t: t.columns["bgnbd_p_purchase"],
        True,  # a probability: Brier score and thresholded metrics apply
    ),
}


def fit(candidate: Candidate, data: Dataset):
    model = candidate.make()
    model.fit(data.features.matrix(candidate.features), data.labels)
    return model


def predict(candidate: Candidate, model, table: FeatureTable) -> np.ndarray:
    return model.predict_proba(table.matrix(candidate.features))[:, 1]


def _safe(fn, *args, **kwargs) -> float | None:
    try:
        value = float(fn(*args, **kwargs))
    except ValueError:  # one class only: the metric is undefined
        return None
    return None if np.isnan(value) else round(value, 6)


def ranking_metrics(y: np.ndarray, score: np.ndarray) -> dict:
    """Metrics of a score that is not a probability: ranking quality only (undefined with one class)."""
    if len(np.unique(y)) < 2:
        return {"roc_auc": None, "pr_auc": None}
    return {"roc_auc": _safe(roc_auc_score, y, score), "pr_auc": _safe(average_precision_score, y, score)}


def probability_metrics(y: np.ndarray, p: np.ndarray, threshold: float) -> dict:
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


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability cut-off with the best F1 on out-of-time predictions ("loyal: true" above it)."""
    if len(np.unique(y)) < 2:
        return 0.5
    candidates = np.unique(np.quantile(p, np.linspace(0.01, 0.99, 99)))
    scores = [f1_score(y, (p >= t).astype(int), zero_division=0) for t in candidates]
    return float(candidates[int(np.argmax(scores))])


def roc_points(y: np.ndarray, p: np.ndarray, max_points: int = 60) -> dict:
    if len(np.unique(y)) < 2:
        return {"fpr": [], "tpr": []}
    fpr, tpr, _ = roc_curve(y, p)
    keep = np.unique(np.linspace(0, len(fpr) - 1, min(max_points, len(fpr))).astype(int))
    return {"fpr": np.round(fpr[keep], 4).tolist(), "tpr": np.round(tpr[keep], 4).tolist()}


def calibration_bins(y: np.ndarray, p: np.ndarray, bins: int = 10) -> dict:
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


def feature_importance(candidate: Candidate, model, data: Dataset, max_rows: int = 5000) -> list[dict]:
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


def check_enough(data: Dataset, role: str) -> None:
    if len(data.features) < MIN_CUSTOMERS:
        raise NotEnoughData(
            f"The {role} set has {len(data.features)} customers with purchases on or before {data.feature_date}; "
            f"training needs at least {MIN_CUSTOMERS}."
        )
    positives = int(data.labels.sum())
    negatives = len(data.labels) - positives
    if min(positives, negatives) < MIN_PER_CLASS:
        window = " to ".join(data.label_window or ())
        raise NotEnoughData(
            f"The {role} set has {positives} customers who bought again and {negatives} who did not in the label "
            f"window ({window}); training needs at least {MIN_PER_CLASS} of each. Try another cutoff or label "
            "window, or import more history."
        )


@dataclass
class SelectionResult:
    selected: Candidate
    model: object  # the selected candidate refitted on the latest labelled window
    threshold: float
    validation: dict  # name -> metrics of every candidate and baseline on the out-of-time validation set
    curves: dict  # ROC and calibration of the selected candidate on validation
    importance: list[dict]
    random_split: dict  # the seed's random 80/20 split figures, for reference only
    test: dict = field(default_factory=dict)  # name -> metrics on a later test window (backtests only)


def _evaluate_baselines(data: Dataset, threshold: float) -> dict:
    results = {}
    for name, (description, score_of, is_probability) in BASELINES.items():
        score = score_of(data.features)
        metrics = probability_metrics(data.labels, score, threshold) if is_probability else None
        if metrics is None:
            metrics = {**ranking_metrics(data.labels, score), "brier": None}
        results[name] = {"kind": "baseline", "description": description, **metrics}
    return results


def select_and_fit(
    *,
    train: Dataset,
    validation: Dataset,
    test: Dataset | None = None,
    candidates: tuple[Candidate, ...] = CANDIDATES,
    progress: Callable[[str], None] | None = None,
) -> SelectionResult:
    """Fit every candidate on `train`, compare them on the later `validation` window, select the best by ROC AUC,
    refit it on `validation` (the latest labelled window). With `test` (a backtest), every candidate is also
    refitted on `validation` and scored on `test`, and the baselines are scored there."""
    say = progress or (lambda message: None)
    check_enough(train, "training")
    check_enough(validation, "validation")

    validation_predictions, results = {}, {}
    for candidate in candidates:
        say(f"fitting {candidate.name}")
        model = fit(candidate, train)
        validation_predictions[candidate.name] = predict(candidate, model, validation.features)

    aucs = {name: ranking_metrics(validation.labels, p)["roc_auc"] or 0.0 for name, p in validation_predictions.items()}
    selected = CANDIDATES_BY_NAME[max(aucs, key=lambda name: (aucs[name], name))]
    threshold = best_f1_threshold(validation.labels, validation_predictions[selected.name])
    for candidate in candidates:
        metrics = probability_metrics(validation.labels, validation_predictions[candidate.name], threshold)
        results[candidate.name] = {"kind": "candidate", "description": candidate.description, **metrics}
    results |= _evaluate_baselines(validation, threshold)
    chosen = validation_predictions[selected.name]
    curves = {"roc": roc_points(validation.labels, chosen), "calibration": calibration_bins(validation.labels, chosen)}
    for name, (_, score_of, _) in BASELINES.items():
        curves[f"roc_{name}"] = roc_points(validation.labels, score_of(validation.features))

    say(f"refitting {selected.name} on the latest labelled window")
    final_models = {selected.name: fit(selected, validation)}
    importance = feature_importance(selected, final_models[selected.name], validation)

    test_results = {}
    if test is not None:
        for candidate in candidates:
            if candidate.name not in final_models:
                say(f"refitting {candidate.name} for the backtest")
                final_models[candidate.name] = fit(candidate, validation)
            p = predict(candidate, final_models[candidate.name], test.features)
            test_results[candidate.name] = {
                "kind": "candidate",
                "description": candidate.description,
                **probability_metrics(test.labels, p, threshold),
            }
        test_results |= _evaluate_baselines(test, threshold)
        p = predict(selected, final_models[selected.name], test.features)
        curves["test_roc"] = roc_points(test.labels, p)
        curves["test_calibration"] = calibration_bins(test.labels, p)

    say("seed's random 80/20 split (for reference)")
    random_split = seed_random_split(validation)
    return SelectionResult(
        selected=selected,
        model=final_models[selected.name],
        threshold=threshold,
        validation=results,
        curves=curves,
        importance=importance,
        random_split=random_split,
        test=test_results,
    )


def seed_random_split(data: Dataset) -> dict:
    """The seed's evaluation: a random, stratified 80/20 split of one dataset. Reported for comparison only —
    it measures fit on a single time window, not the ability to predict a later one."""
    y = data.labels
    if len(np.unique(y)) < 2 or min(np.bincount(y)) < 2:
        return {}
    index = np.arange(len(y))
    train_idx, test_idx = train_test_split(index, test_size=0.2, random_state=RANDOM_STATE, stratify=y)
    results = {}
    for candidate in CANDIDATES[:2]:
        x = data.features.matrix(candidate.features)
        model = candidate.make()
        model.fit(x[train_idx], y[train_idx])
        p = model.predict_proba(x[test_idx])[:, 1]
        results[candidate.name] = probability_metrics(y[test_idx], p, 0.5)
    return results
