"""Fixtures for the page tests: signed-in clients and a scored customer of the trained shop."""

import pytest

from analytics.models import LoyaltyScore


@pytest.fixture
def signed_in(client, user):
    """The test client signed in as an analyst."""
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff):
    """The test client signed in as staff."""
    client.force_login(staff)
    return client


@pytest.fixture
def scored_customer(trained_shop) -> str:
    """The id of a customer the active model scored."""
    return LoyaltyScore.objects.filter(artifact__is_active=True).order_by("pk").first().customer.external_id
