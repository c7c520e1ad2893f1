"""Scores on the trained shop: a published model scores every customer and replaces the old one; a refresh
re-scores with the model in service."""

import pytest

from analytics.models import LoyaltyScore, ModelArtifact, RecommendationBuild
from analytics.scoring.scores import loyalty_scores_refresh
from analytics.tests.helpers import train_and_publish
from customers.exceptions import ApplicationError
from customers.models import Customer

pytestmark = pytest.mark.django_db


def test_the_published_model_is_active_and_has_scored_every_customer(trained_shop):
    """Every customer with purchases has a score in [0, 1], loyal exactly when at or above the model's threshold."""
    artifact = trained_shop["artifact"]
    assert artifact.is_active
    scores = LoyaltyScore.objects.filter(artifact=artifact)
    assert scores.count() == Customer.objects.filter(transactions__isnull=False).distinct().count()
    assert artifact.data_window["scored_customers"] == scores.count()
    for score, loyal in scores.values_list("loyalty_score", "loyal")[:200]:
        assert 0 <= score <= 1
        assert loyal == (score >= artifact.threshold)
    assert RecommendationBuild.objects.filter(is_active=True).exists()


def test_retraining_swaps_the_active_model_and_drops_old_scores(trained_shop):
    """Publishing a second model makes it the only active one and deletes the first one's scores."""
    trained = trained_shop["artifact"]
    second = train_and_publish(recommendations=False)
    assert list(ModelArtifact.objects.filter(is_active=True).values_list("pk", flat=True)) == [second.pk]
    assert not LoyaltyScore.objects.filter(artifact=trained).exists()
    assert LoyaltyScore.objects.filter(artifact=second).exists()


def test_a_refresh_rescores_every_customer_with_the_active_model(trained_shop):
    """A refresh rewrites the active model's scores for every customer, training nothing."""
    artifact = trained_shop["artifact"]
    before = dict(LoyaltyScore.objects.filter(artifact=artifact).values_list("customer_id", "loyalty_score"))
    LoyaltyScore.objects.filter(artifact=artifact).update(loyalty_score=0.0)
    assert loyalty_scores_refresh() == len(before)
    after = dict(LoyaltyScore.objects.filter(artifact=artifact).values_list("customer_id", "loyalty_score"))
    assert after == pytest.approx(before)
    assert ModelArtifact.objects.count() == 1


def test_a_refresh_without_a_model_says_to_train(trained_shop):
    """Without an active model a refresh is refused with code no_model."""
    ModelArtifact.objects.update(is_active=False)
    with pytest.raises(ApplicationError, match=r"manage\.py train") as excinfo:
        loyalty_scores_refresh()
    assert excinfo.value.code == "no_model"
