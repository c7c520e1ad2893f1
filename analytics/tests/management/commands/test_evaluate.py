"""`manage.py evaluate` on the generated shop: the documented JSON report, and the registry left alone."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from analytics.models import ModelArtifact
from analytics.scoring.candidates import CANDIDATES, CANDIDATES_BY_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shop(synthetic_imported):
    return synthetic_imported


def test_evaluate_json_has_the_documented_shape_and_leaves_the_registry_alone():
    """--json prints one object with the train/test windows, every candidate and baseline; no model is stored."""
    out = StringIO()
    call_command("evaluate", "--cutoff", "2024-10-31", "--label-window-days", "60", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert set(report) == {"cutoff", "label_window_days", "train", "test", "selected", "candidates", "baselines"}
    assert report["train"]["cutoff"] == "2024-09-01"
    assert set(report["train"]) == {"cutoff", "customers", "positive_rate"}
    assert set(report["test"]) == {"customers", "positive_rate"}
    assert [c["name"] for c in report["candidates"]] == [c.name for c in CANDIDATES]
    assert set(report["candidates"][0]) == {
        "name",
        "roc_auc",
        "pr_auc",
        "brier",
        "accuracy",
        "precision",
        "recall",
        "f1",
        "confusion_matrix",
    }
    assert [b["name"] for b in report["baselines"]] == ["recency", "rfm_score", "bgnbd"]
    assert report["baselines"][0]["brier"] is None
    assert report["selected"] in CANDIDATES_BY_NAME
    assert ModelArtifact.objects.count() == 0


def test_a_test_window_past_the_data_is_a_command_error():
    """A cutoff whose test window ends after the last purchase is refused with the latest usable cutoff."""
    with pytest.raises(CommandError, match=r"ends after the data .* use a cutoff on or before"):
        call_command("evaluate", "--cutoff", "2024-12-30", "--json", stdout=StringIO())
