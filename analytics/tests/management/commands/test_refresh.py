"""`manage.py refresh` on the generated shop before any model was trained."""

from io import StringIO

import pytest
from django.core.management import call_command

from analytics.models import LoyaltyScore, ModelArtifact, RecommendationBuild, RfmSnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shop(synthetic_imported):
    return synthetic_imported


def test_refresh_without_a_model_updates_segments_and_recommendations_and_says_so():
    """Without a model, refresh computes RFM and recommendations, trains nothing and says nobody was scored."""
    out = StringIO()
    call_command("refresh", stdout=out)
    assert "Refreshed: rfm" in out.getvalue()
    assert "recommendations" in out.getvalue()
    assert "no model to score with" in out.getvalue()
    assert (RfmSnapshot.objects.count(), RecommendationBuild.objects.count()) == (1, 1)
    assert not ModelArtifact.objects.exists()
    assert not LoyaltyScore.objects.exists()
