"""Chart payloads and tables built from fixed selector results (no database)."""

from analytics.models import ModelArtifact
from analytics.web import presenters

DASHBOARD = {
    "segments": [{"segment": "Champions", "customers": 3}, {"segment": "Can't Lose Them", "customers": 0}],
    "score_histogram": {"edges": [0.0, 0.5, 1.0], "counts": [2, 1], "label": "Customers"},
    "monthly": [
        {"month": "2024-01", "revenue": 10.004, "transactions": 2},
        {"month": "2024-02", "revenue": 5.5, "transactions": 1},
    ],
}


def test_dashboard_charts_from_fixed_figures():
    """Segments become linked bars, the histogram keeps its bins, months become revenue and transaction series."""
    assert presenters.dashboard_charts(DASHBOARD) == {
        "segments": {
            "labels": ["Champions", "Can't Lose Them"],
            "datasets": [{"label": "Customers", "data": [3, 0]}],
            "links": ["/customers/?segment=Champions", "/customers/?segment=Can%27t+Lose+Them"],
            "x_label": "Customers",
        },
        "scores": {
            "edges": [0.0, 0.5, 1.0],
            "counts": [2, 1],
            "label": "Customers",
            "x_label": "Loyalty score",
            "y_label": "Customers",
        },
        "monthly": {
            "labels": ["2024-01", "2024-02"],
            "datasets": [
                {"label": "Revenue", "data": [10.0, 5.5]},
                {"label": "Transactions", "data": [2, 1], "axis": "right"},
            ],
            "y_label": "Revenue",
        },
    }


def test_an_empty_shop_has_no_charts():
    """Without segments, scores or months there is nothing to draw."""
    assert presenters.dashboard_charts({"segments": [], "score_histogram": None, "monthly": []}) == {}


def test_segment_links_leave_out_empty_segments():
    """Only segments with customers get a link to their customer list."""
    assert presenters.segment_links(DASHBOARD) == [
        {"segment": "Champions", "customers": 3, "url": "/customers/?segment=Champions"}
    ]


ARTIFACT = ModelArtifact(
    algorithm="blend",
    metrics={
        "validation": {
            "blend": {"kind": "candidate", "description": "The blend.", "roc_auc": 0.8, "brier": 0.1},
            "recency": {"kind": "baseline", "roc_auc": 0.7},
        },
        "random_split": {"seed_logistic_regression": {"roc_auc": 0.9, "f1": 0.5}},
        "curves": {
            "roc": {"fpr": [0.0, 1.0], "tpr": [0.0, 1.0]},
            "roc_recency": {"fpr": [0.0, 1.0], "tpr": [0.0, 0.9]},
            "roc_bgnbd": {"fpr": [], "tpr": []},
            "calibration": {"predicted": [0.2], "observed": [0.25], "count": [4]},
        },
        "feature_importance": [{"feature": f"f{i}", "importance": i / 100, "std": 0.01} for i in range(20)],
    },
)


def test_model_metric_rows_follow_the_metric_columns_and_mark_the_selected_model():
    """Each candidate and baseline is a row of its metrics in METRIC_COLUMNS order; missing ones are None."""
    assert presenters.METRIC_COLUMNS == ("roc_auc", "pr_auc", "brier", "accuracy", "precision", "recall", "f1")
    assert presenters.model_metric_rows(ARTIFACT) == [
        {
            "name": "blend",
            "kind": "candidate",
            "description": "The blend.",
            "selected": True,
            "cells": [0.8, None, 0.1, None, None, None, None],
        },
        {
            "name": "recency",
            "kind": "baseline",
            "description": "",
            "selected": False,
            "cells": [0.7, None, None, None, None, None, None],
        },
    ]
    assert presenters.model_random_split_rows(ARTIFACT) == [
        {"name": "seed_logistic_regression", "cells": [0.9, None, None, None, None, None, 0.5]}
    ]


def test_model_charts_show_baselines_with_curves_and_the_top_features():
    """The ROC chart adds each baseline that has a curve; importance keeps the first 15 features."""
    charts = presenters.model_charts(ARTIFACT)
    assert charts["roc"] == {
        "curves": [
            {"label": "blend (selected)", "fpr": [0.0, 1.0], "tpr": [0.0, 1.0]},
            {"label": "recency (baseline)", "fpr": [0.0, 1.0], "tpr": [0.0, 0.9]},
        ]
    }
    assert charts["calibration"] == {"predicted": [0.2], "observed": [0.25], "count": [4]}
    assert charts["importance"] == {
        "features": [f"f{i}" for i in range(15)],
        "values": [i / 100 for i in range(15)],
        "errors": [0.01] * 15,
    }


def test_a_run_without_metrics_has_no_rows_and_no_charts():
    """A failed run (no metrics stored) shows no rows and no charts instead of an error."""
    failed = ModelArtifact(algorithm="", metrics={})
    assert presenters.model_metric_rows(failed) == []
    assert presenters.model_random_split_rows(failed) == []
    assert presenters.model_charts(failed) == {}
