"""The candidate models and the baselines they are measured against (no database).

Candidates are fitted and compared out of time by analytics.scoring.selection; baselines are scores computed from
the features alone (recency, the seed's rfm_score, BG/NBD) and reported beside them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, Self

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from analytics.facts import FloatArray, IntArray
from analytics.scoring.features import FEATURES, LOG_FEATURES, SEED_FEATURES, Dataset, FeatureTable, Labels

RANDOM_STATE = 42


class Classifier(Protocol):
    """What the pipeline needs of a model: a scikit-learn binary classifier (scikit-learn ships no types)."""

    def fit(self, x: FloatArray, y: Labels) -> Self: ...

    def predict_proba(self, x: FloatArray) -> FloatArray: ...

    def get_params(self, deep: bool = True) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Candidate:
    name: str
    description: str
    features: tuple[str, ...]
    make: Callable[[], Classifier]


Member = tuple[Classifier, tuple[int, ...]]  # an estimator and the input columns it is fitted on


# scikit-learn ships no type information, so its base classes are Any to mypy.
class BlendClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Soft vote: the mean of the members' probabilities and of probability columns of the input.

    `members` are (estimator, column indices) pairs, each fitted on its own columns; `probability_columns` are
    inputs that already are probabilities (the BG/NBD forecast), averaged as they are.
    """

    def __init__(self, members: tuple[Member, ...] = (), probability_columns: tuple[int, ...] = ()) -> None:
        self.members = members
        self.probability_columns = probability_columns

    def fit(self, x: FloatArray, y: Labels) -> Self:
        self.fitted_: list[tuple[Classifier, list[int]]] = [
            (clone(estimator).fit(x[:, list(cols)], y), list(cols)) for estimator, cols in self.members
        ]
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, x: FloatArray) -> FloatArray:
        parts = [estimator.predict_proba(x[:, cols])[:, 1] for estimator, cols in self.fitted_]
        parts += [np.clip(x[:, c], 0.0, 1.0) for c in self.probability_columns]
        p = np.mean(parts, axis=0)
        return np.column_stack([1 - p, p])

    def predict(self, x: FloatArray) -> IntArray:
        return (self.predict_proba(x)[:, 1] >= 0.5).astype(int)


def _logistic_log() -> Classifier:
    model: Classifier = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=5000))
    return model


def _gradient_boosting() -> Classifier:
    model: Classifier = HistGradientBoostingClassifier(
        learning_rate=0.05,
        max_iter=60,
        max_leaf_nodes=5,
        min_samples_leaf=200,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=RANDOM_STATE,
    )
    return model


BLEND_FEATURES = tuple(dict.fromkeys(LOG_FEATURES + FEATURES))


def _blend() -> Classifier:
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
Baseline = tuple[str, Callable[[FeatureTable], FloatArray], bool]  # description, score, is it a probability
BASELINES: dict[str, Baseline] = {
    "recency": ("Recency alone (more recent, higher score).", lambda t: -t.columns["recency_days"], False),
    "rfm_score": ("The seed's rfm_score alone.", lambda t: t.columns["rfm_score"], False),
    "bgnbd": (
        "BG/NBD (Fader, Hardie & Lee 2005): P(at least one purchase in the window).",
        lambda t: t.columns["bgnbd_p_purchase"],
        True,  # a probability: Brier score and thresholded metrics apply
    ),
}


def fit(candidate: Candidate, data: Dataset) -> Classifier:
    model = candidate.make()
    model.fit(data.features.matrix(candidate.features), data.known_labels())
    return model


def predict(candidate: Candidate, model: Classifier, table: FeatureTable) -> FloatArray:
    return model.predict_proba(table.matrix(candidate.features))[:, 1]
