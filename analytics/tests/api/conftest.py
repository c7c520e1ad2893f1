"""Fixtures for the API tests."""

import pytest

from analytics.models import LoyaltyScore

PREDICT, RECOMMEND = "/predict-loyalty", "/recommend-products"


@pytest.fixture
def scored(trained_shop) -> tuple[str, LoyaltyScore]:
    """A customer the active model scored: their id and stored score."""
    score = LoyaltyScore.objects.filter(artifact__is_active=True).select_related("customer").order_by("pk").first()
    return score.customer.external_id, score
