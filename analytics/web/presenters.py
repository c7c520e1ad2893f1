"""What the pages draw, built from selector results: chart payloads (read by static/js/charts.js) and tables.

No queries here: a presenter takes what a selector returned and shapes it for a template.
"""

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from analytics.models import ModelArtifact
from analytics.scoring.candidates import BASELINES

METRIC_COLUMNS = ("roc_auc", "pr_auc", "brier", "accuracy", "precision", "recall", "f1")
IMPORTANCE_SHOWN = 15


def _segment_url(segment: str) -> str:
    return f"{reverse('analytics:customer-list')}?{urlencode({'segment': segment})}"


def dashboard_charts(data: dict[str, Any]) -> dict[str, Any]:
    """Segments (bars linking to the customer list), score distribution, revenue and transactions per month."""
    charts: dict[str, Any] = {}
    segments = data["segments"]
    if segments:
        charts["segments"] = {
            "labels": [s["segment"] for s in segments],
            "datasets": [{"label": "Customers", "data": [s["customers"] for s in segments]}],
            "links": [_segment_url(s["segment"]) for s in segments],
            "x_label": "Customers",
        }
    if data["score_histogram"]:
        charts["scores"] = {**data["score_histogram"], "x_label": "Loyalty score", "y_label": "Customers"}
    monthly = data["monthly"]
    if monthly:
        charts["monthly"] = {
            "labels": [m["month"] for m in monthly],
            "datasets": [
                {"label": "Revenue", "data": [round(m["revenue"], 2) for m in monthly]},
                {"label": "Transactions", "data": [m["transactions"] for m in monthly], "axis": "right"},
            ],
            "y_label": "Revenue",
        }
    return charts


def segment_links(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-empty segments with a link to their customers."""
    return [{**s, "url": _segment_url(s["segment"])} for s in data["segments"] if s["customers"]]


def model_metric_rows(artifact: ModelArtifact) -> list[dict[str, Any]]:
    """Every candidate and baseline of a run with its validation metrics, in METRIC_COLUMNS order."""
    return [
        {
            "name": name,
            "kind": values.get("kind"),
            "description": values.get("description", ""),
            "selected": name == artifact.algorithm,
            "cells": [values.get(c) for c in METRIC_COLUMNS],
        }
        for name, values in artifact.metrics.get("validation", {}).items()
    ]


def model_random_split_rows(artifact: ModelArtifact) -> list[dict[str, Any]]:
    return [
        {"name": name, "cells": [values.get(c) for c in METRIC_COLUMNS]}
        for name, values in artifact.metrics.get("random_split", {}).items()
    ]


def model_charts(artifact: ModelArtifact) -> dict[str, Any]:
    """ROC curves (selected model and baselines), calibration and feature importance of a run."""
    curves = artifact.metrics.get("curves", {})
    charts: dict[str, Any] = {}
    if curves.get("roc", {}).get("fpr"):
        charts["roc"] = {
            "curves": [{"label": f"{artifact.algorithm} (selected)", **curves["roc"]}]
            + [
                {"label": f"{name} (baseline)", **curves[f"roc_{name}"]}
                for name in BASELINES
                if curves.get(f"roc_{name}", {}).get("fpr")
            ]
        }
    if curves.get("calibration", {}).get("predicted"):
        charts["calibration"] = curves["calibration"]
    importance = artifact.metrics.get("feature_importance", [])[:IMPORTANCE_SHOWN]
    if importance:
        charts["importance"] = {
            "features": [i["feature"] for i in importance],
            "values": [i["importance"] for i in importance],
            "errors": [i["std"] for i in importance],
        }
    return charts
