"""Backtests: the quality target on real data, CDNOW with `evaluate --cutoff 1997-09-30 --label-window-days 60`."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_selected_model_beats_the_target_and_the_baselines_out_of_time(cdnow_imported):
    """On CDNOW the selected model reaches ROC AUC 0.780 and Brier 0.0960 out of time, above every baseline.

    Selected on the validation window, measured on (1997-09-30, 1997-11-29] which nothing in the pipeline saw:
    ROC AUC ≥ 0.780 and Brier ≤ 0.0960, above recency, rfm_score and BG/NBD."""
    out = StringIO()
    call_command("evaluate", "--cutoff", "1997-09-30", "--label-window-days", "60", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["train"]["cutoff"], report["train"]["customers"], report["test"]["customers"]) == (
        "1997-08-01",
        23_570,
        23_570,
    )
    selected = next(c for c in report["candidates"] if c["name"] == report["selected"])
    assert selected["roc_auc"] >= 0.780
    assert selected["brier"] <= 0.0960
    assert selected["roc_auc"] < 0.80  # above this on CDNOW would mean leakage
    baselines = {b["name"]: b for b in report["baselines"]}
    assert all(selected["roc_auc"] > b["roc_auc"] for b in baselines.values())
    assert selected["brier"] < baselines["bgnbd"]["brier"]
    seed = next(c for c in report["candidates"] if c["name"] == "seed_logistic_regression")
    assert seed["roc_auc"] == pytest.approx(0.775, abs=0.002)  # the reference figure of the seed's model
