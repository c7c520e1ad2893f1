"""Out-of-time model selection on plain datasets (no database).

Protocol (see DESIGN.md and the README):
- a dataset is the customers with a purchase on or before its feature date `d`, their features from purchases
  on or before `d` only, and the label "bought at least once in (d, d + window]";
- candidates are fitted on one dataset and compared on a later one (out of time); the best by ROC AUC is
  selected and refitted on the later dataset, which is the latest window with known labels;
- baselines (recency alone, rfm_score alone, BG/NBD) are reported beside the candidates and never selected.
"""

from dataclasses import dataclass, field

import numpy as np
from sklearn.model_selection import train_test_split

from analytics.facts import FloatArray
from analytics.scoring.candidates import (
    BASELINES,
    CANDIDATES,
    CANDIDATES_BY_NAME,
    RANDOM_STATE,
    Candidate,
    Classifier,
    fit,
    predict,
)
from analytics.scoring.features import MIN_CUSTOMERS, Dataset
from analytics.scoring.metrics import (
    Metrics,
    best_f1_threshold,
    calibration_bins,
    feature_importance,
    probability_metrics,
    ranking_metrics,
    roc_points,
)
from customers.progress import Progress, progress_silent

MIN_PER_CLASS = 3


class NotEnoughData(ValueError):
    """Training cannot be honest with this data; the message says what is missing."""


def check_enough(data: Dataset, role: str) -> None:
    if len(data.features) < MIN_CUSTOMERS:
        raise NotEnoughData(
            f"The {role} set has {len(data.features)} customers with purchases on or before {data.feature_date}; "
            f"training needs at least {MIN_CUSTOMERS}."
        )
    labels = data.known_labels()
    positives = int(labels.sum())
    negatives = len(labels) - positives
    if min(positives, negatives) < MIN_PER_CLASS:
        window = " to ".join(data.label_window or ())
        raise NotEnoughData(
            f"The {role} set has {positives} customers who bought again and {negatives} who did not in the label "
            f"window ({window}); training needs at least {MIN_PER_CLASS} of each. Try another cutoff or label "
            "window, or import more history."
        )


Curve = dict[str, list[float]] | dict[str, list[float] | list[int]]  # metrics.roc_points, .calibration_bins


@dataclass
class SelectionResult:
    selected: Candidate
    model: Classifier  # the selected candidate refitted on the latest labelled window
    threshold: float
    validation: dict[str, Metrics]  # name -> metrics of every candidate and baseline on the out-of-time validation set
    curves: dict[str, Curve]  # ROC and calibration of the selected candidate on validation
    importance: list[dict[str, str | float]]
    random_split: dict[str, Metrics]  # the seed's random 80/20 split figures, for reference only
    test: dict[str, Metrics] = field(default_factory=dict)  # name -> metrics on a later test window (backtests only)


def _evaluate_baselines(data: Dataset, threshold: float) -> dict[str, Metrics]:
    labels = data.known_labels()
    results: dict[str, Metrics] = {}
    for name, (description, score_of, is_probability) in BASELINES.items():
        score = score_of(data.features)
        metrics = probability_metrics(labels, score, threshold) if is_probability else None
        if metrics is None:
            metrics = {**ranking_metrics(labels, score), "brier": None}
        results[name] = {"kind": "baseline", "description": description, **metrics}
    return results


def select_and_fit(
    *,
    train: Dataset,
    validation: Dataset,
    test: Dataset | None = None,
    candidates: tuple[Candidate, ...] = CANDIDATES,
    progress: Progress = progress_silent,
) -> SelectionResult:
    """Fit every candidate on `train`, compare them on the later `validation` window, select the best by ROC AUC,
    refit it on `validation` (the latest labelled window). With `test` (a backtest), every candidate is also
    refitted on `validation` and scored on `test`, and the baselines are scored there."""
    steps = len(candidates) * (2 if test is not None else 1) + 2
    done = [0]

    def say(message: str) -> None:
        progress(done[0], steps, message)
        done[0] += 1

    check_enough(train, "training")
    check_enough(validation, "validation")
    validation_labels = validation.known_labels()

    validation_predictions: dict[str, FloatArray] = {}
    results: dict[str, Metrics] = {}
    for candidate in candidates:
        say(f"fitting {candidate.name}")
        model = fit(candidate, train)
        validation_predictions[candidate.name] = predict(candidate, model, validation.features)

    aucs = {name: ranking_metrics(validation_labels, p)["roc_auc"] or 0.0 for name, p in validation_predictions.items()}
    selected = CANDIDATES_BY_NAME[max(aucs, key=lambda name: (aucs[name], name))]
    threshold = best_f1_threshold(validation_labels, validation_predictions[selected.name])
    for candidate in candidates:
        metrics = probability_metrics(validation_labels, validation_predictions[candidate.name], threshold)
        results[candidate.name] = {"kind": "candidate", "description": candidate.description, **metrics}
    results |= _evaluate_baselines(validation, threshold)
    chosen = validation_predictions[selected.name]
    curves: dict[str, Curve] = {
        "roc": roc_points(validation_labels, chosen),
        "calibration": calibration_bins(validation_labels, chosen),
    }
    for name, (_, score_of, _) in BASELINES.items():
        curves[f"roc_{name}"] = roc_points(validation_labels, score_of(validation.features))

    say(f"refitting {selected.name} on the latest labelled window")
    final_models = {selected.name: fit(selected, validation)}
    importance = feature_importance(selected, final_models[selected.name], validation)

    test_results: dict[str, Metrics] = {}
    if test is not None:
        test_labels = test.known_labels()
        for candidate in candidates:
            if candidate.name not in final_models:
                say(f"refitting {candidate.name} for the backtest")
                final_models[candidate.name] = fit(candidate, validation)
            p = predict(candidate, final_models[candidate.name], test.features)
            test_results[candidate.name] = {
                "kind": "candidate",
                "description": candidate.description,
                **probability_metrics(test_labels, p, threshold),
            }
        test_results |= _evaluate_baselines(test, threshold)
        p = predict(selected, final_models[selected.name], test.features)
        curves["test_roc"] = roc_points(test_labels, p)
        curves["test_calibration"] = calibration_bins(test_labels, p)

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


def seed_random_split(data: Dataset) -> dict[str, Metrics]:
    """The seed's evaluation: a random, stratified 80/20 split of one dataset. Reported for comparison only —
    it measures fit on a single time window, not the ability to predict a later one."""
    y = data.known_labels()
    if len(np.unique(y)) < 2 or min(np.bincount(y)) < 2:
        return {}
    index = np.arange(len(y))
    train_idx, test_idx = train_test_split(index, test_size=0.2, random_state=RANDOM_STATE, stratify=y)
    results: dict[str, Metrics] = {}
    for candidate in CANDIDATES[:2]:
        x = data.features.matrix(candidate.features)
        model = candidate.make()
        model.fit(x[train_idx], y[train_idx])
        p = model.predict_proba(x[test_idx])[:, 1]
        results[candidate.name] = probability_metrics(y[test_idx], p, 0.5)
    return results
