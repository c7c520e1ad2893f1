"""`manage.py evaluate_recommendations` on the generated shop: the JSON report, built in memory only."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from analytics.models import RecommendationBuild

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shop(synthetic_imported):
    return synthetic_imported


def test_evaluate_recommendations_json_shape():
    """--json prints the product and customer measures beside their baselines and stores no build."""
    out = StringIO()
    call_command("evaluate_recommendations", "--cutoff", "2024-10-31", "--k", "5", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert {"item_to_items", "customer", "queries"} <= set(report)
    assert set(report["item_to_items"]) == {"blend", "cooccurrence_counts", "popularity"}
    assert set(report["item_to_items"]["blend"]) == {"hit_rate", "mrr"}
    assert report["queries"] > 0
    assert not RecommendationBuild.objects.exists()  # evaluation builds in memory only


def test_k_below_one_is_a_command_error():
    """--k 0 is refused before anything is computed."""
    with pytest.raises(CommandError, match="--k must be at least 1"):
        call_command("evaluate_recommendations", "--cutoff", "2024-10-31", "--k", "0", stdout=StringIO())
