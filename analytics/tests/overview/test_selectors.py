"""The dashboard's figures and the readiness checks on the trained shop."""

import pytest

from analytics.models import LoyaltyScore, ModelArtifact
from analytics.overview.selectors import dashboard_data_get, readiness_get
from customers.models import Customer, Transaction

pytestmark = pytest.mark.django_db


def test_dashboard_figures_add_up(trained_shop):
    """Customers, purchases, segments and the score histogram agree with the data, the snapshot and the model."""
    data = dashboard_data_get()
    assert data["customers"] == Customer.objects.count()
    assert data["transactions"] == Transaction.objects.purchases().count()
    assert sum(row["customers"] for row in data["segments"]) == trained_shop["snapshot"].customers
    assert sum(data["score_histogram"]["counts"]) == LoyaltyScore.objects.filter(artifact__is_active=True).count()
    assert sum(month["transactions"] for month in data["monthly"]) == data["transactions"]
    assert data["model"]["id"] == trained_shop["artifact"].pk


def test_cached_figures_follow_a_model_change(trained_shop):
    """The figures are cached, yet a model taken out of service shows at once."""
    assert dashboard_data_get()["model"] is not None
    ModelArtifact.objects.update(is_active=False)
    data = dashboard_data_get()
    assert (data["model"], data["score_histogram"]) == (None, None)


def test_readiness_needs_the_database_and_a_trusted_model(trained_shop):
    """Ready with an active model; the model check fails without one."""
    assert readiness_get() == {"database": True, "model": True}
    ModelArtifact.objects.update(is_active=False)
    assert readiness_get() == {"database": True, "model": False}
